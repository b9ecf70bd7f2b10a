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
//	synth -stack dev -check           run the AWS provider's validation on it
//	synth -stack dev -cost            print its estimated monthly cost, as Markdown
//	synth -tools                      where the provider check finds its tools
//
// With -diff, the Markdown also says how the estimated monthly cost changes.
// It returns the process exit code: 0 on success, 1 when the configuration or
// the program fails (errors on stderr) or, with -diff, when the change would
// fail or is refused (the Markdown says why), 2 on bad usage.
func Main(args []string, stdout, stderr io.Writer, program Program, hooks Hooks) int {
	checks := hooks.Checks
	flags := flag.NewFlagSet("synth", flag.ContinueOnError)
	flags.SetOutput(stderr)
	stackName := flags.String("stack", "", "stack name: reads Pulumi.<stack>.yaml (required)")
	dir := flags.String("dir", ".", "directory holding Pulumi.yaml and the stack files")
	diffFrom := flags.String("diff", "", "an earlier synthesis (JSON); print the changes since then as Markdown")
	check := flags.Bool("check", false, "run the AWS provider's validation (Terraform and hashicorp/aws) on the stack")
	tools := flags.Bool("tools", false, "say where the provider check finds Terraform and the provider, or how to install them")
	estimate := flags.Bool("cost", false, "print the stack's estimated monthly cost (list prices and stated assumptions) as Markdown")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *tools && checks != nil {
		where, err := checks.Tools()
		if err != nil {
			fmt.Fprintf(stderr, "synth: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, where)
		return 0
	}
	if *stackName == "" || flags.NArg() > 0 || (*estimate && (*check || *diffFrom != "")) {
		fmt.Fprintln(stderr, "usage: synth -stack <name> [-dir .] [-diff old.json | -check | -cost] | synth -tools")
		return 2
	}
	if *estimate && hooks.Cost == nil {
		fmt.Fprintln(stderr, "synth: -cost is not available in this build")
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

	if *check {
		if checks == nil {
			fmt.Fprintln(stderr, "synth: -check is not available in this build")
			return 2
		}
		problems, err := checks.Check(*stackName, sc.Values["aws:region"], result)
		if err != nil {
			fmt.Fprintf(stderr, "synth: %v\n", err)
			return 1
		}
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		if len(problems) > 0 {
			fmt.Fprintf(stderr, "synth: stack %s: the AWS provider rejects %d value(s)\n", *stackName, len(problems))
			return 1
		}
		fmt.Fprintf(stdout, "stack %s: the AWS provider accepts all %d resources\n", *stackName, len(result.Resources))
		return 0
	}

	if *estimate {
		_, _ = io.WriteString(stdout, hooks.Cost.Markdown(result))
		return 0
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
	if hooks.Cost != nil {
		d.Cost = hooks.Cost.Change(old, result)
	}
	_, _ = io.WriteString(stdout, d.Markdown())
	if len(d.Failures) > 0 {
		fmt.Fprintf(stderr, "synth: stack %s: the change is refused (%d problem(s)); see the caution box\n", *stackName, len(d.Failures))
		return 1
	}
	return 0
}

// Hooks are the parts of the command that live in packages which import
// this one; cmd/synth provides them. A nil hook makes its flags unavailable
// (and -diff prints no cost line).
type Hooks struct {
	Checks Checks       // -check and -tools, from infra/tfcheck
	Cost   CostEstimate // -cost and the cost line of -diff, from infra/cost
}

// CostEstimate prices a synthesis. cmd/synth provides it from infra/cost
// (which imports this package).
type CostEstimate interface {
	// Markdown renders the estimated monthly cost of a stack, itemized.
	Markdown(r *Result) string
	// Change is one line saying how the estimated monthly cost changes
	// from old to new; old may be empty (a new stack).
	Change(old, new *Result) string
}

// Checks are the provider check's commands, -tools and -check. cmd/synth
// provides them from infra/tfcheck (which imports this package).
type Checks interface {
	// Tools says where Terraform and the provider are, or how to install them.
	Tools() (string, error)
	// Check runs the provider check on one synthesized stack and returns
	// each problem, naming resource and property.
	Check(stack, region string, r *Result) ([]string, error)
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
