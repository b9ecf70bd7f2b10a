package identity

import (
	"fmt"
	"slices"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// OAuthScopes are the scopes the app client allows and the ALB requests:
// openid is required for the ALB's OIDC flow; email and profile put the
// user's email and name into x-amzn-oidc-data.
var OAuthScopes = []string{"openid", "email", "profile"}

// UserAdminScope lets the user's own access token call Cognito's user APIs
// (GetUser, AssociateSoftwareToken, VerifySoftwareToken,
// SetUserMFAPreference): what an app needs to let users enrol an
// authenticator app themselves.
const UserAdminScope = "aws.cognito.signin.user.admin"

// LocalProvider is Cognito's name for the pool's own users.
const LocalProvider = "COGNITO"

// CallbackURL is where Cognito sends the browser back to the ALB after sign-in.
func CallbackURL(host string) string { return fmt.Sprintf("https://%s%s", host, awsfacts.CallbackPath) }

// scopes are the OAuth scopes the client allows.
func scopes(a Args) []string {
	out := slices.Clone(OAuthScopes)
	if a.UserAdminScope {
		out = append(out, UserAdminScope)
	}
	return out
}

// providerNames are the identity providers users may sign in with, local
// users (COGNITO) first.
func providerNames(a Args) []string {
	var out []string
	if a.LocalUsers {
		out = append(out, LocalProvider)
	}
	for _, p := range a.Providers {
		out = append(out, p.Name)
	}
	return out
}

// newClient creates the app client the ALB signs users in with: a
// confidential client (with a secret) using the code flow, with a callback
// and a sign-out URL for every host. It lists exactly the providers users
// may sign in with, and is created (or updated) after them: Cognito rejects
// a client that names a provider the pool does not have.
func newClient(ctx *pulumi.Context, name string, a Args, pool *cognito.UserPool, idps []pulumi.Resource, parent pulumi.ResourceOption) (*cognito.UserPoolClient, error) {
	callbacks := make(pulumi.StringArray, len(a.HostNames))
	logouts := make(pulumi.StringArray, len(a.HostNames))
	for i, h := range a.HostNames {
		callbacks[i] = pulumi.String(CallbackURL(h))
		logouts[i] = pulumi.String("https://" + h + a.LogoutPath)
	}
	return cognito.NewUserPoolClient(ctx, name+"-alb-client", &cognito.UserPoolClientArgs{
		UserPoolId: pool.ID(),
		// The ALB is a confidential client: it must have a secret.
		GenerateSecret:                  pulumi.Bool(true),
		AllowedOauthFlowsUserPoolClient: pulumi.Bool(true),
		AllowedOauthFlows:               pulumi.StringArray{pulumi.String("code")},
		AllowedOauthScopes:              pulumi.ToStringArray(scopes(a)),
		SupportedIdentityProviders:      pulumi.ToStringArray(providerNames(a)),
		CallbackUrls:                    callbacks,
		LogoutUrls:                      logouts,
		ExplicitAuthFlows:               pulumi.StringArray{pulumi.String("ALLOW_USER_SRP_AUTH"), pulumi.String("ALLOW_REFRESH_TOKEN_AUTH")},
		PreventUserExistenceErrors:      pulumi.String("ENABLED"),
		EnableTokenRevocation:           pulumi.Bool(true),
		AccessTokenValidity:             pulumi.Int(60),
		IdTokenValidity:                 pulumi.Int(60),
		RefreshTokenValidity:            pulumi.Int(30),
		AuthSessionValidity:             pulumi.Int(3),
		TokenValidityUnits: &cognito.UserPoolClientTokenValidityUnitsArgs{
			AccessToken:  pulumi.String("minutes"),
			IdToken:      pulumi.String("minutes"),
			RefreshToken: pulumi.String("days"),
		},
	}, parent, pulumi.DependsOn(idps))
}
