package catalog_test

import (
	"os"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/catalog"
)

// Every entry is complete: a cost that is free or priced (not both), a
// Terraform type for every AWS resource (or why the provider check cannot
// look into it), a mock answer, and it lives in the file of its service.
func TestEveryEntryIsComplete(t *testing.T) {
	for _, e := range catalog.All() {
		if (e.Cost.Free == "") == (e.Cost.Priced == "") {
			t.Errorf("%s: set exactly one of Cost.Free (why it costs nothing) and Cost.Priced (which line items)", e.Token)
		}
		if strings.HasPrefix(e.Token, "aws:") && e.Terraform == "" {
			t.Errorf("%s: no Terraform type (pulumi-aws's provider/resources.go names it)", e.Token)
		}
		if !strings.HasPrefix(e.Token, "aws:") && !strings.HasPrefix(e.Token, "pulumi:providers:") && e.OutOfReach == "" {
			t.Errorf("%s: a component needs OutOfReach: why the provider check cannot look into it", e.Token)
		}
		if e.Mock == nil {
			t.Errorf("%s: no Mock", e.Token)
		}
		file := strings.TrimPrefix(catalog.FileFor(e.Token), "tools/catalog/")
		b, err := os.ReadFile(file)
		if err != nil || !strings.Contains(string(b), `"`+e.Token+`"`) {
			t.Errorf("%s: its entry belongs in %s", e.Token, catalog.FileFor(e.Token))
		}
	}
}

// The mock answers with values derived from the URN: the same each run,
// different per resource.
func TestMocksAreDeterministic(t *testing.T) {
	answer := func(urn string) (string, any) {
		m := &catalog.Mock{Region: "eu-west-1", Name: "pool", URN: urn, Inputs: map[string]any{}}
		catalog.UserPool.Mock(m)
		return m.ID, m.Outputs["arn"]
	}
	a1, arn1 := answer("urn:pulumi:s::p::aws:cognito/userPool:UserPool::a")
	a2, arn2 := answer("urn:pulumi:s::p::aws:cognito/userPool:UserPool::a")
	b, _ := answer("urn:pulumi:s::p::aws:cognito/userPool:UserPool::b")
	if a1 != a2 || arn1 != arn2 || a1 == b || !strings.HasPrefix(a1, "eu-west-1_") {
		t.Errorf("ids %q %q %q, arn %v", a1, a2, b, arn1)
	}
}
