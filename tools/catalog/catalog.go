// Package catalog is what the tools know about each resource type the
// program registers, one entry per type: the Terraform resource type that
// pulumi-aws bridges, what a change does to it (its update behaviour), what
// the recording mock answers when it is created, what it costs, and the
// rules AWS enforces on it that the provider does not check before it calls
// the API. Every tool reads its facts about a type from here: the
// recording synthesis (tools/synth), the update replay (tools/replay), the
// diff (tools/diff), the provider check (tools/providercheck) and the cost
// estimate (tools/cost). Each entry lives in the file of its AWS service.
//
// A type the program registers without an entry fails the completeness
// test (tests/catalog_test.go), which names the type and the file to edit.
package catalog

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Type is everything the tools know about one resource type.
type Type struct {
	// Token is the Pulumi type token, spelled here once for the tools (the
	// generated pulumi-aws packages spell it for the program; the few types
	// the program registers through infra/awsraw spell it there too, and
	// the completeness test holds the two together).
	Token string
	// Terraform is the hashicorp/aws resource type pulumi-aws bridges;
	// empty for what is not a Terraform resource (a provider, a component).
	Terraform string
	// TerraformNames are the top-level inputs pulumi-aws names differently
	// from Terraform's arguments (provider/resources.go): Pulumi name to
	// Terraform name.
	TerraformNames map[string]string
	// OutOfReach says why the provider check cannot look into a component
	// (its children are not registered under the mock); empty otherwise.
	OutOfReach string
	// Update is what a change of the stack does to a resource of this type.
	Update Update
	// Mock fills in what the recording mock answers when a resource of
	// this type is registered: its id and the outputs AWS computes.
	Mock func(m *Mock)
	// Cost says whether the type costs anything, and what prices it.
	Cost Cost
	// Deploy is what the principal that runs `pulumi up` needs to manage a
	// resource of this type (tools/deploypolicy).
	Deploy Deploy
	// Checks are rules AWS enforces at create time that the provider
	// leaves to the API (found by breaking each value on purpose: the
	// provider's validate and plan accept it).
	Checks []Check
}

// Update is what the engine and AWS do with a resource of this type when a
// stack changes: which input changes replace it, which inputs are sets
// (order does not matter), which names it holds while it exists, and what
// replacing or deleting it costs.
type Update struct {
	// ReplaceOn are the inputs (Pulumi names; nested with dots, list
	// indexes left out) whose change replaces the resource: the
	// provider's ForceNew and RequiresReplace arguments, as the
	// hashicorp/aws v5.100.0 provider plans them (measured with
	// PlanResourceChange against the provider binary, one argument at a
	// time, and read in internal/service/<service>/<resource>.go).
	ReplaceOn []string
	// ReplaceWhen, when set, reports replacements the provider decides
	// from old and new values together (CustomizeDiff), or "".
	ReplaceWhen func(old, new snapshot.Resource) string
	// FailOnChange are inputs the provider plans as an in-place update that
	// AWS then refuses, with why.
	FailOnChange map[string]string
	// Sets are the inputs whose order does not matter (set-typed in the
	// provider's schema).
	Sets []string
	// Claims are the names only one resource may hold at a time.
	Claims func(r snapshot.Resource) []Claim
	// ReadBack is what AWS stores for a resource beyond its inputs, or
	// normalizes, that the provider then diffs against the inputs: input
	// paths (dotted, map keys included) to the value read back, which is
	// only a description where it cannot be known ("(discovered ...)").
	// Right after `pulumi up`, a preview shows an update for every entry
	// the program neither sends as read nor ignores by its exact path
	// (replay.Settle).
	ReadBack func(r snapshot.Resource) map[string]any
	// Grants are the inputs that decide who may do what (a role's policy,
	// the app's administrators, who may sign up or reach a path without
	// signing in), by what they decide: `synth -diff` flags a change of
	// any as a permission change.
	Grants func(r snapshot.Resource) map[string]string
	// Loses, for a stateful resource, is what deleting or replacing it
	// destroys.
	Loses string
	// Refuse, when set, says why replacing or deleting it is refused and
	// what to do instead.
	Refuse string
	// DeletionProtected reports whether AWS refuses to delete it as
	// configured (deletion protection on).
	DeletionProtected func(r snapshot.Resource) bool
}

// Deploy is the IAM the deploying principal needs for one resource type,
// as the hashicorp/aws provider calls the API to create, read, update and
// delete it (read in internal/service/<service>/<resource>.go and the
// helpers, waiters and tagging code it calls; tagging actions included,
// since these services authorize tags sent on create against them).
type Deploy struct {
	// Actions are always needed.
	Actions []string
	// ActionsFor adds what only some configurations need.
	ActionsFor func(r snapshot.Resource) []string
	// PassesRoles are the inputs holding a role the resource hands to a
	// service (iam:PassRole), with the service it is passed to.
	PassesRoles map[string]string
	// ServiceLinkedRoles are the services whose service-linked role AWS
	// creates, as the caller, the first time one of these is created in
	// the account (iam:CreateServiceLinkedRole).
	ServiceLinkedRoles func(r snapshot.Resource) []string
}

// Claim is a unique name a resource holds: Key names the namespace and the
// name (a Route 53 record's zone, name and type), From the inputs it is
// computed from. A claim whose inputs come from a resource being replaced
// is a new name, never a collision. Prefix, when valid, is an address block
// that must not overlap another claim's block under the same Key.
type Claim struct {
	Key    string
	From   []string
	Prefix netip.Prefix
}

// Cost is what a type costs: exactly one of the two is set.
type Cost struct {
	// Free says why the type costs nothing itself (what it carries may be
	// priced elsewhere).
	Free string
	// Priced names the line items of the estimate (tools/cost) that price
	// it.
	Priced string
}

// Check is one rule AWS enforces that the provider does not check.
type Check struct {
	// Source is where the rule comes from, for whoever edits it.
	Source string
	Check  func(r snapshot.Resource) []Finding
}

// Finding is what a Check found wrong with one property.
type Finding struct {
	Property string // Pulumi property path
	Message  string
}

func finding(property, format string, args ...any) []Finding {
	return []Finding{{Property: property, Message: fmt.Sprintf(format, args...)}}
}

// types holds every entry by token.
var types = map[string]*Type{}

// register adds an entry; each service's file registers its types.
func register(t Type) *Type {
	if _, dup := types[t.Token]; dup {
		panic("catalog: " + t.Token + " registered twice")
	}
	types[t.Token] = &t
	return &t
}

// Lookup returns the entry of a type token.
func Lookup(token string) (*Type, bool) {
	t, ok := types[token]
	return t, ok
}

// All returns every entry, sorted by token.
func All() []*Type {
	out := make([]*Type, 0, len(types))
	for _, t := range types {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *Type) int { return strings.Compare(a.Token, b.Token) })
	return out
}

// FileFor is the file of this package where a token's entry belongs: the
// file of its service (aws:ec2/vpc:Vpc -> ec2.go).
func FileFor(token string) string {
	pkg, rest, _ := strings.Cut(token, ":")
	module, _, _ := strings.Cut(rest, "/")
	switch {
	case pkg == "aws":
		return "tools/catalog/" + module + ".go"
	case pkg == "pulumi":
		return "tools/catalog/provider.go"
	}
	return "tools/catalog/" + pkg + ".go"
}

// namedClaim: a resource with an explicit name holds it (Pulumi gives an
// auto-named one a fresh name on replacement, so it holds nothing).
func namedClaim(what, input string) func(r snapshot.Resource) []Claim {
	return func(r snapshot.Resource) []Claim {
		if _, named := r.Inputs[input]; !named {
			return nil
		}
		return []Claim{{Key: fmt.Sprintf("%s name %v", what, r.Inputs[input]), From: []string{input}}}
	}
}

// oneOf: the one thing of its kind a parent has (a bucket's policy, a
// repository's lifecycle policy), named by the input that names the parent.
func oneOf(what, input string) func(r snapshot.Resource) []Claim {
	return func(r snapshot.Resource) []Claim {
		return []Claim{{Key: fmt.Sprintf(what, r.Inputs[input]), From: []string{input}}}
	}
}

// strs reads a synthesized list of strings.
func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, fmt.Sprint(e))
	}
	return out
}

// always: the same service-linked roles for every resource of the type.
func always(services ...string) func(snapshot.Resource) []string {
	return func(snapshot.Resource) []string { return services }
}

// lookupPath reads a nested synthesized value (maps only).
func lookupPath(v any, path ...string) (any, bool) {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// jsonText renders a value for a comparison: JSON documents held in
// strings (policies) are decoded first, so spacing and key order do not
// count.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		var doc any
		if json.Unmarshal([]byte(s), &doc) == nil {
			v = doc
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// sortedStrs reads a synthesized list of strings, sorted (a set).
func sortedStrs(v any) []string {
	s := strs(v)
	slices.Sort(s)
	return s
}
