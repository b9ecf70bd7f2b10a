package identity

import (
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newGroups creates the groups, each named after the group, so adding or
// removing one leaves the others (and their members) alone. Members' access
// tokens carry the group's name in cognito:groups.
func newGroups(ctx *pulumi.Context, name string, pool *cognito.UserPool, groups []config.Group, parent pulumi.ResourceOption) error {
	for _, g := range groups {
		args := &cognito.UserGroupArgs{
			UserPoolId: pool.ID(),
			Name:       pulumi.String(g.Name),
		}
		if g.Description != "" {
			args.Description = pulumi.String(g.Description)
		}
		if _, err := cognito.NewUserGroup(ctx, name+"-group-"+g.Name, args, parent); err != nil {
			return err
		}
	}
	return nil
}
