package identity

import (
	"strconv"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// providerTypes are Cognito's names for the provider types.
var providerTypes = map[config.IdpType]string{
	config.IdpOidc:   "OIDC",
	config.IdpSaml:   "SAML",
	config.IdpGoogle: "Google",
}

// providerDetails are the details Cognito needs for a provider, in its own
// keys (CreateIdentityProvider ProviderDetails), without the client
// secret, which goes in as a secret.
func providerDetails(p config.IdentityProvider) pulumi.StringMap {
	d := map[string]string{}
	switch p.Type {
	case config.IdpOidc:
		d["oidc_issuer"] = p.Issuer
		d["client_id"] = p.ClientID
		d["authorize_scopes"] = p.Scopes
		d["attributes_request_method"] = p.AttributesRequestMethod
	case config.IdpGoogle:
		d["client_id"] = p.ClientID
		d["authorize_scopes"] = p.Scopes
	case config.IdpSaml:
		if p.MetadataURL != "" {
			d["MetadataURL"] = p.MetadataURL
		} else {
			d["MetadataFile"] = p.MetadataFile
		}
		d["IDPSignout"] = strconv.FormatBool(p.SignOut)
	}
	out := pulumi.ToStringMap(d)
	if p.ClientSecret != "" {
		// Never in plain text in the state or a synthesis.
		out["client_secret"] = pulumi.ToSecret(pulumi.String(p.ClientSecret)).(pulumi.StringOutput)
	}
	return out
}

// newProviders creates the identity providers, each named after its
// provider, so adding or removing one leaves the others alone. A provider
// whose type changes keeps its name, which a pool holds once: it is
// replaced delete-first.
func newProviders(ctx *pulumi.Context, name string, pool *cognito.UserPool, providers []config.IdentityProvider, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, p := range providers {
		idp, err := cognito.NewIdentityProvider(ctx, name+"-idp-"+p.Name, &cognito.IdentityProviderArgs{
			UserPoolId:       pool.ID(),
			ProviderName:     pulumi.String(p.Name),
			ProviderType:     pulumi.String(providerTypes[p.Type]),
			ProviderDetails:  providerDetails(p),
			AttributeMapping: pulumi.ToStringMap(p.AttributeMapping),
		}, parent, pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return nil, err
		}
		out = append(out, idp)
	}
	return out, nil
}
