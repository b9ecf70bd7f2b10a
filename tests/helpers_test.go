// Package tests holds the program's tests. They run the real program
// (stack.Program) under the recording mock in infra/synth and assert on what
// was registered, as the Pulumi engine would have received it.
package tests

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/infra/synth"
)

const ns = config.Namespace + ":"

// Resource types the tests look for.
const (
	tVpc          = "aws:ec2/vpc:Vpc"
	tSubnet       = "aws:ec2/subnet:Subnet"
	tNat          = "aws:ec2/natGateway:NatGateway"
	tEip          = "aws:ec2/eip:Eip"
	tIgw          = "aws:ec2/internetGateway:InternetGateway"
	tRouteTable   = "aws:ec2/routeTable:RouteTable"
	tRoute        = "aws:ec2/route:Route"
	tRTAssoc      = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tSG           = "aws:ec2/securityGroup:SecurityGroup"
	tDefaultSG    = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tFlowLog      = "aws:ec2/flowLog:FlowLog"
	tALB          = "aws:lb/loadBalancer:LoadBalancer"
	tTG           = "aws:lb/targetGroup:TargetGroup"
	tListener     = "aws:lb/listener:Listener"
	tRule         = "aws:lb/listenerRule:ListenerRule"
	tCert         = "aws:acm/certificate:Certificate"
	tCertValid    = "aws:acm/certificateValidation:CertificateValidation"
	tRecord       = "aws:route53/record:Record"
	tPool         = "aws:cognito/userPool:UserPool"
	tClient       = "aws:cognito/userPoolClient:UserPoolClient"
	tDomain       = "aws:cognito/userPoolDomain:UserPoolDomain"
	tCluster      = "aws:ecs/cluster:Cluster"
	tTaskDef      = "aws:ecs/taskDefinition:TaskDefinition"
	tService      = "aws:ecs/service:Service"
	tLogGroup     = "aws:cloudwatch/logGroup:LogGroup"
	tRole         = "aws:iam/role:Role"
	tRolePolicy   = "aws:iam/rolePolicy:RolePolicy"
	tNetworking   = "alb-cognito-fargate:networking:Networking"
	tIdentity     = "alb-cognito-fargate:identity:Identity"
	tEdge         = "alb-cognito-fargate:edge:Edge"
	tCompute      = "alb-cognito-fargate:compute:Compute"
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

// synthesize runs the program with cfg and fails the test on any error.
func synthesize(t testing.TB, cfg map[string]string) *synth.Result {
	t.Helper()
	return synthesizeSC(t, synth.StackConfig{Project: config.Namespace, Stack: testStackName, Values: cfg, Dir: ".."})
}

func synthesizeSC(t testing.TB, sc synth.StackConfig) *synth.Result {
	t.Helper()
	res, err := synth.Run(sc, stack.Program)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return res
}

// one returns the only resource of a type, failing if there is not exactly one.
func one(t testing.TB, res *synth.Result, typ string) synth.Resource {
	t.Helper()
	rs := res.ByType(typ)
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, got %d", typ, len(rs))
	}
	return rs[0]
}

// named returns the resource of a type with a logical name.
func named(t testing.TB, res *synth.Result, typ, name string) synth.Resource {
	t.Helper()
	for _, r := range res.ByType(typ) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %q", typ, name)
	return synth.Resource{}
}

// at walks a path of map keys and list indexes through decoded inputs.
func at(v any, path ...any) any {
	for _, p := range path {
		switch key := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[key]
		case int:
			l, ok := v.([]any)
			if !ok || key >= len(l) {
				return nil
			}
			v = l[key]
		}
	}
	return v
}

// strs converts a decoded list of strings.
func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, fmt.Sprint(e))
	}
	return out
}

func list(v any) []any { l, _ := v.([]any); return l }

func num(v any) int {
	f, _ := v.(float64)
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
func subnetIDs(t testing.TB, res *synth.Result, kind string) []string {
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
