package compute

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const ecsTasksTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// roles are the task definition's two roles and the policies the task
// definition waits for: a task started before its execution role may read
// a new secret fails to start.
type roles struct {
	execution, task *iam.Role
	policies        []pulumi.Resource
}

// newRoles creates the execution role, which lets ECS pull the image, write
// the logs and read the configured secrets (nothing else), and the task
// role, which is what the application's own AWS calls get: nothing until
// the team grants it something, and ECS Exec's channels when exec is on.
func newRoles(ctx *pulumi.Context, name string, a Args, logs *cloudwatch.LogGroup, parent pulumi.ResourceOption) (*roles, error) {
	r := &roles{}
	var err error
	r.execution, err = iam.NewRole(ctx, name+"-execution", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(ecsTasksTrust),
		Description:      pulumi.String("ECS pulls the image and writes the container's logs"),
	}, parent)
	if err != nil {
		return nil, err
	}
	execPolicy, err := iam.NewRolePolicy(ctx, name+"-execution", &iam.RolePolicyArgs{
		Role: r.execution.ID(),
		Policy: pulumi.All(logs.Arn, a.AccountID).ApplyT(func(v []any) (string, error) {
			return executionPolicyDocument(v[0].(string), v[1].(string), a.Secrets, a.SecretsKmsKey)
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, err
	}
	r.policies = append(r.policies, execPolicy)
	r.task, err = iam.NewRole(ctx, name+"-task", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(ecsTasksTrust),
		Description:      pulumi.String("The application's own AWS permissions (none by default)"),
	}, parent)
	if err != nil {
		return nil, err
	}
	if a.Exec {
		p, err := newExecPolicy(ctx, name, r.task, logs.Arn, parent)
		if err != nil {
			return nil, err
		}
		r.policies = append(r.policies, p)
	}
	return r, nil
}
