package tests

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/tools/synth"
)

// Every bad configuration is rejected with an error that names its key, and
// before any resource is registered.
func TestBadConfigIsRejectedBeforeAnyResource(t *testing.T) {
	long := strings.Repeat("a", 60) + ".example.com" // 72 characters
	elevenHosts := `["h1.example.com","h2.example.com","h3.example.com","h4.example.com","h5.example.com",` +
		`"h6.example.com","h7.example.com","h8.example.com","h9.example.com","h10.example.com"]`
	cases := []struct {
		name    string
		set     map[string]string
		wantKey string
	}{
		{"domainName missing", map[string]string{"domainName": "<unset>"}, ns + "domainName"},
		{"hostedZoneName missing", map[string]string{"hostedZoneName": "<unset>"}, ns + "hostedZoneName"},
		{"region missing", map[string]string{"aws:region": "<unset>"}, "aws:region"},
		{"hostedZoneName with trailing dot", map[string]string{"hostedZoneName": "example.com."}, ns + "hostedZoneName"},
		{"domainName outside the zone", map[string]string{"domainName": "app.example.org"}, ns + "domainName"},
		{"domainName in upper case", map[string]string{"domainName": "App.example.com"}, ns + "domainName"},
		{"domainName wildcard", map[string]string{"domainName": "*.example.com"}, ns + "domainName"},
		{"domainName longer than a Common Name", map[string]string{"domainName": long}, ns + "domainName"},
		{"domainName not a domain", map[string]string{"domainName": "app_1.example.com"}, ns + "domainName"},
		{"alternate duplicates domainName", map[string]string{"alternateDomainNames": `["app.example.com"]`}, ns + "alternateDomainNames[0]"},
		{"alternate outside the zone", map[string]string{"alternateDomainNames": `["www.example.com","www.example.net"]`}, ns + "alternateDomainNames[1]"},
		{"more hosts than a certificate holds", map[string]string{"alternateDomainNames": elevenHosts}, ns + "alternateDomainNames"},
		{"alternates not a list", map[string]string{"alternateDomainNames": "www.example.com"}, ns + "alternateDomainNames"},
		{"one availability zone", map[string]string{"availabilityZones": "1"}, ns + "availabilityZones"},
		{"availability zones not a number", map[string]string{"availabilityZones": "two"}, ns + "availabilityZones"},
		{"unknown NAT strategy", map[string]string{"natGateways": "none"}, ns + "natGateways"},
		{"VPC block too large", map[string]string{"vpcCidr": "10.0.0.0/8"}, ns + "vpcCidr"},
		{"VPC block with host bits", map[string]string{"vpcCidr": "10.0.1.0/16"}, ns + "vpcCidr"},
		{"VPC block not private", map[string]string{"vpcCidr": "8.8.0.0/16"}, ns + "vpcCidr"},
		{"image with a space", map[string]string{"image": "nginx latest"}, ns + "image"},
		{"image set with builtInApp", map[string]string{"builtInApp": "true", "image": "nginx"}, ns + "image"},
		{"privileged port with builtInApp", map[string]string{"builtInApp": "true", "containerPort": "80"}, ns + "containerPort"},
		{"environment sets what the stack sets", map[string]string{"environment": `{"LOGOUT_URL":"https://evil.example/"}`}, ns + "environment.LOGOUT_URL"},
		{"container port negative", map[string]string{"containerPort": "-1"}, ns + "containerPort"},
		{"container port too high", map[string]string{"containerPort": "70000"}, ns + "containerPort"},
		{"cpu not a Fargate value", map[string]string{"cpu": "300"}, ns + "cpu"},
		{"memory not offered with the cpu", map[string]string{"cpu": "256", "memory": "4096"}, ns + "memory"},
		{"memory off the step", map[string]string{"cpu": "8192", "memory": "18432"}, ns + "memory"},
		{"no tasks", map[string]string{"desiredCount": "0"}, ns + "desiredCount"},
		{"health check path without slash", map[string]string{"healthCheckPath": "health"}, ns + "healthCheckPath"},
		{"AWS secret key in environment", map[string]string{"environment": `{"AWS_SECRET_ACCESS_KEY":"x"}`}, ns + "environment.AWS_SECRET_ACCESS_KEY"},
		{"AWS access key in environment", map[string]string{"environment": `{"aws_access_key_id":"x"}`}, ns + "environment.aws_access_key_id"},
		{"environment name invalid", map[string]string{"environment": `{"1BAD":"x"}`}, ns + "environment.1BAD"},
		{"environment not an object", map[string]string{"environment": `["A=1"]`}, ns + "environment"},
		{"public path without slash", map[string]string{"publicPaths": `["health"]`}, ns + "publicPaths[0]"},
		{"public path that opens everything", map[string]string{"publicPaths": `["/health","/*"]`}, ns + "publicPaths[1]"},
		{"public path covering the Cognito callback", map[string]string{"publicPaths": `["/oauth2/*"]`}, ns + "publicPaths[0]"},
		{"public path twice", map[string]string{"publicPaths": `["/health","/health"]`}, ns + "publicPaths[1]"},
		{"public path with a space", map[string]string{"publicPaths": `["/my page"]`}, ns + "publicPaths[0]"},
		{"unknown MFA mode", map[string]string{"mfa": "sometimes"}, ns + "mfa"},
		{"session timeout zero", map[string]string{"sessionTimeoutSeconds": "0"}, ns + "sessionTimeoutSeconds"},
		{"session timeout over 7 days", map[string]string{"sessionTimeoutSeconds": "700000"}, ns + "sessionTimeoutSeconds"},
		{"domain prefix with a reserved word", map[string]string{"cognitoDomainPrefix": "my-aws-login"}, ns + "cognitoDomainPrefix"},
		{"domain prefix containing cognito", map[string]string{"cognitoDomainPrefix": "mycognitologin"}, ns + "cognitoDomainPrefix"},
		{"domain prefix starting with a hyphen", map[string]string{"cognitoDomainPrefix": "-login"}, ns + "cognitoDomainPrefix"},
		{"domain prefix in upper case", map[string]string{"cognitoDomainPrefix": "Login"}, ns + "cognitoDomainPrefix"},
		{"protect not a boolean", map[string]string{"protect": "yes"}, ns + "protect"},
		{"selfSignUp not a boolean", map[string]string{"selfSignUp": "maybe"}, ns + "selfSignUp"},
		{"log retention CloudWatch does not offer", map[string]string{"logRetentionDays": "10"}, ns + "logRetentionDays"},
		{"writable path relative", map[string]string{"writablePaths": `["tmp"]`}, ns + "writablePaths[0]"},
		{"region that does not exist", map[string]string{"aws:region": "eu-westt-1"}, "aws:region"},
		{"region without Cognito user pools", map[string]string{"aws:region": "cn-north-1"}, "aws:region"},
		{"GovCloud region", map[string]string{"aws:region": "us-gov-west-1"}, "aws:region"},
		{"more zones than the region offers", map[string]string{"availabilityZones": "4"}, ns + "availabilityZones"},
		{"more zones than Fargate runs in", map[string]string{"aws:region": "us-west-1", "availabilityZones": "3"}, ns + "availabilityZones"},
		{"address plan for too many zones", map[string]string{"maxAvailabilityZones": "7"}, ns + "maxAvailabilityZones"},
		{"address plan for one zone", map[string]string{"maxAvailabilityZones": "1"}, ns + "maxAvailabilityZones"},
		{"more zones than the address plan", map[string]string{"maxAvailabilityZones": "2", "availabilityZones": "3"}, ns + "availabilityZones"},
		{"host name longer than a rule matches", map[string]string{"alternateDomainNames": `["` + strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + `.example.com"]`}, ns + "alternateDomainNames[0]"},
		{"host name ending in digits", map[string]string{"hostedZoneName": "example.123", "domainName": "app.example.123"}, ns + "domainName"},
		{"environment over the task definition limit", map[string]string{"environment": `{"BIG":"` + strings.Repeat("x", 70000) + `"}`}, ns + "environment"},
		{"unknown key (typo)", map[string]string{"desiredCont": "3"}, ns + "desiredCont"},
		{"unknown key (wrong case)", map[string]string{"DesiredCount": "3"}, ns + "DesiredCount"},
		{"unknown key", map[string]string{"flavour": "vanilla"}, ns + "flavour"},
		{"identity providers not a list", map[string]string{"identityProviders": `{"name":"Okta"}`}, ns + "identityProviders"},
		{"identity provider with a misspelt field", map[string]string{"identityProviders": `[{"name":"Okta","type":"saml","metadataURL":"https://x.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0].metadataURL"},
		{"identity provider without a name", map[string]string{"identityProviders": `[{"type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0].name"},
		{"identity provider name ending in an underscore", map[string]string{"identityProviders": `[{"name":"Okta_","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0].name"},
		{"identity provider named COGNITO", map[string]string{"identityProviders": `[{"name":"Cognito","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0].name"},
		{"identity provider listed twice", map[string]string{"identityProviders": `[{"name":"Okta","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}},{"name":"okta","type":"saml","metadataUrl":"https://y.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[1].name"},
		{"identity provider of an unknown type", map[string]string{"identityProviders": `[{"name":"Corp","type":"ldap"}]`}, ns + "identityProviders[0].type"},
		{"OIDC issuer over http", map[string]string{"identityProviders": `[{"name":"Okta","type":"oidc","issuer":"http://example.okta.com","clientId":"a","clientSecret":"b"}]`}, ns + "identityProviders[0].issuer"},
		{"OIDC provider without a client id", map[string]string{"identityProviders": `[{"name":"Okta","type":"oidc","issuer":"https://example.okta.com","clientSecret":"b"}]`}, ns + "identityProviders[0].clientId"},
		{"OIDC provider without a client secret", map[string]string{"identityProviders": `[{"name":"Okta","type":"oidc","issuer":"https://example.okta.com","clientId":"a"}]`}, ns + "identityProviders[0].clientSecret"},
		{"OIDC scopes without openid", map[string]string{"identityProviders": `[{"name":"Okta","type":"oidc","issuer":"https://example.okta.com","clientId":"a","clientSecret":"b","scopes":"email profile"}]`}, ns + "identityProviders[0].scopes"},
		{"OIDC client secret in plain text", map[string]string{"identityProviders": `[{"name":"Okta","type":"oidc","issuer":"https://example.okta.com","clientId":"a","clientSecret":"b"}]`}, ns + "identityProviders"},
		{"Google provider not named Google", map[string]string{"identityProviders": `[{"name":"Gmail","type":"google","clientId":"a","clientSecret":"b"}]`}, ns + "identityProviders[0].name"},
		{"SAML provider with two metadata sources", map[string]string{"identityProviders": `[{"name":"Entra","type":"saml","metadataUrl":"https://x.example.com/m","metadataFile":"<EntityDescriptor/>","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0].metadataUrl"},
		{"SAML provider with a client id", map[string]string{"identityProviders": `[{"name":"Entra","type":"saml","metadataUrl":"https://x.example.com/m","clientId":"a","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0]"},
		{"SAML provider without an email mapping", map[string]string{"identityProviders": `[{"name":"Entra","type":"saml","metadataUrl":"https://x.example.com/m"}]`}, ns + "identityProviders[0].attributeMapping"},
		{"attribute mapping to an invalid attribute", map[string]string{"identityProviders": `[{"name":"Entra","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email","E Mail":"x"}}]`}, ns + "identityProviders[0].attributeMapping.E Mail"},
		{"identity provider name of 2 characters (Cognito needs 3)", map[string]string{"identityProviders": `[{"name":"Ok","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0].name"},
		{"identity provider name over 32 characters", map[string]string{"identityProviders": `[{"name":"` + strings.Repeat("a", 33) + `","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[0].name"},
		{"provider names one underscore apart", map[string]string{"identityProviders": `[{"name":"Entra","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}},{"name":"Entra_ID","type":"saml","metadataUrl":"https://y.example.com/m","attributeMapping":{"email":"email"}}]`}, ns + "identityProviders[1].name"},
		{"Google provider without an allow-list", map[string]string{"identityProviders": `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b"}]`}, ns + "identityProviders[0].allowedEmailDomains"},
		{"allowed domain with an @", map[string]string{"identityProviders": `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b","allowedEmailDomains":["@corp.example.org"]}]`}, ns + "identityProviders[0].allowedEmailDomains[0]"},
		{"allowed domain in upper case", map[string]string{"identityProviders": `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b","allowedEmailDomains":["Corp.Example.org"]}]`}, ns + "identityProviders[0].allowedEmailDomains[0]"},
		{"allowed domain with a wildcard", map[string]string{"identityProviders": `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b","allowedEmailDomains":["*.example.org"]}]`}, ns + "identityProviders[0].allowedEmailDomains[0]"},
		{"allowed address without a domain", map[string]string{"identityProviders": `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b","allowedEmails":["alice"]}]`}, ns + "identityProviders[0].allowedEmails[0]"},
		{"allowAnyAccount with an allow-list", map[string]string{"identityProviders": `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b","allowAnyAccount":true,"allowedEmailDomains":["corp.example.org"]}]`}, ns + "identityProviders[0].allowAnyAccount"},
		{"no local users and no providers", map[string]string{"localUsers": "false"}, ns + "localUsers"},
		{"group name with a space", map[string]string{"groups": `[{"name":"site admins"}]`}, ns + "groups[0].name"},
		{"group listed twice", map[string]string{"groups": `[{"name":"admins"},{"name":"admins"}]`}, ns + "groups[1].name"},
		{"adminGroup not one of groups", map[string]string{"groups": `[{"name":"staff"}]`, "adminGroup": "admins"}, ns + "adminGroup"},
		{"adminGroup without groups", map[string]string{"adminGroup": "admins"}, ns + "adminGroup"},
		{"groups not a list", map[string]string{"groups": `"admins"`}, ns + "groups"},
		{"API path matching everything", map[string]string{"apiPaths": `["/*"]`}, ns + "apiPaths[0]"},
		{"API path that is also public", map[string]string{"publicPaths": `["/api/health"]`, "apiPaths": `["/api/health"]`}, ns + "apiPaths[0]"},
		{"API path matching the sign-out landing page", map[string]string{"apiPaths": `["/logged*"]`}, ns + "apiPaths[0]"},
		{"API path matching the Cognito callback", map[string]string{"apiPaths": `["/oauth2/*"]`}, ns + "apiPaths[0]"},
		{"more listener rules than an ALB allows", map[string]string{"alternateDomainNames": `["h1.example.com","h2.example.com","h3.example.com","h4.example.com","h5.example.com","h6.example.com","h7.example.com","h8.example.com","h9.example.com"]`, "publicPaths": thirtyPaths(), "apiPaths": strings.ReplaceAll(thirtyPaths(), "/public/", "/api/")}, ns + "apiPaths"},
		{"sign-in domain outside the zone", map[string]string{"authDomainName": "auth.example.org"}, ns + "authDomainName"},
		{"sign-in domain that is a site host", map[string]string{"authDomainName": "app.example.com"}, ns + "authDomainName"},
		{"sign-in domain whose parent has no A record", map[string]string{"authDomainName": "auth.example.com"}, ns + "authDomainName"},
		{"parent record flag without a sign-in domain", map[string]string{"authDomainParentRecordExists": "true"}, ns + "authDomainParentRecordExists"},
		{"unknown user pool tier", map[string]string{"userPoolTier": "GOLD"}, ns + "userPoolTier"},
		{"threat protection without the Plus tier", map[string]string{"threatProtection": "enforced"}, ns + "threatProtection"},
		{"threat protection audit without the Plus tier", map[string]string{"threatProtection": "audit", "userPoolTier": "ESSENTIALS"}, ns + "threatProtection"},
		{"unknown threat protection mode", map[string]string{"threatProtection": "maybe", "userPoolTier": "PLUS"}, ns + "threatProtection"},
		{"email sender not an address", map[string]string{"emailSender": "no-reply"}, ns + "emailSender"},
		{"email sender identity of another domain", map[string]string{"emailSender": "no-reply@example.com", "emailSenderIdentity": "example.org"}, ns + "emailSenderIdentity"},
		{"email sender identity without a sender", map[string]string{"emailSenderIdentity": "example.com"}, ns + "emailSenderIdentity"},
		{"minCount without maxCount", map[string]string{"minCount": "2"}, ns + "minCount"},
		{"minCount above maxCount", map[string]string{"minCount": "5", "maxCount": "3"}, ns + "minCount"},
		{"maxCount above the service limit", map[string]string{"minCount": "1", "maxCount": "5000"}, ns + "minCount"},
		{"desiredCount outside the scaling range", map[string]string{"desiredCount": "2", "minCount": "3", "maxCount": "6"}, ns + "desiredCount"},
		{"secret with an invalid name", map[string]string{"secrets": `{"1KEY":"/app/key"}`}, ns + "secrets.1KEY"},
		{"secret also in environment", map[string]string{"environment": `{"API_KEY":"x"}`, "secrets": `{"API_KEY":"/app/key"}`}, ns + "secrets.API_KEY"},
		{"secret also in environment, empty there", map[string]string{"environment": `{"API_KEY":""}`, "secrets": `{"API_KEY":"/app/key"}`}, ns + "secrets.API_KEY"},
		{"secret named like a stack variable", map[string]string{"secrets": `{"PORT":"/app/port"}`}, ns + "secrets.PORT"},
		{"secret ARN without an account", map[string]string{"secrets": `{"DB":"arn:aws:secretsmanager:eu-west-1::secret:db"}`}, ns + "secrets.DB"},
		{"secret ARN with a JSON key but no version parts", map[string]string{"secrets": `{"DB":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password"}`}, ns + "secrets.DB"},
		{"SSM parameter name with a space", map[string]string{"secrets": `{"DB":"/app/db password"}`}, ns + "secrets.DB"},
		{"secret ARN of another service", map[string]string{"secrets": `{"DB":"arn:aws:s3:::bucket/key"}`}, ns + "secrets.DB"},
		{"KMS key that is not a key ARN", map[string]string{"secrets": `{"DB":"/app/db"}`, "secretsKmsKey": "alias/app"}, ns + "secretsKmsKey"},
		{"KMS key without secrets", map[string]string{"secretsKmsKey": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, ns + "secretsKmsKey"},
		{"unknown WAF mode", map[string]string{"waf": "on"}, ns + "waf"},
		{"WAF rate limit below WAF's minimum", map[string]string{"wafRateLimit": "5"}, ns + "wafRateLimit"},
		{"WAF per-address limit below WAF's minimum", map[string]string{"wafIpRateLimit": "9"}, ns + "wafIpRateLimit"},
		{"WAF per-address limit below the per-session limit", map[string]string{"wafRateLimit": "5000", "wafIpRateLimit": "4000"}, ns + "wafIpRateLimit"},
		{"encryptLogs not a boolean", map[string]string{"encryptLogs": "yes please"}, ns + "encryptLogs"},
		{"unknown capacity", map[string]string{"capacity": "ec2"}, ns + "capacity"},
		{"onDemandBase without mixed capacity", map[string]string{"capacity": "spot", "onDemandBase": "2"}, ns + "onDemandBase"},
		{"mixed capacity with nothing on demand", map[string]string{"capacity": "mixed", "onDemandBase": "0"}, ns + "onDemandBase"},
		{"exec into the built-in app", map[string]string{"builtInApp": "true", "exec": "true"}, ns + "exec"},
		{"no images kept", map[string]string{"imageRetention": "0"}, ns + "imageRetention"},
		{"access logs not a boolean", map[string]string{"accessLogs": "maybe"}, ns + "accessLogs"},
		{"environment sets the issuer", map[string]string{"environment": `{"COGNITO_ISSUER":"https://evil.example"}`}, ns + "environment.COGNITO_ISSUER"},
	}
	if len(cases) < 20 {
		t.Fatalf("the issue asks for at least 20 bad configurations, have %d", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, withConfig(tc.set))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("want a config error, got %v", err)
			}
			if !slices.Contains(ce.Keys(), tc.wantKey) {
				t.Fatalf("want a problem for %s, got %q", tc.wantKey, ce.Error())
			}
			if !strings.Contains(err.Error(), tc.wantKey+": ") {
				t.Fatalf("the message does not name %s: %q", tc.wantKey, err.Error())
			}
			if len(res.Resources) != 0 {
				t.Fatalf("%d resources were registered before the config error", len(res.Resources))
			}
		})
	}
}

// writeStack puts Pulumi.yaml in dir and a stack file Pulumi.<name>.yaml with
// the required keys (baseConfig's values) and then the given project keys,
// each "key: value"; a later line overrides a required key.
func writeStack(t *testing.T, dir, name string, keys ...string) {
	t.Helper()
	copyFile(t, "../Pulumi.yaml", filepath.Join(dir, "Pulumi.yaml"))
	values := map[string]string{}
	order := []string{"aws:region", ns + "domainName", ns + "hostedZoneName"}
	for _, k := range order {
		values[k] = baseConfig()[k]
	}
	for _, kv := range keys {
		k, v, _ := strings.Cut(kv, ": ")
		if !strings.Contains(k, ":") {
			k = ns + k
		}
		if _, seen := values[k]; !seen {
			order = append(order, k)
		}
		values[k] = v
	}
	var b strings.Builder
	b.WriteString("config:\n")
	for _, k := range order {
		fmt.Fprintf(&b, "  %s: %s\n", k, values[k])
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi."+name+".yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A key the program does not read is a typo until proven otherwise: the
// Pulumi CLI passes it through without a word (its schema check accepts
// undeclared keys), so the program names it and the key it probably means.
func TestUnknownKeysAreNamedWithTheClosestKnownKey(t *testing.T) {
	dir := t.TempDir()
	writeStack(t, dir, "typo", "desiredCont: 3", "healthcheckPath: /ready")
	sc, err := synth.LoadStack(dir, "typo")
	if err != nil {
		t.Fatalf("the CLI's own loader rejects the stack file: %v", err)
	}
	_, err = synth.Run(sc, stack.Program)
	for _, want := range []string{
		ns + "desiredCont: is not a setting of this program; did you mean desiredCount?",
		ns + "healthcheckPath: is not a setting of this program; did you mean healthCheckPath?",
		"pulumi config rm desiredCont",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}
