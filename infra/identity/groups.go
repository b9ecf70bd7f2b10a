package identity

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Group is one Cognito group; its members' access tokens carry its name in
// cognito:groups.
type Group struct {
	Name        string
	Description string
}

// newGroups creates the groups, each named after the group, so adding or
// removing one leaves the others (and their members) alone.
func newGroups(ctx *pulumi.Context, name string, pool *cognito.UserPool, groups []Group, parent pulumi.ResourceOption) error {
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
