// Command synth prints, without the Pulumi CLI, credentials or network, what
// one stack would register:
//
//	go run ./cmd/synth -stack dev                   # JSON: every resource and its inputs
//	go run ./cmd/synth -stack dev -diff old.json    # Markdown: what changes since old.json
//
// It reads Pulumi.yaml and Pulumi.<stack>.yaml from the current directory and
// runs the same program code as `pulumi up`, under a recording mock.
package main

import (
	"os"

	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/infra/synth"
)

func main() {
	os.Exit(synth.Main(os.Args[1:], os.Stdout, os.Stderr, stack.Program))
}
