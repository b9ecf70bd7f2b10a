package catalog

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// UserPool is the Cognito user pool: every user's account.
var UserPool = register(Type{
	Token:     "aws:cognito/userPool:UserPool",
	Terraform: "aws_cognito_user_pool",
	Deploy: Deploy{
		Actions: []string{"cognito-idp:AddCustomAttributes", "cognito-idp:CreateUserPool", "cognito-idp:DeleteUserPool", "cognito-idp:DescribeUserPool", "cognito-idp:GetUserPoolMfaConfig", "cognito-idp:SetUserPoolMfaConfig", "cognito-idp:TagResource", "cognito-idp:UntagResource", "cognito-idp:UpdateUserPool"},
		// Sending through SES makes Cognito create its e-mail service role.
		ServiceLinkedRoles: func(r snapshot.Resource) []string {
			if v, _ := lookupPath(r.Inputs, "emailConfiguration", "emailSendingAccount"); v == "DEVELOPER" {
				return []string{"email.cognito-idp.amazonaws.com"}
			}
			return nil
		},
	},
	Update: Update{
		ReplaceOn: []string{"name", "aliasAttributes", "usernameAttributes", "usernameConfiguration"},
		// Planned as an update, refused by Cognito when applied.
		FailOnChange: map[string]string{
			"schemas": "Cognito cannot change or remove an attribute a user pool already has (\"cannot modify or remove schema items\"): add new attributes only",
		},
		Sets:   []string{"aliasAttributes", "autoVerifiedAttributes", "usernameAttributes", "accountRecoverySetting.recoveryMechanisms", "schemas", "userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdates"},
		Loses:  "every user's account (users, passwords, MFA devices) is deleted",
		Refuse: "the user pool holds every user's account and is never replaced or deleted by a configuration change. Undo the change that replaces it; to move users, export them and import them into a new pool in a new stack",
		DeletionProtected: func(r snapshot.Resource) bool {
			return r.Inputs["deletionProtection"] == "ACTIVE"
		},
		// Cognito returns the add-ons of every pool, OFF when it has none,
		// and the provider diffs the block it reads against an omitted one.
		// (An omitted emailConfiguration is not diffed: the provider
		// suppresses a missing block, so leaving it out never turns
		// sending through SES off; the program sends COGNITO_DEFAULT.)
		Grants: func(r snapshot.Resource) map[string]string {
			admins, _ := lookupPath(r.Inputs, "adminCreateUserConfig", "allowAdminCreateUserOnly")
			trigger, _ := lookupPath(r.Inputs, "lambdaConfig", "preSignUp")
			return map[string]string{
				"whether only administrators may create accounts (selfSignUp)": fmt.Sprint(admins),
				"the pre sign-up trigger that decides who may sign up":         fmt.Sprint(trigger),
			}
		},
		ReadBack: func(r snapshot.Resource) map[string]any {
			if _, sent := r.Inputs["userPoolAddOns"]; !sent {
				return map[string]any{"userPoolAddOns.advancedSecurityMode": "OFF"}
			}
			return nil
		},
	},
	Mock: func(m *Mock) {
		m.ID = m.Region + "_" + alnumOf(m.URN, 9)
		m.Set("arn", m.ArnPrefix("cognito-idp")+"userpool/"+m.ID)
		m.Set("endpoint", "cognito-idp."+m.Region+".amazonaws.com/"+m.ID)
	},
	Cost: Cost{Priced: "Cognito monthly active users, by feature tier"},
})

// IdentityProvider is a federated sign-in provider of a pool.
var IdentityProvider = register(Type{
	Token:     "aws:cognito/identityProvider:IdentityProvider",
	Terraform: "aws_cognito_identity_provider",
	Deploy: Deploy{
		Actions: []string{"cognito-idp:CreateIdentityProvider", "cognito-idp:DeleteIdentityProvider", "cognito-idp:DescribeIdentityProvider", "cognito-idp:UpdateIdentityProvider"},
	},
	Update: Update{
		ReplaceOn: []string{"userPoolId", "providerName", "providerType"},
		ReadBack:  identityProviderReadBack,
		Claims: func(r snapshot.Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("identity provider %v of user pool %v", r.Inputs["providerName"], r.Inputs["userPoolId"]), From: []string{"userPoolId", "providerName"}}}
		},
	},
	Mock: func(m *Mock) { m.ID = m.Input("userPoolId") + ":" + m.Input("providerName") },
	Cost: Cost{Free: "no charge of its own; its users count as the pool's monthly active users"},
	Checks: []Check{{
		Source: "Cognito CreateIdentityProvider: ProviderName is 3 to 32 characters of ProviderNameTypeV2 (the provider checks only the length 1 to 32)",
		Check: func(r snapshot.Resource) []Finding {
			name := fmt.Sprint(r.Inputs["providerName"])
			if !awsfacts.IdpNameRe.MatchString(name) {
				return finding("providerName", "Cognito needs %d to %d characters, not starting or ending with _ or a space: %q", awsfacts.MinIdpNameLength, awsfacts.MaxIdpNameLength, name)
			}
			return nil
		},
	}},
})

// UserGroup is a group of a pool.
var UserGroup = register(Type{
	Token:     "aws:cognito/userGroup:UserGroup",
	Terraform: "aws_cognito_user_group",
	Deploy: Deploy{
		Actions: []string{"cognito-idp:CreateGroup", "cognito-idp:DeleteGroup", "cognito-idp:GetGroup", "cognito-idp:UpdateGroup"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "userPoolId"},
		Claims: func(r snapshot.Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("group %v of user pool %v", r.Inputs["name"], r.Inputs["userPoolId"]), From: []string{"userPoolId", "name"}}}
		},
		Loses: "the group and its membership (which users are in it) are deleted",
	},
	Mock: func(m *Mock) { m.ID = m.Input("userPoolId") + "/" + m.Input("name") },
	Cost: Cost{Free: "groups cost nothing"},
})

// UserPoolClient is the app client the load balancer signs users in with.
var UserPoolClient = register(Type{
	Token:     "aws:cognito/userPoolClient:UserPoolClient",
	Terraform: "aws_cognito_user_pool_client",
	Deploy: Deploy{
		Actions: []string{"cognito-idp:CreateUserPoolClient", "cognito-idp:DeleteUserPoolClient", "cognito-idp:DescribeUserPoolClient", "cognito-idp:UpdateUserPoolClient"},
	},
	Update: Update{
		ReplaceOn: []string{"userPoolId", "generateSecret"},
		Sets:      []string{"allowedOauthFlows", "allowedOauthScopes", "callbackUrls", "explicitAuthFlows", "logoutUrls", "readAttributes", "supportedIdentityProviders", "writeAttributes"},
	},
	Mock: func(m *Mock) {
		m.ID = strings.ToLower(alnumOf(m.URN, 26))
		m.Set("clientSecret", Secret{Value: m.Hex("secret", 51)})
	},
	Cost: Cost{Free: "app clients cost nothing"},
	Checks: []Check{{
		Source: "Cognito app clients: callback and sign-out URLs must be absolute HTTPS URLs (http only for localhost) without a fragment",
		Check: func(r snapshot.Resource) []Finding {
			var out []Finding
			for _, key := range []string{"callbackUrls", "logoutUrls"} {
				for i, u := range strs(r.Inputs[key]) {
					p, err := url.Parse(u)
					ok := err == nil && p.Host != "" && p.Fragment == "" &&
						(p.Scheme == "https" || p.Scheme == "http" && p.Hostname() == "localhost")
					if !ok {
						out = append(out, finding(fmt.Sprintf("%s[%d]", key, i), "Cognito accepts only absolute https URLs (http for localhost) without a fragment: %q", u)...)
					}
				}
			}
			return out
		},
	}},
})

// UserPoolDomain is the pool's sign-in domain: a prefix domain, or a
// custom domain with a certificate in us-east-1.
var UserPoolDomain = register(Type{
	Token:     "aws:cognito/userPoolDomain:UserPoolDomain",
	Terraform: "aws_cognito_user_pool_domain",
	Deploy: Deploy{
		Actions: []string{"cognito-idp:CreateUserPoolDomain", "cognito-idp:DeleteUserPoolDomain", "cognito-idp:DescribeUserPoolDomain", "cognito-idp:UpdateUserPoolDomain"},
		// A custom domain is a CloudFront distribution in Cognito's
		// account, which the caller must be allowed to update (Cognito
		// Developer Guide, "Using your own domain for managed login").
		ActionsFor: func(r snapshot.Resource) []string {
			if _, custom := r.Inputs["certificateArn"]; custom {
				return []string{"cloudfront:UpdateDistribution"}
			}
			return nil
		},
	},
	Update: Update{
		ReplaceOn: []string{"domain", "userPoolId"},
		// Between the prefix domain and a custom domain; a custom domain's
		// certificate changes in place.
		ReplaceWhen: func(old, new snapshot.Resource) string {
			_, o := old.Inputs["certificateArn"]
			_, n := new.Inputs["certificateArn"]
			if o != n {
				return "it changes between a prefix and a custom domain"
			}
			return ""
		},
		Claims: func(r snapshot.Resource) []Claim {
			domain := fmt.Sprint(r.Inputs["domain"])
			kind := "prefix"
			if _, custom := r.Inputs["certificateArn"]; custom {
				kind = "custom"
			}
			return []Claim{
				{Key: "Cognito domain " + domain, From: []string{"domain"}},
				{Key: fmt.Sprintf("the %s domain of user pool %v", kind, r.Inputs["userPoolId"]), From: []string{"userPoolId"}},
			}
		},
		Loses: "the sign-in domain is released and may be taken by another account",
	},
	Mock: func(m *Mock) {
		m.ID = m.Input("domain")
		m.Set("cloudfrontDistribution", "d"+m.Hex("cf", 13)+".cloudfront.net")
		m.Set("cloudfrontDistributionZoneId", "Z2FDTNDATAQYW2") // CloudFront's alias zone
		m.Set("awsAccountId", Account)
	},
	Cost: Cost{Free: "domains cost nothing (a custom domain's CloudFront distribution is Cognito's)"},
	Checks: []Check{{
		Source: "Cognito CreateUserPoolDomain: a prefix domain matches ^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$ and contains no aws, amazon or cognito",
		Check: func(r snapshot.Resource) []Finding {
			if _, custom := r.Inputs["certificateArn"]; custom {
				return nil // a custom domain is a host name, checked by ACM and Route 53
			}
			d, _ := r.Inputs["domain"].(string)
			if msg := awsfacts.CheckCognitoPrefix(d); msg != "" {
				return finding("domain", "%s", msg)
			}
			return nil
		},
	}},
})

// identityProviderReadBack is what Cognito keeps for a provider of each type
// (awsfacts): Google's constant details, the endpoints it discovers for an
// OIDC provider, the details it derives from a SAML provider's metadata,
// and the user name mapping of Google and OIDC providers.
func identityProviderReadBack(r snapshot.Resource) map[string]any {
	out := map[string]any{}
	set := func(prefix string, m map[string]string) {
		for k, v := range m {
			out[prefix+k] = v
		}
	}
	unknown := func(keys []string, what string) {
		for _, k := range keys {
			out["providerDetails."+k] = what
		}
	}
	switch r.Inputs["providerType"] {
	case "Google":
		set("providerDetails.", awsfacts.GoogleStoredDetails)
		set("attributeMapping.", awsfacts.FederatedUsername)
	case "OIDC":
		unknown(awsfacts.OidcStoredDetails, "(discovered from the issuer)")
		set("attributeMapping.", awsfacts.FederatedUsername)
	case "SAML":
		unknown(awsfacts.SamlStoredDetails, "(derived from the metadata)")
	}
	return out
}
