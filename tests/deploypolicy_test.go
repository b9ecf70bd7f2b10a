package tests

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/deploypolicy"
)

// The deploying principal's policy, for every committed stack and test
// configuration: every action each registered type needs (its catalog
// entry), in the stack's regions only; IAM actions only on the stack's own
// roles; iam:PassRole only on the roles the stack hands to a service, to
// that service; service-linked roles only for their services; no wildcard
// action; and it fits a role's inline policies.
func TestTheDeployPolicyGrantsWhatTheStackNeedsAndNoMore(t *testing.T) {
	for _, s := range providerStacks(t) {
		doc, err := deploypolicy.For(s.Snapshot)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		granted := map[string][]deploypolicy.Statement{}
		for _, st := range doc.Statement {
			for _, a := range st.Action {
				if strings.Contains(a, "*") {
					t.Errorf("%s: wildcard action %s", s.Name, a)
				}
				granted[a] = append(granted[a], st)
			}
		}
		for _, r := range s.Snapshot.Resources {
			t2, ok := catalog.Lookup(r.Type)
			if !ok {
				continue
			}
			for _, a := range t2.Deploy.Actions {
				if len(granted[a]) == 0 {
					t.Errorf("%s: %s needs %s, which the policy lacks", s.Name, r.Type, a)
				}
			}
		}
		roles := map[string]bool{}
		for _, r := range s.Snapshot.ByType(tRole) {
			roles["arn:aws:iam::${aws:PrincipalAccount}:role/"+r.Name+"-???????"] = true
		}
		for _, st := range doc.Statement {
			resources := resourceList(st.Resource)
			switch {
			case slices.ContainsFunc(st.Action, func(a string) bool { return strings.HasPrefix(a, "iam:") && a != "iam:CreateServiceLinkedRole" }):
				for _, res := range resources {
					if !roles[res] {
						t.Errorf("%s: %s grants %v on %s, which is not one of the stack's roles", s.Name, st.Sid, st.Action, res)
					}
				}
				if slices.Contains(st.Action, "iam:PassRole") && (len(st.Action) != 1 || st.Condition["StringEquals"] == nil) {
					t.Errorf("%s: iam:PassRole without iam:PassedToService: %+v", s.Name, st)
				}
			case slices.Contains(st.Action, "iam:CreateServiceLinkedRole"):
				if len(st.Action) != 1 || st.Condition["StringEquals"] == nil {
					t.Errorf("%s: service-linked roles for any service: %+v", s.Name, st)
				}
			case st.Sid == "StackResourcesInItsRegions":
				regions := fmt.Sprint(st.Condition["StringEquals"].(map[string]any)["aws:RequestedRegion"])
				if !strings.Contains(regions, s.Region) {
					t.Errorf("%s: the regional statement is limited to %s, not the stack's region %s", s.Name, regions, s.Region)
				}
			}
		}
		if n := doc.Size(); n > 10240 {
			t.Errorf("%s: the policy is %d characters, over a role's 10,240 of inline policy", s.Name, n)
		}
	}
}

// What each stack does shows in its policy: the trigger's role passed to
// Lambda, the custom sign-in domain's CloudFront update and its us-east-1
// certificate, SES's service-linked role, the log key; a stack without them
// is not granted them.
func TestTheDeployPolicyFollowsTheStack(t *testing.T) {
	policy := func(cfg map[string]string, secret ...string) string {
		doc, err := deploypolicy.For(synthesize(t, withConfig(cfg), secret...))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc)
		return string(b)
	}
	base := policy(nil)
	full := policy(map[string]string{"identityProviders": googleCorp, "authDomainName": "auth.app.example.com", "emailSender": "no-reply@example.com", "encryptLogs": "true"}, "identityProviders")
	for _, want := range []string{
		`"Action":["iam:PassRole"],"Resource":["arn:aws:iam::${aws:PrincipalAccount}:role/identity-presignup-???????"],"Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}`,
		`"cloudfront:UpdateDistribution"`, `"us-east-1"`, `"email.cognito-idp.amazonaws.com"`, `"kms:CreateKey"`, `"lambda:CreateFunction"`, `"lambda:AddPermission"`,
	} {
		if !strings.Contains(full, want) {
			t.Errorf("the policy lacks %s", want)
		}
		if strings.Contains(base, want) {
			t.Errorf("a stack without the trigger, the domain, SES and the key is granted %s", want)
		}
	}
}

func resourceList(v any) []string {
	switch r := v.(type) {
	case string:
		return []string{r}
	case []string:
		return r
	}
	return nil
}
