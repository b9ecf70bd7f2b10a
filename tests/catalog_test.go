package tests

import (
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/catalog"
)

// Every resource type the program registers, in every committed and test
// stack, has its catalog entry: the tools read what they know of a type
// (Terraform type, update behaviour, mock answer, cost, API checks) from
// there, and a type without one would escape them.
func TestEveryRegisteredTypeHasACatalogEntry(t *testing.T) {
	seen := map[string]bool{}
	check := func(stack string, types []string) {
		for _, typ := range types {
			if seen[typ] || strings.HasPrefix(typ, "alb-cognito-fargate:") || typ == tStack {
				continue // the program's own components have no cloud resource
			}
			seen[typ] = true
			entry, ok := catalog.Lookup(typ)
			if !ok {
				t.Errorf("%s registers %s, which has no catalog entry: add it to %s", stack, typ, catalog.FileFor(typ))
				continue
			}
			// What the deploying principal needs for it (synth -deploy-policy).
			if entry.Terraform != "" && len(entry.Deploy.Actions) == 0 {
				t.Errorf("%s's entry in %s says no IAM action the deploying principal needs for it: add Deploy.Actions", typ, catalog.FileFor(typ))
			}
		}
	}
	typesOf := func(name string, cfg map[string]string, secret ...string) []string {
		var out []string
		for _, r := range synthesize(t, cfg, secret...).Resources {
			out = append(out, r.Type)
		}
		return out
	}
	for _, s := range committedStacks(t) {
		var types []string
		for _, r := range synthesizeStackFile(t, s).Resources {
			types = append(types, r.Type)
		}
		check(s, types)
	}
	for _, c := range providerCheckConfigs {
		check(c.name, typesOf(c.name, withConfig(c.set), c.secret...))
	}
	if len(seen) < 40 {
		t.Errorf("only %d types seen: the stacks no longer cover the program", len(seen))
	}
}
