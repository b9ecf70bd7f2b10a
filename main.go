// Command alb-cognito-fargate is the Pulumi program: `pulumi up` deploys one
// environment (stack) from its Pulumi.<stack>.yaml.
package main

import (
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		outputs, err := stack.Program(ctx)
		if err != nil {
			return err
		}
		for name, value := range outputs {
			ctx.Export(name, value)
		}
		return nil
	})
}
