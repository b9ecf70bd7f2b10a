package tests

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
	"github.com/example/alb-cognito-fargate/tools/synth"
)

const (
	oidcSecret  = "oidc-client-secret-9f8e7d6c"
	googleScret = "google-client-secret-1a2b3c4d"
)

// threeProviders: Okta over OIDC (with a client secret), Entra ID over SAML,
// and Google (with a client secret).
var threeProviders = `[` +
	`{"name":"Okta","type":"oidc","issuer":"https://example.okta.com","clientId":"0oa1example","clientSecret":"` + oidcSecret + `"},` +
	`{"name":"EntraID","type":"saml","metadataUrl":"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/federationmetadata/2007-06/federationmetadata.xml","attributeMapping":{"email":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}},` +
	`{"name":"Google","type":"google","clientId":"1234-example.apps.googleusercontent.com","clientSecret":"` + googleScret + `","allowedEmailDomains":["example.com"]}]`

// Federated sign-in: one identity provider per configured provider, with
// the details Cognito needs; client secrets only as secrets (never in the
// synthesis); the app client lists exactly the enabled providers (the pool's
// own users first) and waits for them.
func TestFederatedSignIn(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"identityProviders": threeProviders}), "identityProviders")
	pool, client := one(t, res, tPool), one(t, res, tClient)
	idps := map[string]snapshot.Resource{}
	for _, r := range res.ByType(tIdp) {
		idps[fmt.Sprint(r.Inputs["providerName"])] = r
		if r.Inputs["userPoolId"] != pool.ID {
			t.Errorf("%s is in pool %v", r.Name, r.Inputs["userPoolId"])
		}
	}
	want := map[string]struct {
		typ     string
		details map[string]any
	}{
		"Okta":    {"OIDC", map[string]any{"oidc_issuer": "https://example.okta.com", "client_id": "0oa1example", "client_secret": "[secret]", "authorize_scopes": "openid email profile", "attributes_request_method": "GET"}},
		"EntraID": {"SAML", map[string]any{"MetadataURL": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/federationmetadata/2007-06/federationmetadata.xml", "IDPSignout": "false"}},
		// What Cognito stores for every Google provider, sent so that the
		// next preview finds nothing to change.
		"Google": {"Google", map[string]any{"client_id": "1234-example.apps.googleusercontent.com", "client_secret": "[secret]", "authorize_scopes": "openid email profile",
			"attributes_url": "https://people.googleapis.com/v1/people/me?personFields=", "attributes_url_add_attributes": "true",
			"authorize_url": "https://accounts.google.com/o/oauth2/v2/auth", "oidc_issuer": "https://accounts.google.com",
			"token_request_method": "POST", "token_url": "https://www.googleapis.com/oauth2/v4/token"}},
	}
	for name, w := range want {
		r, ok := idps[name]
		if !ok {
			t.Errorf("no identity provider %s", name)
			continue
		}
		if r.Inputs["providerType"] != w.typ || fmt.Sprint(r.Inputs["providerDetails"]) != fmt.Sprint(w.details) {
			t.Errorf("%s: type %v details %v, want %s %v", name, r.Inputs["providerType"], r.Inputs["providerDetails"], w.typ, w.details)
		}
		if _, ok := lookup(r.Inputs, "attributeMapping", "email"); !ok {
			t.Errorf("%s maps no email: %v", name, r.Inputs["attributeMapping"])
		}
		if !slices.Contains(client.DependsOn, r.URN) {
			t.Errorf("the app client does not wait for %s", name)
		}
	}
	if got := strs(t, client.Inputs["supportedIdentityProviders"]); !slices.Equal(got, []string{"COGNITO", "Okta", "EntraID", "Google"}) {
		t.Errorf("supportedIdentityProviders = %v", got)
	}
	js, _ := res.JSON()
	if bytes.Contains(js, []byte(oidcSecret)) || bytes.Contains(js, []byte(googleScret)) {
		t.Error("a client secret appears in plain text in the synthesis")
	}
	// With local users, the ALB lets Cognito show its chooser.
	for _, r := range res.ByType(tRule) {
		if strings.Contains(fmt.Sprint(r.Inputs["actions"]), "identity_provider") {
			t.Errorf("rule %s skips the chooser although users have several ways in", r.Name)
		}
	}
}

// A secret in plain text is refused (it would sit unencrypted in the stack
// file and show in the state): the message says how to set it as a secret,
// and never repeats it.
func TestClientSecretsMustBeSecrets(t *testing.T) {
	_, err := synth.Run(synth.StackConfig{Project: config.Namespace, Stack: testStackName, Values: withConfig(map[string]string{"identityProviders": threeProviders})}, stack.Program)
	var ce *config.Error
	if !errors.As(err, &ce) || !slices.Contains(ce.Keys(), ns+"identityProviders") || !strings.Contains(err.Error(), "pulumi config set --secret --path") {
		t.Fatalf("want identityProviders refused with how to set the secret, got %v", err)
	}
	if strings.Contains(err.Error(), oidcSecret) {
		t.Error("the error repeats the secret")
	}
}

// One provider and no local users: the ALB sends users straight to it
// (identity_provider), without Cognito's chooser, and the client offers
// only that provider.
func TestOneProviderWithoutLocalUsersSkipsTheChooser(t *testing.T) {
	okta := `[{"name":"Okta","type":"saml","metadataUrl":"https://example.okta.com/app/exk1/sso/saml/metadata","attributeMapping":{"email":"email"}}]`
	res := synthesize(t, withConfig(map[string]string{"identityProviders": okta, "localUsers": "false"}))
	if got := strs(t, one(t, res, tClient).Inputs["supportedIdentityProviders"]); !slices.Equal(got, []string{"Okta"}) {
		t.Errorf("supportedIdentityProviders = %v, want only Okta", got)
	}
	for _, r := range res.ByType(tRule) {
		for _, a := range list(t, r.Inputs["actions"]) {
			if at(t, a, "type") == "authenticate-cognito" && at(t, a, "authenticateCognito", "authenticationRequestExtraParams", "identity_provider") != "Okta" {
				t.Errorf("rule %s: extra params %v, want identity_provider Okta", r.Name, at(t, a, "authenticateCognito", "authenticationRequestExtraParams"))
			}
		}
	}
}

// Groups become Cognito groups in the pool; ADMIN_GROUP is adminGroup,
// whatever the order of the groups, and empty without one (no
// administrators), however many groups there are.
func TestGroups(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"groups": `[{"name":"admins","description":"Administrators"},{"name":"staff"}]`, "adminGroup": "admins"}))
	pool := one(t, res, tPool)
	var names []string
	for _, g := range res.ByType(tGroup) {
		names = append(names, fmt.Sprint(g.Inputs["name"]))
		if g.Inputs["userPoolId"] != pool.ID {
			t.Errorf("group %s is in pool %v", g.Name, g.Inputs["userPoolId"])
		}
	}
	if !equalSets(names, []string{"admins", "staff"}) || at(t, named(t, res, tGroup, "identity-group-admins").Inputs, "description") != "Administrators" {
		t.Errorf("groups = %v", names)
	}
	env := containerEnv(t, res)
	if env["ADMIN_GROUP"] != "admins" {
		t.Errorf("ADMIN_GROUP = %v, want admins", env["ADMIN_GROUP"])
	}
	if iss, pool := env["COGNITO_ISSUER"], one(t, res, tPool); iss != "https://cognito-idp.eu-west-1.amazonaws.com/"+pool.ID {
		t.Errorf("COGNITO_ISSUER = %v, want the pool's issuer", iss)
	}
	reordered := containerEnv(t, synthesize(t, withConfig(map[string]string{"groups": `[{"name":"staff"},{"name":"admins","description":"Administrators"}]`, "adminGroup": "admins"})))
	if reordered["ADMIN_GROUP"] != "admins" {
		t.Errorf("reordering the groups made %v the administrators", reordered["ADMIN_GROUP"])
	}
	if none := containerEnv(t, synthesize(t, withConfig(map[string]string{"groups": `[{"name":"admins"},{"name":"staff"}]`}))); none["ADMIN_GROUP"] != "" {
		t.Errorf("without adminGroup, ADMIN_GROUP = %v, want empty (no administrators)", none["ADMIN_GROUP"])
	}
}

// API paths: a request without a session gets 401 (onUnauthenticatedRequest
// deny), not a redirect a fetch() cannot follow; sign-in still applies, and
// the rules sit between the public rules and the catch-all sign-in rules.
func TestAPIPathsAnswer401WithoutASession(t *testing.T) {
	cfg := withConfig(map[string]string{
		"alternateDomainNames": `["www.app.example.com","api.example.com","admin.example.com"]`,
		"publicPaths":          `["/healthz"]`,
		"apiPaths":             `["/api/*","/graphql","/v1/*","/v2/*"]`,
	})
	res := synthesize(t, cfg)
	rules := rulesOf(t, res)
	for _, inv := range ruleInvariants {
		t.Run(inv.name, func(t *testing.T) { inv.check(t, rules, siteOf(t, res, cfg)) })
	}
	var apiPrios, publicPrios []int
	for _, r := range rules {
		switch {
		case r.denies():
			apiPrios = append(apiPrios, r.priority)
		case !r.authenticated():
			publicPrios = append(publicPrios, r.priority)
		}
	}
	if len(apiPrios) == 0 || slices.Max(publicPrios) >= slices.Min(apiPrios) {
		t.Errorf("priorities: public %v, api %v; want public < api", publicPrios, apiPrios)
	}
}

// MFA on (the default): the hosted sign-in makes every user set up an
// authenticator app, and tokens get no extra scope. Optional: users enrol in
// the app with their own access token, which then needs
// aws.cognito.signin.user.admin, on the client and in the ALB's request.
func TestMfaAndTheUserAdminScope(t *testing.T) {
	for _, tc := range []struct {
		mfa       string
		wantScope bool
	}{{"on", false}, {"optional", true}, {"off", false}} {
		res := synthesize(t, withConfig(map[string]string{"mfa": tc.mfa}))
		client := one(t, res, tClient)
		if got := slices.Contains(strs(t, client.Inputs["allowedOauthScopes"]), "aws.cognito.signin.user.admin"); got != tc.wantScope {
			t.Errorf("mfa %s: client scope aws.cognito.signin.user.admin = %v", tc.mfa, got)
		}
		for _, r := range res.ByType(tRule) {
			for _, a := range list(t, r.Inputs["actions"]) {
				if s, ok := lookup(a, "authenticateCognito", "scope"); ok && strings.Contains(s.(string), "aws.cognito.signin.user.admin") != tc.wantScope {
					t.Errorf("mfa %s: rule %s requests %q", tc.mfa, r.Name, s)
				}
			}
		}
	}
	if d := one(t, synthesize(t, baseConfig()), tDomain); num(t, d.Inputs["managedLoginVersion"]) != 1 {
		t.Errorf("the hosted UI version must be pinned to the classic hosted UI (1), got %v", d.Inputs["managedLoginVersion"])
	}
}

// The sign-in pages on the stack's own domain: a certificate in us-east-1
// (Cognito serves custom domains through CloudFront) through a second,
// explicit provider, validated in the hosted zone; the custom domain,
// created after its parent's A record and replaced delete-first; an alias
// record to its CloudFront distribution; and the rules, the containers and
// the output use it.
func TestOwnSignInDomain(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"authDomainName": "auth.app.example.com"}))
	prov := one(t, res, tProvider)
	if prov.Inputs["region"] != "us-east-1" {
		t.Fatalf("second provider region = %v, want us-east-1", prov.Inputs["region"])
	}
	cert := named(t, res, tCert, "edge-auth-cert")
	if cert.Provider != prov.URN || cert.Inputs["domainName"] != "auth.app.example.com" || cert.Inputs["validationMethod"] != "DNS" {
		t.Errorf("auth certificate %v on provider %q", cert.Inputs, cert.Provider)
	}
	if v := named(t, res, tCertValid, "edge-auth-cert-validation"); v.Provider != prov.URN || v.Inputs["certificateArn"] != cert.ID {
		t.Errorf("auth certificate validation %v on %q", v.Inputs, v.Provider)
	}
	zone := lookedUpZone(t, res, "example.com")
	asked := list(t, cert.Outputs["domainValidationOptions"])
	rec := named(t, res, tRecord, "edge-cert-validation-auth.app.example.com")
	if rec.Inputs["zoneId"] != zone || rec.Inputs["name"] != at(t, asked[0], "resourceRecordName") {
		t.Errorf("auth validation record %v", rec.Inputs)
	}
	domain := named(t, res, tDomain, "edge-auth-domain")
	if domain.Inputs["domain"] != "auth.app.example.com" || domain.Inputs["userPoolId"] != one(t, res, tPool).ID || !domain.DeleteBeforeReplace {
		t.Errorf("custom domain %v (delete first %v)", domain.Inputs, domain.DeleteBeforeReplace)
	}
	if !slices.Contains(domain.DependsOn, named(t, res, tRecord, "edge-dns-app.example.com").URN) {
		t.Error("the custom domain must wait for its parent's A record (app.example.com): Cognito checks it")
	}
	alias := named(t, res, tRecord, "edge-dns-auth.app.example.com")
	if at(t, alias.Inputs, "aliases", 0, "name") != domain.Outputs["cloudfrontDistribution"] || at(t, alias.Inputs, "aliases", 0, "zoneId") != "Z2FDTNDATAQYW2" || alias.Inputs["type"] != "A" {
		t.Errorf("auth alias record %v", alias.Inputs)
	}
	for _, r := range res.ByType(tRule) {
		for _, a := range list(t, r.Inputs["actions"]) {
			if d, ok := lookup(a, "authenticateCognito", "userPoolDomain"); ok && d != "auth.app.example.com" {
				t.Errorf("rule %s signs in on %v", r.Name, d)
			}
		}
		if auth := strings.Contains(fmt.Sprint(r.Inputs["actions"]), "authenticate-cognito"); auth && !slices.Contains(r.DependsOn, domain.URN) {
			t.Errorf("rule %s does not wait for the custom domain", r.Name)
		}
	}
	if env := containerEnv(t, res); env["COGNITO_DOMAIN"] != "https://auth.app.example.com" {
		t.Errorf("COGNITO_DOMAIN = %v", env["COGNITO_DOMAIN"])
	}
	if res.Outputs["cognitoDomain"] != "https://auth.app.example.com" {
		t.Errorf("cognitoDomain output = %v", res.Outputs["cognitoDomain"])
	}
}

// Production identity settings: the feature tier pinned, threat protection
// only with Plus, email through a verified SES identity.
func TestTierThreatProtectionAndEmail(t *testing.T) {
	in := one(t, synthesize(t, baseConfig()), tPool).Inputs
	if in["userPoolTier"] != "ESSENTIALS" || at(t, in, "userPoolAddOns", "advancedSecurityMode") != "OFF" || at(t, in, "emailConfiguration", "emailSendingAccount") != "COGNITO_DEFAULT" {
		t.Errorf("defaults: tier %v add-ons %v email %v", in["userPoolTier"], in["userPoolAddOns"], in["emailConfiguration"])
	}
	res := synthesize(t, withConfig(map[string]string{"userPoolTier": "PLUS", "threatProtection": "enforced", "emailSender": "Example <no-reply@mail.example.com>"}))
	in = one(t, res, tPool).Inputs
	if in["userPoolTier"] != "PLUS" || at(t, in, "userPoolAddOns", "advancedSecurityMode") != "ENFORCED" {
		t.Errorf("tier %v add-ons %v", in["userPoolTier"], in["userPoolAddOns"])
	}
	e := in["emailConfiguration"]
	if at(t, e, "emailSendingAccount") != "DEVELOPER" || at(t, e, "fromEmailAddress") != "Example <no-reply@mail.example.com>" ||
		at(t, e, "sourceArn") != "arn:aws:ses:eu-west-1:123456789012:identity/mail.example.com" {
		t.Errorf("email configuration = %v", e)
	}
	in = one(t, synthesize(t, withConfig(map[string]string{"emailSender": "no-reply@example.com", "emailSenderIdentity": "no-reply@example.com"})), tPool).Inputs
	if at(t, in, "emailConfiguration", "sourceArn") != "arn:aws:ses:eu-west-1:123456789012:identity/no-reply@example.com" {
		t.Errorf("address identity: %v", in["emailConfiguration"])
	}
}

// prod shows the production identity settings; dev stays cheap.
func TestProdSignInSettings(t *testing.T) {
	prod, dev := synthesizeStackFile(t, "prod"), synthesizeStackFile(t, "dev")
	if len(prod.ByType(tIdp)) == 0 || one(t, prod, tPool).Inputs["mfaConfiguration"] != "ON" || at(t, one(t, prod, tPool).Inputs, "emailConfiguration", "emailSendingAccount") != "DEVELOPER" {
		t.Error("prod must use a federated provider, mfa on and an SES sender")
	}
	if in := one(t, dev, tPool).Inputs; in["userPoolTier"] == "PLUS" || at(t, in, "emailConfiguration", "emailSendingAccount") != "COGNITO_DEFAULT" || len(dev.ByType(tProvider)) != 0 {
		t.Error("dev must stay cheap: no Plus tier, no SES, no custom domain")
	}
}

func containerEnv(t testing.TB, res *snapshot.Stack) map[string]any {
	t.Helper()
	env := map[string]any{}
	c := at(t, decodeJSON(t, one(t, res, tTaskDef).Inputs["containerDefinitions"]), 0)
	for _, e := range list(t, at(t, c, "environment")) {
		env[fmt.Sprint(at(t, e, "name"))] = at(t, e, "value")
	}
	return env
}
