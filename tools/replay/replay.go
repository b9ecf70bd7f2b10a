// Package replay works out what `pulumi up` would do to move a deployed
// stack from one snapshot to another, judged by the engine's rules and by
// what each resource type's catalog entry says a change does to it: a
// resource is replaced when its URN goes away (and no alias carries it) or
// a replacement-forcing input changes; a replacement creates first unless
// deleteBeforeReplace is set; deletions run at the end, so a new resource
// may not take a name an old one still holds. What would fail half-way, or
// destroy what must be kept, is a Failure: the change is refused.
//
// "Plan" means this, and only this, in the project: what an update does.
package replay

import (
	"fmt"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Op is what the Pulumi engine does to one resource in an update.
type Op string

const (
	OpSame   Op = "same"
	OpUpdate Op = "update"
	OpCreate Op = "create"
	OpDelete Op = "delete"
	// OpReplace creates the new resource, moves dependents to it, then
	// deletes the old one at the end (Pulumi's default).
	OpReplace Op = "replace"
	// OpReplaceDeleteFirst deletes the old resource, then creates the new
	// one (deleteBeforeReplace).
	OpReplaceDeleteFirst Op = "replace, delete first"
)

// Step is one resource's part in an update.
type Step struct {
	Op       Op
	Type     string
	Name     string
	URN      string // the new URN, or the old one for a delete
	OldURN   string // for a rename (alias)
	Old, New *snapshot.Resource
	Changed  []string // inputs that change (update or replace)
	Because  []string // why it is replaced: inputs, options, resources it follows
	// FailsBecause: the provider plans the change, AWS refuses it.
	FailsBecause []string
	Protected    bool // Pulumi's protect is on (old state)
}

// replaces reports whether the step replaces its resource.
func (s *Step) replaces() bool { return s.Op == OpReplace || s.Op == OpReplaceDeleteFirst }

// Failure is a step that would fail or destroy what must not be destroyed:
// the update is refused, with what to do instead.
type Failure struct {
	URN     string
	Message string
}

// Plan is what the engine would do to move a stack from old to new.
type Plan struct {
	Steps    []Step
	Failures []Failure
}

// Replaced returns the steps that replace or delete an existing resource.
func (p *Plan) Replaced() []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.replaces() || s.Op == OpDelete {
			out = append(out, s)
		}
	}
	return out
}

// Names returns "<module>/<type> <name>" of the steps with op, sorted:
// "acm/certificate edge-cert".
func (p *Plan) Names(op Op) []string {
	var out []string
	for _, s := range p.Steps {
		if s.Op == op {
			out = append(out, ShortType(s.Type)+" "+s.Name)
		}
	}
	sort.Strings(out)
	return out
}

// ShortType turns aws:acm/certificate:Certificate into acm/certificate.
func ShortType(typ string) string {
	typ = strings.TrimPrefix(typ, "aws:")
	if i := strings.LastIndex(typ, ":"); i > 0 && strings.Contains(typ, "/") {
		typ = typ[:i]
	}
	return typ
}

// Up computes the plan of the update from old to new, in four steps: match
// each new resource with the old one it continues (by URN, then by alias);
// judge what changes between the two (reasons); carry replacements to the
// resources whose replacement-forcing inputs follow from a replaced one
// (propagation, in dependency order); and find what would fail (failures).
func Up(old, new *snapshot.Stack) (*Plan, error) {
	o, err := snapshot.Normalize(old)
	if err != nil {
		return nil, err
	}
	n, err := snapshot.Normalize(new)
	if err != nil {
		return nil, err
	}
	ordered, err := dependencyOrder(n.Resources)
	if err != nil {
		return nil, err
	}
	regionChange := ""
	if o.Region != "" && n.Region != "" && o.Region != n.Region {
		regionChange = fmt.Sprintf("aws:region changes from %s to %s: every resource of the default provider is created anew in the new region", o.Region, n.Region)
	}

	steps, deleted := match(o.Resources, ordered)
	byURN := map[string]*Step{}
	for _, s := range steps {
		if s.Old != nil {
			judge(s, regionChange)
			propagate(s, byURN)
			s.Op = opOf(s)
		}
		byURN[s.URN] = s
	}

	p := &Plan{}
	for _, s := range append(steps, deleted...) {
		p.Steps = append(p.Steps, *s)
	}
	sort.SliceStable(p.Steps, func(i, j int) bool { return p.Steps[i].URN < p.Steps[j].URN })
	p.Failures = failures(p.Steps, byURN, n.Resources)
	return p, nil
}

// match pairs each new resource (in dependency order) with the old one it
// continues: the same URN, or else an alias not taken yet. It returns a
// step per new resource (a create where nothing matched) and a delete step
// per old resource nothing continues.
func match(old []snapshot.Resource, ordered []*snapshot.Resource) (steps, deleted []*Step) {
	oldBy := map[string]*snapshot.Resource{}
	for i := range old {
		oldBy[old[i].URN] = &old[i]
	}
	matched := map[string]bool{}
	for _, r := range ordered {
		s := &Step{Op: OpCreate, Type: r.Type, Name: r.Name, URN: r.URN, New: r}
		prev := oldBy[r.URN]
		if prev == nil {
			for _, a := range r.Aliases {
				if oldBy[a] != nil && !matched[a] {
					prev, s.OldURN = oldBy[a], a
					break
				}
			}
		}
		if prev != nil {
			matched[prev.URN] = true
			s.Old, s.Protected = prev, prev.Protect
		}
		steps = append(steps, s)
	}
	for i := range old {
		r := &old[i]
		if !matched[r.URN] {
			deleted = append(deleted, &Step{Op: OpDelete, Type: r.Type, Name: r.Name, URN: r.URN, Old: r, Protected: r.Protect})
		}
	}
	return steps, deleted
}

// judge finds what changes between a step's old and new resource, and the
// reasons the change replaces it or fails: replacement-forcing inputs, the
// provider's own old-and-new rules, inputs AWS refuses to update, a change
// of region or of provider.
func judge(s *Step, regionChange string) {
	up := update(s.Type)
	s.Changed = changedInputs(s.Old, s.New, up)
	for _, c := range s.Changed {
		if key := matchesAny(c, up.ReplaceOn); key != "" {
			s.Because = append(s.Because, "its "+key+" changes, which AWS cannot update in place")
		} else if key := matchesAny(c, s.New.ReplaceOnChanges); key != "" {
			s.Because = append(s.Because, "its "+key+" changes (replaceOnChanges)")
		}
		for _, key := range sortedKeys(up.FailOnChange) {
			if matchesAny(c, []string{key}) != "" {
				s.FailsBecause = append(s.FailsBecause, up.FailOnChange[key])
			}
		}
	}
	if up.ReplaceWhen != nil {
		if why := up.ReplaceWhen(*s.Old, *s.New); why != "" {
			s.Because = append(s.Because, why)
		}
	}
	if regionChange != "" && s.New.Custom && s.New.Provider == "" {
		s.Because = append(s.Because, regionChange)
	}
	if s.Old.Provider != s.New.Provider {
		s.Because = append(s.Because, "its provider changes")
	}
}

// propagate: an input that carries a replaced resource's identity (its id,
// ARN, DNS name, ...) gets the new one's, so it changes too, and a
// replacement-forcing one replaces this resource as well. (Other outputs of
// a replacement, such as a certificate's validation records, are what they
// were.) The steps a resource depends on are judged before it.
func propagate(s *Step, byURN map[string]*Step) {
	up := update(s.Type)
	for _, input := range sortedKeys(s.New.PropertyDependencies) {
		for _, d := range s.New.PropertyDependencies[input] {
			ds := byURN[d]
			if ds == nil || !ds.replaces() || !carries(s.New.Inputs[input], identityValues(*ds.New)) {
				continue
			}
			if !contains(s.Changed, input) {
				s.Changed = append(s.Changed, input)
			}
			if matchesAny(input, up.ReplaceOn) != "" || prefixOfAny(input, up.ReplaceOn) {
				s.Because = append(s.Because, fmt.Sprintf("its %s comes from %s %q, which is replaced", input, ds.Type, ds.Name))
			}
		}
	}
	sort.Strings(s.Changed)
}

// opOf is what the engine does with a step's reasons and changes.
func opOf(s *Step) Op {
	switch {
	case len(s.Because) > 0 && s.New.DeleteBeforeReplace:
		return OpReplaceDeleteFirst
	case len(s.Because) > 0:
		return OpReplace
	case len(s.Changed) > 0:
		return OpUpdate
	}
	return OpSame
}

// update is a type's update behaviour from the catalog (none for a type
// without an entry: failures reports it).
func update(typ string) catalog.Update {
	if t, ok := catalog.Lookup(typ); ok {
		return t.Update
	}
	return catalog.Update{}
}

// identityValues are the values that name a resource and change when it is
// replaced: its id, its ARN and the like, and its name when Pulumi chose it.
func identityValues(r snapshot.Resource) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok && len(s) >= 8 {
			out = append(out, s)
		}
	}
	add(r.ID)
	for _, k := range []string{"arn", "arnSuffix", "dnsName", "allocationId", "publicIp", "endpoint", "url", "imageUri", "cloudfrontDistribution"} {
		add(r.Outputs[k])
	}
	if _, named := r.Inputs["name"]; !named {
		add(r.Outputs["name"])
	}
	return out
}

// dependencyOrder sorts resources so each comes after what it depends on
// (its parent, dependsOn and property dependencies), URN order otherwise.
func dependencyOrder(rs []snapshot.Resource) ([]*snapshot.Resource, error) {
	byURN := map[string]*snapshot.Resource{}
	sorted := make([]*snapshot.Resource, 0, len(rs))
	for i := range rs {
		byURN[rs[i].URN] = &rs[i]
		sorted = append(sorted, &rs[i])
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].URN < sorted[j].URN })
	var out []*snapshot.Resource
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(r *snapshot.Resource) error
	visit = func(r *snapshot.Resource) error {
		switch state[r.URN] {
		case 1:
			return fmt.Errorf("dependency cycle at %s", r.URN)
		case 2:
			return nil
		}
		state[r.URN] = 1
		before := append([]string{r.Parent}, r.DependsOn...)
		for _, ds := range r.PropertyDependencies {
			before = append(before, ds...)
		}
		sort.Strings(before)
		for _, d := range before {
			if dr := byURN[d]; dr != nil {
				if err := visit(dr); err != nil {
					return err
				}
			}
		}
		state[r.URN] = 2
		out = append(out, r)
		return nil
	}
	for _, r := range sorted {
		if err := visit(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}
