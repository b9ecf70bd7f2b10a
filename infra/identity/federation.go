package identity

import (
	"maps"
	"strconv"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
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

// ignoredDetails are the details Cognito keeps of its own for a provider,
// which cannot be sent (Cognito derives or discovers them, and refuses
// some): the provider's diff ignores them, by the exact dot-form paths the
// bridge matches (the bracket form never matches; bridge issue #3177).
// Google's are constants, and sent instead.
func ignoredDetails(t config.IdpType) []string {
	var keys []string
	switch t {
	case config.IdpOidc:
		keys = awsfacts.OidcStoredDetails
	case config.IdpSaml:
		keys = awsfacts.SamlStoredDetails
	}
	var out []string
	for _, k := range keys {
		out = append(out, "providerDetails."+k)
	}
	return out
}

// sourceDetails are the details Cognito derives the ignored ones from. The
// ignored values stay in the state and the provider sends the whole map on
// an update, so a new issuer or metadata would go to Cognito with the old
// endpoints, which Cognito would keep: a change of the source replaces the
// provider instead (delete-first: a pool holds each name once), and
// Cognito derives everything anew. Users keep their accounts: they are
// the pool's, named after the provider.
var sourceDetails = map[config.IdpType][]string{
	config.IdpOidc: {"providerDetails.oidc_issuer"},
	config.IdpSaml: {"providerDetails.MetadataURL", "providerDetails.MetadataFile"},
}

// providerDetails are the details Cognito needs for a provider, in its own
// keys (CreateIdentityProvider ProviderDetails), with the constants it
// keeps for Google, without the client secret, which goes in as a secret.
// An OIDC provider's endpoints are discovered from its issuer.
func providerDetails(p config.IdentityProvider) pulumi.StringMap {
	d := map[string]string{}
	switch p.Type {
	case config.IdpOidc:
		d["oidc_issuer"] = p.Issuer
		d["client_id"] = p.ClientID
		d["authorize_scopes"] = p.Scopes
		d["attributes_request_method"] = p.AttributesRequestMethod
	case config.IdpGoogle:
		maps.Copy(d, awsfacts.GoogleStoredDetails)
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
		opts := []pulumi.ResourceOption{parent, pulumi.DeleteBeforeReplace(true)}
		if ignore := ignoredDetails(p.Type); len(ignore) > 0 {
			opts = append(opts, pulumi.IgnoreChanges(ignore), pulumi.ReplaceOnChanges(sourceDetails[p.Type]))
		}
		idp, err := cognito.NewIdentityProvider(ctx, name+"-idp-"+p.Name, &cognito.IdentityProviderArgs{
			UserPoolId:       pool.ID(),
			ProviderName:     pulumi.String(p.Name),
			ProviderType:     pulumi.String(providerTypes[p.Type]),
			ProviderDetails:  providerDetails(p),
			AttributeMapping: pulumi.ToStringMap(p.AttributeMapping),
		}, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, idp)
	}
	return out, nil
}
