// Package identity builds the Cognito user pool, the app client the ALB signs
// users in with, and the hosted sign-in domain.
package identity

import (
	"errors"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:identity:Identity"

// Args configures the user pool. Host names decide the callback URLs and the
// switches decide resource settings, so all are plain Go values, validated
// by infra/config; none has a default here.
type Args struct {
	// Region is the pool's region, used to build the hosted UI URL.
	Region string
	// HostNames are every host users browse to; each gets a callback URL
	// https://<host>/oauth2/idpresponse. At least one.
	HostNames []string
	// DomainPrefix is the hosted UI prefix: https://<prefix>.auth.<region>.amazoncognito.com.
	DomainPrefix string
	// LogoutPath is where Cognito may send users after sign-out, on every host.
	LogoutPath string
	// SelfSignUp lets anyone create an account; false means administrators invite users.
	SelfSignUp bool
	// Mfa: multi-factor sign-in with an authenticator app (pool.go).
	Mfa config.Mfa
	// Protect turns on Cognito deletion protection and Pulumi's protect on the
	// pool, which holds every user's account.
	Protect bool

	// Providers are federated identity providers (federation.go).
	Providers []config.IdentityProvider
	// LocalUsers keeps Cognito's own username/password sign-in; without
	// it, only the providers remain.
	LocalUsers bool
	// Groups are the pool's groups (groups.go).
	Groups []config.Group
	// UserAdminScope adds aws.cognito.signin.user.admin to the client's
	// scopes, so an app can let users enrol MFA with their own token.
	UserAdminScope bool
	// Tier is the feature tier; ThreatProtection needs PLUS.
	Tier             config.Tier
	ThreatProtection config.ThreatProtection
	// EmailFrom, when set, sends the pool's emails through SES as this
	// address, with the verified identity EmailSourceArn; otherwise
	// Cognito's own sender (about 50 emails a day).
	EmailFrom      string
	EmailSourceArn pulumi.StringInput

	// AccountID is the stack's account: only this pool, in it, may invoke
	// the pre sign-up trigger (presignup.go). Required.
	AccountID pulumi.StringInput
	// LogRetentionDays and LogsKmsKeyArn (nil: AWS's own encryption) are
	// the trigger's log group's.
	LogRetentionDays int
	LogsKmsKeyArn    pulumi.StringInput
}

// Identity is the user pool, its app client and its domain.
type Identity struct {
	pulumi.ResourceState

	UserPoolID   pulumi.StringOutput `pulumi:"userPoolId"`
	UserPoolArn  pulumi.StringOutput `pulumi:"userPoolArn"`
	ClientID     pulumi.StringOutput `pulumi:"clientId"`
	DomainPrefix pulumi.StringOutput `pulumi:"domainPrefix"`
	// HostedUIURL is the base URL of the hosted sign-in pages.
	HostedUIURL pulumi.StringOutput `pulumi:"hostedUiUrl"`
	// IssuerURL is the pool's OIDC issuer.
	IssuerURL pulumi.StringOutput `pulumi:"issuerUrl"`

	// Scopes are the OAuth scopes the client allows, for the ALB to request.
	Scopes []string
	// ProviderNames are the identity providers users may sign in with
	// (COGNITO for local users first), in order.
	ProviderNames []string
}

// NewIdentity creates the user pool, its identity providers and groups, the
// app client and the domain.
func NewIdentity(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Identity, error) {
	if args == nil {
		return nil, errors.New("identity: args are required")
	}
	a := *args
	switch {
	case a.Region == "" || a.DomainPrefix == "" || a.LogoutPath == "":
		return nil, errors.New("identity: Region, DomainPrefix and LogoutPath are required")
	case len(a.HostNames) == 0:
		return nil, errors.New("identity: at least one host name is required")
	case !a.LocalUsers && len(a.Providers) == 0:
		return nil, errors.New("identity: without local users at least one provider is required")
	case a.EmailFrom != "" && a.EmailSourceArn == nil:
		return nil, errors.New("identity: EmailFrom needs EmailSourceArn")
	case needsPreSignUp(a.Providers) && (a.AccountID == nil || a.LogRetentionDays == 0):
		return nil, errors.New("identity: a provider with an allow-list needs AccountID and LogRetentionDays (for its sign-up trigger)")
	}

	c := &Identity{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	var err error

	var trigger *preSignUp
	var preSignUpArn pulumi.StringInput
	if needsPreSignUp(a.Providers) {
		if trigger, err = newPreSignUp(ctx, name, a, parent); err != nil {
			return nil, err
		}
		preSignUpArn = trigger.fn.Arn
	}
	pool, err := newUserPool(ctx, name, a, preSignUpArn, parent)
	if err != nil {
		return nil, err
	}
	if trigger != nil {
		if err := trigger.allowCognito(ctx, name, pool, a.AccountID, parent); err != nil {
			return nil, err
		}
	}
	idps, err := newProviders(ctx, name, pool, a.Providers, parent)
	if err != nil {
		return nil, err
	}
	if err := newGroups(ctx, name, pool, a.Groups, parent); err != nil {
		return nil, err
	}
	client, err := newClient(ctx, name, a, pool, idps, parent)
	if err != nil {
		return nil, err
	}
	domain, err := newDomain(ctx, name, a.DomainPrefix, pool, parent)
	if err != nil {
		return nil, err
	}

	c.UserPoolID = pool.ID().ToStringOutput()
	c.UserPoolArn = pool.Arn
	c.ClientID = client.ID().ToStringOutput()
	c.DomainPrefix = domain.Domain
	c.HostedUIURL = pulumi.Sprintf("https://%s.auth.%s.amazoncognito.com", domain.Domain, a.Region)
	c.IssuerURL = pulumi.Sprintf("https://%s", pool.Endpoint)
	c.Scopes = scopes(a)
	c.ProviderNames = providerNames(a)
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"userPoolId":   c.UserPoolID,
		"userPoolArn":  c.UserPoolArn,
		"clientId":     c.ClientID,
		"domainPrefix": c.DomainPrefix,
		"hostedUiUrl":  c.HostedUIURL,
		"issuerUrl":    c.IssuerURL,
	}); err != nil {
		return nil, err
	}
	return c, nil
}
