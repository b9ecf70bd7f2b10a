package replay

import (
	"fmt"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// ReadBack is a stack as `pulumi up` leaves it: each resource's inputs with
// what AWS stores beyond them (its type's catalog ReadBack) merged in, as the
// provider's next diff sees its prior state.
func ReadBack(s *snapshot.Stack) (*snapshot.Stack, error) {
	out, err := snapshot.Normalize(s) // a deep copy
	if err != nil {
		return nil, err
	}
	for i, r := range out.Resources {
		t, ok := catalog.Lookup(r.Type)
		if !ok || t.Update.ReadBack == nil {
			continue
		}
		stored := t.Update.ReadBack(r)
		if len(stored) == 0 {
			continue
		}
		if out.Resources[i].Inputs == nil {
			out.Resources[i].Inputs = map[string]any{}
		}
		for path, v := range stored {
			setPath(out.Resources[i].Inputs, strings.Split(path, "."), v)
		}
	}
	return out, nil
}

// Settle is the preview right after the stack's own `pulumi up`: what AWS
// read back makes every resource it lists here update again, on every run.
func Settle(s *snapshot.Stack) ([]Failure, error) {
	deployed, err := ReadBack(s)
	if err != nil {
		return nil, err
	}
	plan, err := Up(deployed, s)
	if err != nil {
		return nil, err
	}
	var out []Failure
	for _, st := range plan.Steps {
		if st.Op == OpSame || st.Old == nil || st.New == nil {
			continue
		}
		stored := map[string]any{}
		if t, ok := catalog.Lookup(st.Type); ok && t.Update.ReadBack != nil {
			stored = t.Update.ReadBack(*st.New)
		}
		var what []string
		for _, c := range st.Changed {
			if v, ok := stored[c]; ok {
				what = append(what, fmt.Sprintf("%s = %v", c, v))
			} else {
				what = append(what, c)
			}
		}
		sort.Strings(what)
		out = append(out, Failure{URN: st.URN, Message: fmt.Sprintf(
			"%s %q would update on every `pulumi up`: AWS keeps %s, which the program neither sends nor ignores. Send what AWS keeps, or ignore each path in its exact dot form (pulumi.IgnoreChanges), and record it in the type's catalog ReadBack.",
			st.Type, st.Name, strings.Join(what, ", "))})
	}
	return out, nil
}

func setPath(m map[string]any, path []string, v any) {
	if len(path) == 1 {
		m[path[0]] = v
		return
	}
	next, ok := m[path[0]].(map[string]any)
	if !ok {
		next = map[string]any{}
		m[path[0]] = next
	}
	setPath(next, path[1:], v)
}
