// Package deploypolicy writes the least-privilege IAM policy of whoever runs
// `pulumi up` on a stack: the actions each resource type the stack
// registers needs (its catalog entry's Deploy), limited to the stack's
// regions; the IAM actions on the stack's own roles only; iam:PassRole for
// exactly the roles the stack hands to a service, to that service; and
// iam:CreateServiceLinkedRole for the service-linked roles AWS creates the
// first time.
package deploypolicy

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Statement is one statement of an IAM policy.
type Statement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Action    []string       `json:"Action"`
	Resource  any            `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// JSON is the document as IAM takes it, indented.
func (d Document) JSON() ([]byte, error) { return json.MarshalIndent(d, "", "  ") }

// Size is the document's length without whitespace, which is what IAM's
// limit on a managed policy (6,144 characters) counts.
func (d Document) Size() int {
	b, _ := json.Marshal(d)
	return len(b)
}

// MaxManagedPolicySize is IAM's limit on a managed policy's size.
const MaxManagedPolicySize = 6144

// globalServices are the services whose API is not regional: their calls
// carry no useful aws:RequestedRegion (IAM, Route 53 and CloudFront answer
// in us-east-1 whatever the stack's region; STS's global endpoint too).
var globalServices = []string{"cloudfront", "iam", "route53", "sts"}

// account stands for the deploying principal's account in an ARN (an IAM
// policy variable), so one policy fits any account.
const account = "${aws:PrincipalAccount}"

// needs is what a stack's resources and calls need, gathered by type.
type needs struct {
	regional, global, roleActions map[string]bool
	regions                       map[string]bool
	roles                         map[string]string          // role ARN as synthesized -> ARN pattern
	passed                        map[string]map[string]bool // service -> role patterns
	linked                        map[string]bool            // service-linked role services
}

// For builds the policy for a synthesized stack.
func For(s *snapshot.Stack) (Document, error) {
	n, err := collect(s)
	if err != nil {
		return Document{}, err
	}
	return n.document(), nil
}

// add files actions by where they apply: IAM (the stack's roles), global
// services, or the stack's regions.
func (n *needs) add(actions []string) {
	for _, a := range actions {
		service, _, _ := strings.Cut(a, ":")
		switch {
		case service == "iam":
			n.roleActions[a] = true
		case slices.Contains(globalServices, service):
			n.global[a] = true
		default:
			n.regional[a] = true
		}
	}
}

func collect(s *snapshot.Stack) (*needs, error) {
	n := &needs{regional: map[string]bool{}, global: map[string]bool{}, roleActions: map[string]bool{},
		regions: map[string]bool{s.Region: true}, roles: map[string]string{}, passed: map[string]map[string]bool{}, linked: map[string]bool{}}
	for _, r := range s.Resources {
		if region, ok := r.Inputs["region"].(string); ok && r.Type == catalog.Provider.Token {
			n.regions[region] = true
		}
		if r.Type == catalog.Role.Token {
			n.roles[fmt.Sprint(r.Outputs["arn"])] = rolePattern(r)
		}
	}
	var unknown []string
	for _, r := range s.Resources {
		t, ok := catalog.Lookup(r.Type)
		if !ok {
			if r.Custom {
				unknown = append(unknown, r.Type)
			}
			continue
		}
		if err := n.resource(r, t.Deploy); err != nil {
			return nil, err
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("no catalog entry says what these types need: %s", strings.Join(slices.Compact(slices.Sorted(slices.Values(unknown))), ", "))
	}
	for _, inv := range s.Invokes {
		if f, ok := catalog.LookupFunction(inv.Token); ok {
			n.add(f.Actions)
		}
	}
	return n, nil
}

// resource adds what one resource needs.
func (n *needs) resource(r snapshot.Resource, d catalog.Deploy) error {
	n.add(d.Actions)
	if d.ActionsFor != nil {
		n.add(d.ActionsFor(r))
	}
	if d.ServiceLinkedRoles != nil {
		for _, svc := range d.ServiceLinkedRoles(r) {
			n.linked[svc] = true
		}
	}
	for input, service := range d.PassesRoles {
		arn, ok := r.Inputs[input].(string)
		if !ok {
			continue
		}
		pattern, ours := n.roles[arn]
		if !ours {
			return fmt.Errorf("%s %s passes role %s, which the stack does not create: grant iam:PassRole on it by hand", r.Type, r.Name, arn)
		}
		if n.passed[service] == nil {
			n.passed[service] = map[string]bool{}
		}
		n.passed[service][pattern] = true
	}
	return nil
}

// document writes the statements: the regional and global services, the
// stack's roles, the roles passed (one statement per service), and the
// service-linked roles.
func (n *needs) document() Document {
	doc := Document{Version: "2012-10-17"}
	if len(n.regional) > 0 {
		doc.Statement = append(doc.Statement, Statement{
			Sid: "StackResourcesInItsRegions", Effect: "Allow", Action: sortedKeys(n.regional), Resource: "*",
			Condition: map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": sortedKeys(n.regions)}},
		})
	}
	if len(n.global) > 0 {
		doc.Statement = append(doc.Statement, Statement{Sid: "GlobalServices", Effect: "Allow", Action: sortedKeys(n.global), Resource: "*"})
	}
	patterns := map[string]bool{}
	for _, p := range n.roles {
		patterns[p] = true
	}
	if len(n.roleActions) > 0 && len(patterns) > 0 {
		doc.Statement = append(doc.Statement, Statement{Sid: "TheStacksRoles", Effect: "Allow", Action: sortedKeys(n.roleActions), Resource: sortedKeys(patterns)})
	}
	for _, service := range slices.Sorted(maps.Keys(n.passed)) {
		doc.Statement = append(doc.Statement, Statement{
			Sid: "PassRolesTo" + sidOf(service), Effect: "Allow", Action: []string{"iam:PassRole"}, Resource: sortedKeys(n.passed[service]),
			Condition: map[string]any{"StringEquals": map[string]any{"iam:PassedToService": service}},
		})
	}
	if len(n.linked) > 0 {
		var arns []string
		for _, svc := range sortedKeys(n.linked) {
			arns = append(arns, "arn:aws:iam::"+account+":role/aws-service-role/"+svc+"/*")
		}
		doc.Statement = append(doc.Statement, Statement{
			Sid: "ServiceLinkedRolesOnFirstUse", Effect: "Allow", Action: []string{"iam:CreateServiceLinkedRole"}, Resource: arns,
			Condition: map[string]any{"StringEquals": map[string]any{"iam:AWSServiceName": sortedKeys(n.linked)}},
		})
	}
	return doc
}

// rolePattern is the ARN of a role the stack creates: its name, or the
// names Pulumi gives it (its logical name, a hyphen and 7 characters).
func rolePattern(r snapshot.Resource) string {
	if name, ok := r.Inputs["name"].(string); ok && name != "" {
		return "arn:aws:iam::" + account + ":role/" + name
	}
	return "arn:aws:iam::" + account + ":role/" + r.Name + "-???????"
}

// sidOf turns ecs-tasks.amazonaws.com into EcsTasks.
func sidOf(service string) string {
	name, _, _ := strings.Cut(service, ".")
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func sortedKeys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
