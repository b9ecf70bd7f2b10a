package tests

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/providercheck"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
	"github.com/example/alb-cognito-fargate/tools/synth"
)

// providerCheckConfigs are the test configurations the AWS provider checks
// besides the committed stacks: several regions, the most hosts and paths,
// builtInApp, and every switch both ways.
var providerCheckConfigs = []struct {
	name   string
	set    map[string]string
	secret []string
}{
	// Web ACLs cost the provider ~7 s each to plan: prod covers block mode
	// and built-in-app-everything-on count mode; the others leave WAF off.
	{"minimal-us-east-1", map[string]string{"aws:region": "us-east-1", "waf": "off"}, nil},
	{"most-hosts-and-paths", map[string]string{
		"aws:region":           "eu-central-1",
		"domainName":           "app.example.com",
		"alternateDomainNames": `["h1.example.com","h2.example.com","h3.example.com","h4.example.com","h5.example.com","h6.example.com","h7.example.com","h8.example.com","example.com"]`,
		"publicPaths":          thirtyPaths(),
		"containerPort":        "8080",
		"healthCheckPath":      "/status/ready",
		"environment":          `{"LOG_LEVEL":"debug","FEATURE_FLAGS":"a,b,c"}`,
		"writablePaths":        `["/tmp","/var/lib/app"]`,
		"image":                "123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/app:1.4.2",
		"desiredCount":         "4",
		"minCount":             "2",
		"maxCount":             "20",
		"secrets":              `{"DATABASE_URL":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:team/db-AbCdEf:url::","API_KEY":"/team/api-key","LICENSE":"arn:aws:ssm:eu-central-1:123456789012:parameter/team/license","TOKEN":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:team/token"}`,
		"secretsKmsKey":        "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"capacity":             "mixed",
		"onDemandBase":         "2",
		"exec":                 "true",
		"waf":                  "off",
	}, nil},
	{"built-in-app-everything-on", map[string]string{
		"aws:region":             "ap-southeast-2",
		"builtInApp":             "true",
		"availabilityZones":      "3",
		"natGateways":            "perAz",
		"vpcCidr":                "172.16.0.0/20",
		"cpu":                    "4096",
		"memory":                 "30720",
		"desiredCount":           "10",
		"mfa":                    "on",
		"selfSignUp":             "true",
		"protect":                "true",
		"cognitoDomainPrefix":    "acme-signin-test",
		"sessionTimeoutSeconds":  "604800",
		"logRetentionDays":       "3653",
		"readOnlyRootFilesystem": "false",
		"publicPaths":            `["/healthz","/static/*"]`,
		"capacity":               "spot",
		"waf":                    "count",
		"wafRateLimit":           "500",
		"imageRetention":         "30",
	}, nil},
	{"sign-in-everything", map[string]string{
		"aws:region":           "eu-west-2",
		"alternateDomainNames": `["www.app.example.com"]`,
		"identityProviders":    threeProviders,
		"groups":               `[{"name":"admins","description":"Administrators"},{"name":"staff"}]`,
		"apiPaths":             `["/api/*","/graphql"]`,
		"userPoolTier":         "PLUS",
		"threatProtection":     "audit",
		"emailSender":          "Example <no-reply@example.com>",
		"emailSenderIdentity":  "no-reply@example.com",
		"waf":                  "off",
	}, []string{"identityProviders"}},
	{"one-provider-own-sign-in-domain", map[string]string{
		"aws:region":                   "us-west-2",
		"identityProviders":            `[{"name":"EntraID","type":"oidc","issuer":"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0","clientId":"11111111-2222-3333-4444-555555555555","clientSecret":"entra-secret","attributesRequestMethod":"POST","attributeMapping":{"email":"email","name":"name"}}]`,
		"localUsers":                   "false",
		"authDomainName":               "auth.example.com",
		"authDomainParentRecordExists": "true",
		"mfa":                          "optional",
		"userPoolTier":                 "LITE",
		"waf":                          "off",
	}, []string{"identityProviders"}},
	{"everything-off", map[string]string{
		"aws:region":            "sa-east-1",
		"mfa":                   "off",
		"desiredCount":          "1",
		"sessionTimeoutSeconds": "1",
		"logRetentionDays":      "1",
		"cpu":                   "16384",
		"memory":                "122880",
		"accessLogs":            "false",
		"waf":                   "off",
	}, nil},
}

func thirtyPaths() string {
	var p []string
	for i := 0; i < 30; i++ {
		p = append(p, `"/public/`+string(rune('a'+i%26))+strings.Repeat("x", i/26)+`/*"`)
	}
	return "[" + strings.Join(p, ",") + "]"
}

// providerTools locates Terraform and the provider; without them the
// provider tests skip, saying how to install them, except in CI (CI=true),
// where they fail. go test -short skips them too.
func providerTools(t *testing.T) providercheck.Tools {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the provider check (Terraform and hashicorp/aws, ~10 s) is skipped")
	}
	tools, err := providercheck.Locate()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Skip(err)
	}
	return tools
}

var providerSchema struct {
	once   sync.Once
	schema *providercheck.Schema
	err    error
}

// providerWorkspace makes a Terraform workspace and returns it with the
// provider's schema (read once per test run).
func providerWorkspace(t *testing.T) (*providercheck.Workspace, *providercheck.Schema) {
	t.Helper()
	tools := providerTools(t)
	ws, err := tools.NewWorkspace(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	providerSchema.once.Do(func() {
		providerSchema.schema, providerSchema.err = ws.Schema(context.Background())
	})
	if providerSchema.err != nil {
		t.Fatal(providerSchema.err)
	}
	return ws, providerSchema.schema
}

// providerStacks is every committed stack and every test configuration.
func providerStacks(t *testing.T) []providercheck.Stack {
	var out []providercheck.Stack
	for _, name := range committedStacks(t) {
		sc, err := synth.LoadStack("..", name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, providercheck.Stack{Name: name, Region: sc.Values["aws:region"], Snapshot: synthesizeSc(t, sc)})
	}
	for _, c := range providerCheckConfigs {
		cfg := withConfig(c.set)
		out = append(out, providercheck.Stack{Name: c.name, Region: cfg["aws:region"], Snapshot: synthesize(t, cfg, c.secret...)})
	}
	return out
}

// The AWS provider (the Terraform provider pulumi-aws bridges) accepts every
// resource of every committed stack and test configuration: validate and an
// offline plan report nothing, and nothing is left unmapped. Web ACLs take
// the provider ~7 s each to plan, so they get a Terraform run of their own,
// alongside the rest.
func TestTheAwsProviderAcceptsEveryStack(t *testing.T) {
	t.Parallel()
	stacks := providerStacks(t)
	want := 0
	for _, s := range stacks {
		for _, r := range s.Snapshot.Resources {
			if r.Custom && strings.HasPrefix(r.Type, "aws:") {
				want++
			}
		}
	}
	webACLs := func(r snapshot.Resource) bool { return r.Type == "aws:wafv2/webAcl:WebAcl" }
	var checked, ran atomic.Int64
	parts := []struct {
		name string
		keep func(snapshot.Resource) bool
	}{
		{"web ACLs", webACLs},
		{"everything else", func(r snapshot.Resource) bool { return !webACLs(r) }},
	}
	for _, part := range parts {
		t.Run(part.name, func(t *testing.T) {
			t.Parallel()
			ws, schema := providerWorkspace(t)
			var sub []providercheck.Stack
			for _, s := range stacks {
				res := *s.Snapshot
				res.Resources = nil
				for _, r := range s.Snapshot.Resources {
					if part.keep(r) || r.Type == "pulumi:providers:aws" {
						res.Resources = append(res.Resources, r)
					}
				}
				sub = append(sub, providercheck.Stack{Name: s.Name, Region: s.Region, Snapshot: &res})
			}
			cfg, rep := providercheck.Convert(schema, sub)
			for _, p := range rep.Problems {
				t.Errorf("not mapped: %s", p)
			}
			start := time.Now()
			problems, err := ws.Plan(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("the provider rejects %s", p)
			}
			checked.Add(int64(rep.Resources))
			ran.Add(1)
			t.Logf("%d stacks, %d resources: terraform plan (validation included) %v; out of reach: %v", len(sub), rep.Resources, time.Since(start).Round(time.Millisecond), rep.OutOfReach)
		})
	}
	t.Cleanup(func() {
		// Both parts ran (not skipped by -short, not stopped by a failure).
		if n := checked.Load(); !t.Failed() && ran.Load() == int64(len(parts)) && n != int64(want) {
			t.Errorf("the provider checked %d resources, the stacks have %d", n, want)
		}
	})
}

// Broken on purpose, each value is rejected by the provider, and the failure
// names the stack, the resource and the Pulumi property.
func TestTheProviderCheckNamesWhatAwsRejects(t *testing.T) {
	t.Parallel()
	ws, schema := providerWorkspace(t)
	type breakage struct {
		name, typ, resource, property, value string
		want                                 string // in the message
	}
	cases := []breakage{
		{"description", tSg, "edge-alb-sg", "egress[0].description", "Cognito's endpoints", "doesn't comply"},
		{"enum", tTg, "edge-tg", "targetType", "instances", "expected target_type to be one of"},
		{"range", tTg, "edge-tg", "deregistrationDelay", "4000", "deregistration_delay"},
		{"pattern", tRole, "app-execution", "name", "app execution role", "must match"},
		{"policy JSON", tRolePolicy, "app-execution", "policy", `{"Version":"2012-10-17","Statement":`, "policy"},
	}
	base := synthesize(t, baseConfig())
	var stacks []providercheck.Stack
	for _, b := range cases {
		// Only the broken resource: the provider validates each on its own.
		res := cloneResult(t, base)
		kept := res.Resources[:0]
		for _, r := range res.Resources {
			if r.Type == b.typ && r.Name == b.resource {
				setPath(t, r.Inputs, b.property, b.value)
				kept = append(kept, r)
			}
		}
		if len(kept) != 1 {
			t.Fatalf("%s: no %s %s", b.name, b.typ, b.resource)
		}
		res.Resources = kept
		stacks = append(stacks, providercheck.Stack{Name: strings.ReplaceAll(b.name, " ", "-"), Region: "eu-west-1", Snapshot: res})
	}
	cfg, rep := providercheck.Convert(schema, stacks)
	if len(rep.Problems) > 0 {
		t.Fatalf("mapping problems: %v", rep.Problems)
	}
	problems, err := ws.Validate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range cases {
		stack := strings.ReplaceAll(b.name, " ", "-")
		var got []string
		ok := false
		for _, p := range problems {
			if p.Stack != stack {
				continue
			}
			got = append(got, p.String())
			if p.Type == b.typ && p.Name == b.resource && p.Property == b.property && strings.Contains(p.Message, b.want) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: want a problem on %s %q property %s mentioning %q; got %q", b.name, b.typ, b.resource, b.property, b.want, got)
		}
		if len(got) != 1 {
			t.Errorf("%s: want exactly one problem, got %d: %q", b.name, len(got), got)
		}
	}
}

// Every Terraform type the catalog names is a resource type the provider has.
func TestEveryCatalogTerraformTypeExistsInTheProvider(t *testing.T) {
	t.Parallel()
	_, schema := providerWorkspace(t)
	for _, entry := range catalog.All() {
		if entry.Terraform != "" && schema.Resources[entry.Terraform] == nil {
			t.Errorf("%s: the catalog names %s, which hashicorp/aws %s does not have (%s)", entry.Token, entry.Terraform, providercheck.ProviderVersion, catalog.FileFor(entry.Token))
		}
	}
}

// cloneResult deep-copies a synthesis through its JSON form.
func cloneResult(t *testing.T, r *snapshot.Stack) *snapshot.Stack {
	t.Helper()
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/r.json"
	if err := os.WriteFile(dir, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := snapshot.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// setPath sets a value at a Pulumi property path such as egress[0].description.
func setPath(t *testing.T, inputs map[string]any, path string, value any) {
	t.Helper()
	var cur any = inputs
	parts := strings.Split(strings.ReplaceAll(path, "[", ".["), ".")
	for i, p := range parts {
		last := i == len(parts)-1
		if strings.HasPrefix(p, "[") {
			n, err := strconv.Atoi(strings.Trim(p, "[]"))
			l, ok := cur.([]any)
			if err != nil || !ok || n >= len(l) {
				t.Fatalf("no %s in %v", path, inputs)
			}
			if last {
				l[n] = value
				return
			}
			cur = l[n]
			continue
		}
		m, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("no %s in %v", path, inputs)
		}
		if last {
			m[p] = value
			return
		}
		cur = m[p]
	}
}

// What AWS rejects at create time and the provider does not check before
// calling it: every stack passes, and each broken value is named. Needs no
// Terraform.
func TestAwsRulesTheProviderLeavesToTheAPI(t *testing.T) {
	t.Parallel()
	var stacks []providercheck.Stack
	for _, name := range committedStacks(t) {
		stacks = append(stacks, providercheck.Stack{Name: name, Snapshot: synthesizeStackFile(t, name)})
	}
	for _, c := range providerCheckConfigs {
		stacks = append(stacks, providercheck.Stack{Name: c.name, Snapshot: synthesize(t, withConfig(c.set), c.secret...)})
	}
	for _, p := range providercheck.APIChecks(stacks) {
		t.Errorf("AWS would reject %s", p)
	}

	base := synthesize(t, baseConfig())
	for _, b := range []struct {
		typ, resource, property string
		value                   any
	}{
		{tSg, "edge-alb-sg", "description", "Load balancer's group"},
		{tDomain, "identity-domain", "domain", "my-aws-login"},
		{tDomain, "identity-domain", "domain", "Login_Page"},
		{tTaskDef, "app-task", "memory", "4096"},
		{tTaskDef, "app-task", "containerDefinitions", `[{"name":"app","environment":[{"name":"BIG","value":"` + strings.Repeat("x", 70000) + `"}]}]`},
		{tClient, "identity-alb-client", "callbackUrls[0]", "http://app.example.com/oauth2/idpresponse"},
		{tClient, "identity-alb-client", "logoutUrls[0]", "https://app.example.com/logged-out#x"},
		{tCert, "edge-cert", "domainName", strings.Repeat("a", 60) + ".example.com"},
		{tRecord, "edge-dns-app.example.com", "name", "bad name.example.com"},
		{tWebACL, "edge-waf", "description", "AWS managed rules (count)"},
		{tWebACL, "edge-waf", "rules[1].name", "common rule set"},
		{tWebACL, "edge-waf", "rules[0].visibilityConfig.metricName", "rate limit"},
	} {
		res := cloneResult(t, base)
		for i, r := range res.Resources {
			if r.Type == b.typ && r.Name == b.resource {
				setPath(t, res.Resources[i].Inputs, b.property, b.value)
			}
		}
		problems := providercheck.APIChecks([]providercheck.Stack{{Name: "broken", Snapshot: res}})
		if len(problems) != 1 || problems[0].Name != b.resource || problems[0].Property != b.property {
			t.Errorf("%s %s = %v: want one problem naming it, got %v", b.resource, b.property, b.value, problems)
		}
	}

	// Cognito's provider names are 3 to 32 characters; the provider checks
	// only 1 to 32.
	federated := synthesize(t, withConfig(map[string]string{"identityProviders": "[" + okta + "]"}))
	for _, name := range []string{"Ok", "_Okta", "Okta "} {
		res := cloneResult(t, federated)
		for i, r := range res.Resources {
			if r.Type == tIdp {
				res.Resources[i].Inputs["providerName"] = name
			}
		}
		problems := providercheck.APIChecks([]providercheck.Stack{{Name: "broken", Snapshot: res}})
		if len(problems) != 1 || problems[0].Property != "providerName" {
			t.Errorf("provider name %q: want one problem naming it, got %v", name, problems)
		}
	}
}
