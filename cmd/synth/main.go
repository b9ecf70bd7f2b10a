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
// runs the same program code as `pulumi up`, under a recording mock. The
// command's code is in cli, which the tests run with the same program.
package main

import (
	"os"

	"github.com/example/alb-cognito-fargate/cmd/synth/cli"
	"github.com/example/alb-cognito-fargate/infra/stack"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, stack.Program))
}
