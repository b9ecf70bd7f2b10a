// Command synth prints, without the Pulumi CLI, credentials or network, what
// one stack would register:
//
//	go run ./cmd/synth -stack dev                   # JSON: every resource and its inputs
//	go run ./cmd/synth -stack dev -diff old.json    # Markdown: what changes since old.json
//	go run ./cmd/synth -stack dev -check            # the AWS provider's validation of it
//	go run ./cmd/synth -stack dev -cost             # Markdown: its estimated monthly cost
//	go run ./cmd/synth -tools                       # where that finds Terraform and the provider
//
// It reads Pulumi.yaml and Pulumi.<stack>.yaml from the current directory and
// runs the same program code as `pulumi up`, under a recording mock.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/example/alb-cognito-fargate/infra/cost"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/infra/synth"
	"github.com/example/alb-cognito-fargate/infra/tfcheck"
)

func main() {
	os.Exit(synth.Main(os.Args[1:], os.Stdout, os.Stderr, stack.Program, synth.Hooks{Checks: providerCheck{}, Cost: cost.Command{}}))
}

// providerCheck runs infra/tfcheck for synth -check and -tools.
type providerCheck struct{}

func (providerCheck) Tools() (string, error) {
	t, err := tfcheck.Locate()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("terraform: %s\nhashicorp/aws %s mirror: %s", t.Terraform, tfcheck.ProviderVersion, t.Mirror), nil
}

func (providerCheck) Check(name, region string, r *synth.Result) ([]string, error) {
	tools, err := tfcheck.Locate()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tfcheck-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	ws, err := tools.NewWorkspace(ctx, dir)
	if err != nil {
		return nil, err
	}
	schema, err := ws.Schema(ctx)
	if err != nil {
		return nil, err
	}
	stacks := []tfcheck.Stack{{Name: name, Region: region, Result: r}}
	cfg, rep := tfcheck.Convert(schema, stacks)
	problems := append(rep.Problems, tfcheck.AWSRules(stacks)...)
	more, err := ws.Plan(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range append(problems, more...) {
		out = append(out, p.String())
	}
	return out, nil
}
