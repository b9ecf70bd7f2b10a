// Command synth prints, without the Pulumi CLI, credentials or network, the
// resources one stack would register and their inputs, as JSON.
//
//	go run ./cmd/synth -stack dev
//
// It reads Pulumi.yaml and Pulumi.<stack>.yaml from the current directory and
// runs the same program code as `pulumi up`, under a recording mock.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/infra/synth"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	flags := flag.NewFlagSet("synth", flag.ContinueOnError)
	stackName := flags.String("stack", "", "stack name: reads Pulumi.<stack>.yaml (required)")
	dir := flags.String("dir", ".", "directory holding Pulumi.yaml")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *stackName == "" {
		fmt.Fprintln(os.Stderr, "synth: -stack is required, for example: go run ./cmd/synth -stack dev")
		return 2
	}

	sc, err := synth.LoadStack(*dir, *stackName)
	if err != nil {
		fmt.Fprintf(os.Stderr, "synth: %v\n", err)
		return 1
	}
	result, err := synth.Run(sc, stack.Program)
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintln(os.Stderr, ce.Error())
		} else {
			fmt.Fprintf(os.Stderr, "synth: %v\n", err)
		}
		return 1
	}
	out, err := result.JSON()
	if err != nil {
		fmt.Fprintf(os.Stderr, "synth: %v\n", err)
		return 1
	}
	os.Stdout.Write(out)
	return 0
}
