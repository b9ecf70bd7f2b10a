// Package tests holds the whole-program tests. They run the real program
// (stack.Program) under the recording mock in tools/synth and assert on
// what was registered, as the Pulumi engine would have received it. Unit
// tests of the packages that do not link pulumi-aws sit beside them.
package tests

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/compute"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/edge"
	"github.com/example/alb-cognito-fargate/infra/identity"
	"github.com/example/alb-cognito-fargate/infra/networking"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
	"github.com/example/alb-cognito-fargate/tools/synth"
)

const ns = config.Namespace + ":"

// Resource types the tests look for, from the catalog (each token is
// spelled once, there).
var (
	tVpc        = catalog.Vpc.Token
	tSubnet     = catalog.Subnet.Token
	tNat        = catalog.NatGateway.Token
	tEip        = catalog.Eip.Token
	tIgw        = catalog.InternetGateway.Token
	tRouteTable = catalog.RouteTable.Token
	tRoute      = catalog.Route.Token
	tRtAssoc    = catalog.RouteTableAssociation.Token
	tSg         = catalog.SecurityGroup.Token
	tDefaultSg  = catalog.DefaultSecurityGroup.Token
	tFlowLog    = catalog.FlowLog.Token
	tAlb        = catalog.LoadBalancer.Token
	tTg         = catalog.TargetGroup.Token
	tListener   = catalog.Listener.Token
	tRule       = catalog.ListenerRule.Token
	tCert       = catalog.Certificate.Token
	tCertValid  = catalog.CertificateValidation.Token
	tRecord     = catalog.Record.Token
	tPool       = catalog.UserPool.Token
	tClient     = catalog.UserPoolClient.Token
	tDomain     = catalog.UserPoolDomain.Token
	tIdp        = catalog.IdentityProvider.Token
	tGroup      = catalog.UserGroup.Token
	tCluster    = catalog.Cluster.Token
	tTaskDef    = catalog.TaskDefinition.Token
	tService    = catalog.Service.Token
	tLogGroup   = catalog.LogGroup.Token
	tRole       = catalog.Role.Token
	tRolePolicy = catalog.RolePolicy.Token
	tTarget     = catalog.ScalingTarget.Token
	tPolicy     = catalog.ScalingPolicy.Token
	tWebACL     = catalog.WebACL.Token
	tWebACLAssn = catalog.WebACLAssociation.Token
	tBucket     = catalog.Bucket.Token
	tRepo       = catalog.Repository.Token
	tLifecycle  = catalog.LifecyclePolicy.Token
	tCapacity   = catalog.ClusterCapacityProviders.Token
	tProvider   = catalog.Provider.Token
	tImage      = catalog.Image.Token

	tNetworking = networking.Type
	tIdentity   = identity.Type
	tEdge       = edge.Type
	tCompute    = compute.Type
)

const (
	tStack        = "pulumi:pulumi:Stack"
	testStackName = "test"
)

// baseConfig is the smallest valid configuration.
func baseConfig() map[string]string {
	return map[string]string{
		"aws:region":          "eu-west-1",
		ns + "domainName":     "app.example.com",
		ns + "hostedZoneName": "example.com",
	}
}

// withConfig returns baseConfig with the given project keys set (short names)
// or removed (value "<unset>").
func withConfig(kv map[string]string) map[string]string {
	cfg := baseConfig()
	for k, v := range kv {
		if !strings.Contains(k, ":") {
			k = ns + k
		}
		if v == "<unset>" {
			delete(cfg, k)
		} else {
			cfg[k] = v
		}
	}
	return cfg
}

// stackConfig is cfg with the project's defaults applied, as the Pulumi CLI
// applies them from Pulumi.yaml before the program runs; secret names the
// keys set with --secret.
func stackConfig(t testing.TB, cfg map[string]string, secret ...string) synth.StackConfig {
	t.Helper()
	var keys []string
	for _, k := range secret {
		if !strings.Contains(k, ":") {
			k = ns + k
		}
		keys = append(keys, k)
	}
	sc, err := synth.WithProject("..", testStackName, cfg, keys...)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// run runs the program with cfg and returns what it registered and its error.
func run(t testing.TB, cfg map[string]string, secret ...string) (*snapshot.Stack, error) {
	t.Helper()
	return synth.Run(stackConfig(t, cfg, secret...), stack.Program)
}

// synthesize runs the program with cfg and fails the test on any error.
func synthesize(t testing.TB, cfg map[string]string, secret ...string) *snapshot.Stack {
	t.Helper()
	res, err := run(t, cfg, secret...)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return res
}

// synthesizeSc runs the program with a stack configuration and fails the
// test on any error.
func synthesizeSc(t testing.TB, sc synth.StackConfig) *snapshot.Stack {
	t.Helper()
	res, err := synth.Run(sc, stack.Program)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return res
}

// near reports whether two amounts agree to a billionth.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// synthesizeStackFile runs the program with a committed stack file.
func synthesizeStackFile(t testing.TB, name string) *snapshot.Stack {
	t.Helper()
	sc, err := synth.LoadStack("..", name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := synth.Run(sc, stack.Program)
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	return res
}

// one returns the only resource of a type, failing if there is not exactly one.
func one(t testing.TB, res *snapshot.Stack, typ string) snapshot.Resource {
	t.Helper()
	rs := res.ByType(typ)
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, got %d", typ, len(rs))
	}
	return rs[0]
}

// named returns the resource of a type with a logical name.
func named(t testing.TB, res *snapshot.Stack, typ, name string) snapshot.Resource {
	t.Helper()
	for _, r := range res.ByType(typ) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %q", typ, name)
	return snapshot.Resource{}
}

// lookup walks a path of map keys and list indexes through decoded inputs,
// and reports whether every step exists.
func lookup(v any, path ...any) (any, bool) {
	for _, p := range path {
		switch key := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[key]; !ok {
				return nil, false
			}
		case int:
			l, ok := v.([]any)
			if !ok || key < 0 || key >= len(l) {
				return nil, false
			}
			v = l[key]
		default:
			panic(fmt.Sprintf("a path step is a string or an int, not %T", p))
		}
	}
	return v, true
}

// at is the value at a path, failing the test when the path does not exist
// (a mistyped key fails instead of reading as nothing).
func at(t testing.TB, v any, path ...any) any {
	t.Helper()
	for i := range path {
		if _, ok := lookup(v, path[:i+1]...); !ok {
			t.Fatalf("no %s (the path exists up to %s) in %s", pathString(path), pathString(path[:i]), brief(v))
		}
	}
	got, _ := lookup(v, path...)
	return got
}

// absent asserts that the last step of a path does not exist, and fails the
// test when a step before it does not (so a typo cannot pass for absence).
func absent(t testing.TB, v any, path ...any) {
	t.Helper()
	if len(path) == 0 {
		t.Fatal("absent needs a path")
	}
	parent := at(t, v, path[:len(path)-1]...)
	if got, ok := lookup(parent, path[len(path)-1]); ok {
		t.Errorf("want no %s, found %s", pathString(path), brief(got))
	}
}

func pathString(path []any) string {
	if len(path) == 0 {
		return "(the value itself)"
	}
	var b strings.Builder
	for _, p := range path {
		if i, ok := p.(int); ok {
			fmt.Fprintf(&b, "[%d]", i)
		} else {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, p)
		}
	}
	return b.String()
}

func brief(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:297]) + "..."
	}
	return string(b)
}

// strs converts a decoded list of strings, failing on anything else.
func strs(t testing.TB, v any) []string {
	t.Helper()
	l := list(t, v)
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			t.Fatalf("want a list of strings, got %s", brief(v))
		}
		out = append(out, s)
	}
	return out
}

// list converts a decoded list, failing on anything else.
func list(t testing.TB, v any) []any {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("want a list, got %s", brief(v))
	}
	return l
}

// num converts a decoded number, failing on anything else.
func num(t testing.TB, v any) int {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("want a number, got %s", brief(v))
	}
	return int(f)
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

func equalSets(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }

// decodeJSON parses a JSON document held in a string input.
func decodeJSON(t testing.TB, v any) any {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("want a JSON string, got %T", v)
	}
	var out any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("invalid JSON %q: %v", s, err)
	}
	return out
}

// subnetIDs returns the ids of the public or private subnets in zone order
// (network-vpc-<kind>-1, -2, ...).
func subnetIDs(t testing.TB, res *snapshot.Stack, kind string) []string {
	t.Helper()
	var out []string
	for k := 1; ; k++ {
		found := false
		for _, r := range res.ByType(tSubnet) {
			if r.Name == fmt.Sprintf("network-vpc-%s-%d", kind, k) {
				out = append(out, r.ID)
				found = true
			}
		}
		if !found {
			return out
		}
	}
}

// conditionValues are the values of a listener rule's conditions of one
// field (hostHeader, pathPattern); a rule without such a condition has none.
func conditionValues(t testing.TB, rule snapshot.Resource, field string) []string {
	t.Helper()
	var out []string
	for _, c := range list(t, rule.Inputs["conditions"]) {
		if v, ok := lookup(c, field, "values"); ok {
			out = append(out, strs(t, v)...)
		}
	}
	return out
}

// actionsOf are an IAM policy statement's actions (one, or a list).
func actionsOf(t testing.TB, statement any) []string {
	t.Helper()
	if a, ok := at(t, statement, "Action").(string); ok {
		return []string{a}
	}
	return strs(t, at(t, statement, "Action"))
}
