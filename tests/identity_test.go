package tests

import (
	"fmt"
	"regexp"
	"slices"
	"testing"
)

var fiveHosts = map[string]string{
	"domainName":           "app.example.com",
	"alternateDomainNames": `["www.app.example.com","api.example.com","admin.example.com","example.com"]`,
}

var fiveHostNames = []string{"app.example.com", "www.app.example.com", "api.example.com", "admin.example.com", "example.com"}

// aws-facts: the app client must suit the ALB (secret, code flow, openid,
// user-pool OAuth on, identity provider set) and list exactly
// https://<host>/oauth2/idpresponse for every host users browse to.
func TestAppClientIsMadeForTheAlb(t *testing.T) {
	res := synthesize(t, withConfig(fiveHosts))
	client := one(t, res, tClient)
	in := client.Inputs

	if in["generateSecret"] != true {
		t.Error("generateSecret must be true: the ALB is a confidential client")
	}
	if in["allowedOauthFlowsUserPoolClient"] != true {
		t.Error("allowedOauthFlowsUserPoolClient must be true, or the OAuth settings are ignored")
	}
	if got := strs(t, in["allowedOauthFlows"]); !slices.Equal(got, []string{"code"}) {
		t.Errorf("allowedOauthFlows = %v, want [code]", got)
	}
	if got := strs(t, in["allowedOauthScopes"]); !equalSets(got, []string{"openid", "email", "profile"}) {
		t.Errorf("allowedOauthScopes = %v, want openid email profile", got)
	}
	if got := strs(t, in["supportedIdentityProviders"]); !slices.Contains(got, "COGNITO") {
		t.Errorf("supportedIdentityProviders = %v, want COGNITO", got)
	}
	var wantCallbacks []string
	for _, h := range fiveHostNames {
		wantCallbacks = append(wantCallbacks, "https://"+h+"/oauth2/idpresponse")
	}
	if got := strs(t, in["callbackUrls"]); !equalSets(got, wantCallbacks) {
		t.Errorf("callbackUrls = %v, want exactly %v", got, wantCallbacks)
	}
	for _, u := range strs(t, in["logoutUrls"]) {
		if !regexp.MustCompile(`^https://[a-z0-9.-]+/`).MatchString(u) {
			t.Errorf("logout URL %q is not an https URL on a site host", u)
		}
	}
	if len(strs(t, in["logoutUrls"])) != len(fiveHostNames) {
		t.Errorf("want a logout URL per host, got %v", in["logoutUrls"])
	}
	if in["preventUserExistenceErrors"] != "ENABLED" {
		t.Error("preventUserExistenceErrors must be ENABLED")
	}
	for _, k := range []string{"accessTokenValidity", "idTokenValidity", "refreshTokenValidity"} {
		if num(t, in[k]) <= 0 {
			t.Errorf("%s must be set explicitly", k)
		}
	}
	if at(t, in, "tokenValidityUnits", "refreshToken") != "days" || at(t, in, "tokenValidityUnits", "accessToken") != "minutes" {
		t.Errorf("token validity units = %v", in["tokenValidityUnits"])
	}
	pool := one(t, res, tPool)
	if in["userPoolId"] != pool.ID {
		t.Errorf("client is in pool %v, want %v", in["userPoolId"], pool.ID)
	}
}

// The user pool: email sign-in, case-insensitive, verified, recoverable, a
// strong password (Cognito.3), admin-only sign-up by default, MFA per config.
func TestUserPoolDefaults(t *testing.T) {
	res := synthesize(t, baseConfig())
	in := one(t, res, tPool).Inputs
	if got := strs(t, in["usernameAttributes"]); !slices.Equal(got, []string{"email"}) {
		t.Errorf("usernameAttributes = %v", got)
	}
	if at(t, in, "usernameConfiguration", "caseSensitive") != false {
		t.Error("user names must be case-insensitive")
	}
	if got := strs(t, in["autoVerifiedAttributes"]); !slices.Equal(got, []string{"email"}) {
		t.Errorf("autoVerifiedAttributes = %v", got)
	}
	if at(t, in, "accountRecoverySetting", "recoveryMechanisms", 0, "name") != "verified_email" {
		t.Errorf("recovery = %v", in["accountRecoverySetting"])
	}
	pp := in["passwordPolicy"]
	if num(t, at(t, pp, "minimumLength")) < 8 || at(t, pp, "requireLowercase") != true || at(t, pp, "requireUppercase") != true ||
		at(t, pp, "requireNumbers") != true || at(t, pp, "requireSymbols") != true || num(t, at(t, pp, "temporaryPasswordValidityDays")) > 7 {
		t.Errorf("password policy is not strong (Cognito.3): %v", pp)
	}
	if at(t, in, "adminCreateUserConfig", "allowAdminCreateUserOnly") != true {
		t.Error("by default only administrators may create users")
	}
	// MFA that happens: required, so the hosted sign-in makes every user set
	// up an authenticator app at first sign-in.
	if in["mfaConfiguration"] != "ON" || at(t, in, "softwareTokenMfaConfiguration", "enabled") != true {
		t.Errorf("mfa = %v %v, want ON with TOTP", in["mfaConfiguration"], in["softwareTokenMfaConfiguration"])
	}
	// Off means off, said explicitly: threat protection (which needs the
	// Plus tier) and e-mail through SES.
	if at(t, in, "userPoolAddOns", "advancedSecurityMode") != "OFF" || fmt.Sprint(in["emailConfiguration"]) != "map[emailSendingAccount:COGNITO_DEFAULT]" {
		t.Errorf("without threat protection and a sender: add-ons %v, email %v; want OFF and COGNITO_DEFAULT", in["userPoolAddOns"], in["emailConfiguration"])
	}
}

func TestUserPoolSwitches(t *testing.T) {
	cases := []struct {
		set        map[string]string
		wantMfa    string
		wantTotp   bool
		wantAdmins bool
	}{
		{map[string]string{"mfa": "off", "selfSignUp": "true"}, "OFF", false, false},
		{map[string]string{"mfa": "on"}, "ON", true, true},
		{map[string]string{"mfa": "optional"}, "OPTIONAL", true, true},
	}
	for _, tc := range cases {
		in := one(t, synthesize(t, withConfig(tc.set)), tPool).Inputs
		if in["mfaConfiguration"] != tc.wantMfa {
			t.Errorf("%v: mfaConfiguration = %v", tc.set, in["mfaConfiguration"])
		}
		v, ok := lookup(in, "softwareTokenMfaConfiguration", "enabled")
		if got := ok && v == true; got != tc.wantTotp {
			t.Errorf("%v: TOTP enabled = %v", tc.set, got)
		}
		if got := at(t, in, "adminCreateUserConfig", "allowAdminCreateUserOnly"); got != tc.wantAdmins {
			t.Errorf("%v: allowAdminCreateUserOnly = %v", tc.set, got)
		}
	}
}

// aws-facts: a pool with a domain cannot be deleted before its domain. The
// domain depends on the pool, so Pulumi deletes the domain first.
func TestDomainIsDeletedBeforeThePool(t *testing.T) {
	res := synthesize(t, baseConfig())
	pool, domain := one(t, res, tPool), one(t, res, tDomain)
	if !slices.Contains(domain.DependsOn, pool.URN) {
		t.Fatalf("the domain does not depend on the pool: %v", domain.DependsOn)
	}
	if domain.Inputs["userPoolId"] != pool.ID {
		t.Fatalf("domain is for pool %v, want %v", domain.Inputs["userPoolId"], pool.ID)
	}
}

// The hosted UI domain uses the derived prefix, which is valid, or the configured one.
func TestDomainPrefix(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	reserved := regexp.MustCompile(`aws|amazon|cognito`)

	res := synthesize(t, baseConfig())
	derived, _ := one(t, res, tDomain).Inputs["domain"].(string)
	if !valid.MatchString(derived) || reserved.MatchString(derived) {
		t.Fatalf("derived prefix %q is not a valid Cognito domain prefix", derived)
	}
	if res.Outputs["cognitoDomain"] != "https://"+derived+".auth.eu-west-1.amazoncognito.com" {
		t.Errorf("cognitoDomain output = %v", res.Outputs["cognitoDomain"])
	}
	// The rule signs users in on the same domain.
	for _, r := range res.ByType(tRule) {
		for _, a := range list(t, r.Inputs["actions"]) {
			if d, ok := lookup(a, "authenticateCognito", "userPoolDomain"); ok && d != derived {
				t.Errorf("rule %s uses domain %v, want %v", r.Name, d, derived)
			}
		}
	}

	set := synthesize(t, withConfig(map[string]string{"cognitoDomainPrefix": "acme-login"}))
	if got := one(t, set, tDomain).Inputs["domain"]; got != "acme-login" {
		t.Errorf("configured prefix: domain = %v", got)
	}
}

// Stack files: protection on in prod, off in dev.
func TestProtectionFollowsTheEnvironment(t *testing.T) {
	for _, tc := range []struct {
		stack string
		on    bool
	}{{"dev", false}, {"prod", true}} {
		t.Run(tc.stack, func(t *testing.T) {
			res := synthesizeStackFile(t, tc.stack)
			pool := one(t, res, tPool)
			if pool.Protect != tc.on {
				t.Errorf("user pool Pulumi protect = %v", pool.Protect)
			}
			wantDeletionProtection := map[bool]string{true: "ACTIVE", false: "INACTIVE"}[tc.on]
			if pool.Inputs["deletionProtection"] != wantDeletionProtection {
				t.Errorf("user pool deletionProtection = %v, want %s", pool.Inputs["deletionProtection"], wantDeletionProtection)
			}
			if got := one(t, res, tAlb).Inputs["enableDeletionProtection"]; got != tc.on {
				t.Errorf("ALB enableDeletionProtection = %v", got)
			}
		})
	}
}

// A pool has one prefix domain, and prefixes are unique across AWS: a new
// prefix can only be created once the old domain is gone, so the domain is
// replaced delete-before-create (Pulumi's default, create first, fails).
func TestDomainIsReplacedDeleteFirst(t *testing.T) {
	if d := one(t, synthesize(t, baseConfig()), tDomain); !d.DeleteBeforeReplace {
		t.Fatal("the Cognito domain must be replaced delete-before-create")
	}
}
