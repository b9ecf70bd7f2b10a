package identity

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// HostedUIVersion pins the sign-in pages: 1 is the classic hosted UI, which
// needs no branding resource and walks users through setting up an
// authenticator app when MFA is required. (2, managed login, shows nothing
// until a branding style is assigned to the client.)
const HostedUIVersion = 1

// newDomain creates the pool's prefix domain. It depends on the pool, so
// Pulumi deletes it first: Cognito refuses to delete a pool that still has
// a domain. A pool has one prefix domain and a prefix cannot be renamed, so
// a new prefix means deleting the old domain before creating the new one
// (Pulumi's default, create first, would fail): sign-in pauses for the
// minute Cognito takes to create a domain.
func newDomain(ctx *pulumi.Context, name, prefix string, pool *cognito.UserPool, parent pulumi.ResourceOption) (*cognito.UserPoolDomain, error) {
	return cognito.NewUserPoolDomain(ctx, name+"-domain", &cognito.UserPoolDomainArgs{
		Domain:              pulumi.String(prefix),
		UserPoolId:          pool.ID(),
		ManagedLoginVersion: pulumi.Int(HostedUIVersion),
	}, parent, pulumi.DeleteBeforeReplace(true))
}
