package config_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/tools/configref"
)

const ns = config.Namespace + ":"

// defaults are Pulumi.yaml's defaults, each as the Pulumi CLI passes it to
// the program (strings as they are, everything else as JSON).
var defaults = sync.OnceValues(func() (map[string]string, error) {
	y, err := os.ReadFile("../../Pulumi.yaml")
	if err != nil {
		return nil, err
	}
	keys, err := configref.Keys(y)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range keys {
		switch v := k.Default.(type) {
		case nil:
		case string:
			out[ns+k.Name] = v
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			out[ns+k.Name] = string(b)
		}
	}
	return out, nil
})

// withDefaults is values with Pulumi.yaml's defaults for the keys they do
// not set.
func withDefaults(t *testing.T, values map[string]string) map[string]string {
	t.Helper()
	d, err := defaults()
	if err != nil {
		t.Fatal(err)
	}
	out := maps.Clone(d)
	maps.Copy(out, values)
	return out
}

// parse parses the smallest valid configuration with the given project
// keys set ("<unset>" removes one), with Pulumi.yaml's defaults applied.
func parse(t *testing.T, set map[string]string) (*config.Config, error) {
	t.Helper()
	values := withDefaults(t, map[string]string{"aws:region": "eu-west-1", ns + "domainName": "app.example.com", ns + "hostedZoneName": "example.com"})
	for k, v := range set {
		if v == "<unset>" {
			delete(values, ns+k)
		} else {
			values[ns+k] = v
		}
	}
	return config.Parse(config.Namespace, "dev", source(values))
}

func source(values map[string]string) config.Source {
	return config.Source{Lookup: func(k string) (string, bool) { v, ok := values[k]; return v, ok }}
}

func problemKeys(t *testing.T, err error) []string {
	t.Helper()
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want a config error, got %v", err)
	}
	return ce.Keys()
}

// All problems are reported at once, so a user fixes them in one go.
func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := parse(t, map[string]string{"domainName": "<unset>", "cpu": "300", "mfa": "always", "publicPaths": `["nope"]`})
	keys := problemKeys(t, err)
	for _, k := range []string{"domainName", "cpu", "publicPaths[0]", "mfa"} {
		if !slices.Contains(keys, ns+k) {
			t.Errorf("missing problem for %s in %q", k, err)
		}
	}
}

// Every CPU/memory pair Fargate offers is accepted; neighbours it does not
// offer are not (the aws-facts table, written out here independently of
// awsfacts so that a slip in either shows).
func TestFargateSizes(t *testing.T) {
	valid := map[int][2]int{ // cpu: first and last memory
		256: {512, 2048}, 512: {1024, 4096}, 1024: {2048, 8192}, 2048: {4096, 16384},
		4096: {8192, 30720}, 8192: {16384, 61440}, 16384: {32768, 122880},
	}
	step := map[int]int{256: 512, 512: 1024, 1024: 1024, 2048: 1024, 4096: 1024, 8192: 4096, 16384: 8192}
	for cpu, r := range valid {
		for mem := r[0] - step[cpu]; mem <= r[1]+step[cpu]; mem += step[cpu] / 2 {
			want := mem >= r[0] && mem <= r[1] && (mem-r[0])%step[cpu] == 0
			if cpu == 256 && mem == 1536 { // 256 CPU offers 512, 1024 and 2048 only
				want = false
			}
			_, err := parse(t, map[string]string{"cpu": fmt.Sprint(cpu), "memory": fmt.Sprint(mem)})
			if got := err == nil; got != want {
				t.Errorf("cpu %d memory %d: accepted=%v, want %v (%v)", cpu, mem, got, want, err)
			}
		}
	}
}

// Pulumi.yaml is the one home of every key's type, default and
// description. The program reads exactly the keys it declares, each into a
// field of the matching Go type, and keeps no default of its own.
func TestEveryKeyHasOneHome(t *testing.T) {
	y, err := os.ReadFile("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := configref.Keys(y)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]configref.Key{}
	for _, k := range keys {
		declared[k.Name] = k
	}
	fields := map[string]reflect.Type{}
	ct := reflect.TypeOf(config.Config{})
	for i := 0; i < ct.NumField(); i++ {
		if key := ct.Field(i).Tag.Get("key"); key != "" {
			fields[key] = ct.Field(i).Type
		}
	}
	for key, decl := range declared {
		ft, ok := fields[key]
		if !ok {
			t.Errorf("Pulumi.yaml declares %s, but no field of config.Config has the tag key:%q", key, key)
			continue
		}
		if want := schemaType(ft); decl.Type != want {
			t.Errorf("%s: Pulumi.yaml says %q, the field %s is a %s (%s in the schema)", key, decl.Type, ft, ft.Kind(), want)
		}
		if decl.Type == "array" && decl.Items == "" {
			t.Errorf("%s: Pulumi.yaml declares an array without items", key)
		}
		if decl.Description == "" {
			t.Errorf("%s: Pulumi.yaml gives no description", key)
		}
		if decl.Default == nil && key != "domainName" && key != "hostedZoneName" {
			t.Errorf("%s: Pulumi.yaml gives no default, so every stack would have to set it", key)
		}
	}
	for key := range fields {
		if _, ok := declared[key]; !ok {
			t.Errorf("config.Config reads %s, which Pulumi.yaml does not declare", key)
		}
	}
	// The one value validation keeps of a default, to tell a stack that set
	// onDemandBase without capacity mixed: held to Pulumi.yaml's.
	if d := fmt.Sprint(declared["onDemandBase"].Default); d != "1" {
		t.Errorf("onDemandBase's default in Pulumi.yaml is %s; infra/config/operations.go's defaultOnDemandBase is 1", d)
	}
}

// schemaType is the Pulumi.yaml type of a field's Go type.
func schemaType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice:
		return "array"
	case reflect.Map:
		return "object"
	}
	return t.Kind().String()
}

// Without the schema applied (a harness that runs the program on its
// own), a key is missing, and that is an error naming it, not a silent
// zero.
func TestAKeyWithoutItsDefaultIsReported(t *testing.T) {
	_, err := config.Parse(config.Namespace, "dev", source(map[string]string{"aws:region": "eu-west-1", ns + "domainName": "app.example.com", ns + "hostedZoneName": "example.com"}))
	keys := problemKeys(t, err)
	if !slices.Contains(keys, ns+"cpu") || !strings.Contains(err.Error(), "Pulumi.yaml's default was not applied") {
		t.Fatalf("want cpu reported as not set, got %v", err)
	}
}

// The derived Cognito domain prefix is always valid (aws-facts: pattern and
// reserved words), stable, and different per stack.
func TestDerivedDomainPrefixIsAlwaysValid(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	parts := []string{"aws", "amazon", "cognito", "app", "dev", "-", ".", "_", "A", "x", "9", "awsamazoncognito", "aaws", "ws", strings.Repeat("long", 20)}
	pick := func() string {
		var b strings.Builder
		for n := rng.Intn(6); n >= 0; n-- {
			b.WriteString(parts[rng.Intn(len(parts))])
		}
		return b.String()
	}
	for i := 0; i < 5000; i++ {
		project, stackName, domain := pick(), pick(), pick()
		p := config.DeriveDomainPrefix(project, stackName, domain)
		if msg := awsfacts.CheckCognitoPrefix(p); msg != "" {
			t.Fatalf("DeriveDomainPrefix(%q, %q, %q) = %q: %s", project, stackName, domain, p, msg)
		}
		if p != config.DeriveDomainPrefix(project, stackName, domain) {
			t.Fatalf("not deterministic for %q %q %q", project, stackName, domain)
		}
	}
	dev := config.DeriveDomainPrefix(config.Namespace, "dev", "app.example.com")
	prod := config.DeriveDomainPrefix(config.Namespace, "prod", "app.example.com")
	if dev == prod {
		t.Fatalf("dev and prod derive the same prefix %q; prefixes are unique per region", dev)
	}
}

// Keys of other namespaces (aws:, pulumi:) are not the program's to judge.
func TestKeysOfOtherNamespacesPass(t *testing.T) {
	src := source(withDefaults(t, map[string]string{"aws:region": "eu-west-1", ns + "domainName": "app.example.com", ns + "hostedZoneName": "example.com"}))
	src.Keys = []string{"aws:profile", "pulumi:tags"}
	if _, err := config.Parse(config.Namespace, "dev", src); err != nil {
		t.Errorf("keys of other namespaces: %v", err)
	}
}

// An identity provider's optional fields get their defaults, so the
// component receives every value it passes to Cognito.
func TestIdentityProviderDefaults(t *testing.T) {
	src := source(withDefaults(t, map[string]string{"aws:region": "eu-west-1", ns + "domainName": "app.example.com", ns + "hostedZoneName": "example.com",
		ns + "identityProviders": `[{"name":"Okta","type":"oidc","issuer":"https://example.okta.com","clientId":"a","clientSecret":"b"},{"name":"Entra","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"mail"}}]`}))
	src.IsSecret = func(k string) bool { return k == ns+"identityProviders" }
	c, err := config.Parse(config.Namespace, "dev", src)
	if err != nil {
		t.Fatal(err)
	}
	oidc, saml := c.IdentityProviders[0], c.IdentityProviders[1]
	if oidc.Scopes != config.DefaultIdpScopes || oidc.AttributesRequestMethod != "GET" || oidc.AttributeMapping["email"] != "email" || oidc.AttributeMapping["username"] != "sub" {
		t.Errorf("OIDC defaults: %+v", oidc)
	}
	if saml.Scopes != "" || saml.AttributeMapping["email"] != "mail" || len(saml.AttributeMapping) != 1 {
		t.Errorf("a SAML provider gets no OIDC defaults: %+v", saml)
	}
}
