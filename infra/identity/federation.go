package identity

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Provider types, as Cognito names them.
const (
	ProviderOIDC   = "OIDC"
	ProviderSAML   = "SAML"
	ProviderGoogle = "Google"
)

// LocalProvider is Cognito's name for the pool's own users.
const LocalProvider = "COGNITO"

// Provider is one federated identity provider.
type Provider struct {
	// Name is its name in Cognito (Google's is "Google").
	Name string
	// Type is OIDC, SAML or Google.
	Type string
	// Details are the provider details Cognito needs (oidc_issuer,
	// client_id, authorize_scopes, MetadataURL, ...), without the secret.
	Details map[string]string
	// ClientSecret (OIDC, Google) goes into the details as a secret: never
	// in plain text in the state or a synthesis.
	ClientSecret string
	// AttributeMapping maps user pool attributes to the provider's claims.
	AttributeMapping map[string]string
}

// newProviders creates the identity providers, each named after its
// provider, so adding or removing one leaves the others alone. A provider
// whose type changes keeps its name, which a pool holds once: it is
// replaced delete-first.
func newProviders(ctx *pulumi.Context, name string, pool *cognito.UserPool, providers []Provider, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, p := range providers {
		details := pulumi.StringMap{}
		for k, v := range p.Details {
			details[k] = pulumi.String(v)
		}
		if p.ClientSecret != "" {
			details["client_secret"] = pulumi.ToSecret(pulumi.String(p.ClientSecret)).(pulumi.StringOutput)
		}
		idp, err := cognito.NewIdentityProvider(ctx, name+"-idp-"+p.Name, &cognito.IdentityProviderArgs{
			UserPoolId:       pool.ID(),
			ProviderName:     pulumi.String(p.Name),
			ProviderType:     pulumi.String(p.Type),
			ProviderDetails:  details,
			AttributeMapping: pulumi.ToStringMap(p.AttributeMapping),
		}, parent, pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return nil, err
		}
		out = append(out, idp)
	}
	return out, nil
}
