package compute

import (
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ExecWritablePaths are where the SSM agent that ECS Exec starts in the
// container writes: with a read-only root file system they must be writable
// (AWS lists a read-only root file system as unsupported for ECS Exec; these
// task-local volumes are the known way around it: aws/containers-roadmap
// #1359).
var ExecWritablePaths = []string{"/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"}

// writablePaths are the container's writable directories: the configured
// ones and, with ECS Exec on a read-only root file system, the agent's.
func writablePaths(a Args) []string {
	out := slices.Clone(a.WritablePaths)
	if a.Exec && a.ReadOnlyRootFilesystem {
		for _, p := range ExecWritablePaths {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// execPolicy is exactly what the task role needs for ECS Exec: the SSM
// agent's control and data channels, and writing the sessions' output to
// the container's log group (the cluster's DEFAULT exec logging: every
// command typed in a shell is on record).
func execPolicy(logGroupArn string) string {
	return `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":["ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"},` +
		`{"Effect":"Allow","Action":"logs:DescribeLogGroups","Resource":"*"},` +
		`{"Effect":"Allow","Action":["logs:CreateLogStream","logs:DescribeLogStreams","logs:PutLogEvents"],"Resource":"` + logGroupArn + `:*"}]}`
}

// newExecPolicy lets the tasks' SSM agent open the channels
// `aws ecs execute-command` uses and log the sessions.
func newExecPolicy(ctx *pulumi.Context, name string, taskRole *iam.Role, logGroupArn pulumi.StringOutput, parent pulumi.ResourceOption) (*iam.RolePolicy, error) {
	return iam.NewRolePolicy(ctx, name+"-exec", &iam.RolePolicyArgs{
		Role:   taskRole.ID(),
		Policy: logGroupArn.ApplyT(execPolicy).(pulumi.StringOutput),
	}, parent)
}
