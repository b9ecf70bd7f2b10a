package synth

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

// Main is the synth command:
//
//	synth -stack dev                  print the stack's synthesized state as JSON
//	synth -stack dev -diff old.json   print what changes since old.json, as Markdown
//
// It returns the process exit code: 0 on success, 1 when the configuration or
// the program fails (errors on stderr) or, with -diff, when the change would
// fail or is refused (the Markdown says why), 2 on bad usage.
func Main(args []string, stdout, stderr io.Writer, program Program) int {
	flags := flag.NewFlagSet("synth", flag.ContinueOnError)
	flags.SetOutput(stderr)
	stackName := flags.String("stack", "", "stack name: reads Pulumi.<stack>.yaml (required)")
	dir := flags.String("dir", ".", "directory holding Pulumi.yaml and the stack files")
	diffFrom := flags.String("diff", "", "an earlier synthesis (JSON); print the changes since then as Markdown")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *stackName == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: synth -stack <name> [-dir .] [-diff old.json]")
		return 2
	}

	sc, err := LoadStack(*dir, *stackName)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	result, err := Run(sc, program)
	if err != nil {
		fmt.Fprintln(stderr, err.Error())
		return 1
	}

	if *diffFrom == "" {
		out, err := result.JSON()
		if err != nil {
			fmt.Fprintf(stderr, "synth: %v\n", err)
			return 1
		}
		_, _ = stdout.Write(out)
		return 0
	}

	old, err := ReadResult(*diffFrom)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	d, err := Compare(old, result)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	_, _ = io.WriteString(stdout, d.Markdown())
	if len(d.Failures) > 0 {
		fmt.Fprintf(stderr, "synth: stack %s: the change is refused (%d problem(s)); see the caution box\n", *stackName, len(d.Failures))
		return 1
	}
	return 0
}

// ReadResult reads a synthesis written by `synth -stack`. An empty file stands
// for a stack that did not exist before.
func ReadResult(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if len(b) == 0 {
		return &r, nil
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s is not a synth result: %w", path, err)
	}
	return &r, nil
}
