package providercheck

import "github.com/example/alb-cognito-fargate/tools/catalog"

// APIChecks checks stacks against the rules AWS enforces that the provider
// leaves to the API: each type's catalog entry lists them (Checks). They
// run on the synthesized inputs, without Terraform.
func APIChecks(stacks []Stack) []Problem {
	var out []Problem
	for _, st := range stacks {
		for _, r := range st.Snapshot.Resources {
			t, ok := catalog.Lookup(r.Type)
			if !ok {
				continue
			}
			for _, check := range t.Checks {
				for _, f := range check.Check(r) {
					out = append(out, Problem{Stack: st.Name, URN: r.URN, Type: r.Type, Name: r.Name, Property: f.Property, Message: f.Message})
				}
			}
		}
	}
	return out
}
