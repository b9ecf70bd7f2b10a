package synth

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
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
	Old, New *Resource
	Changed  []string // inputs that change (update or replace)
	Because  []string // why it is replaced: inputs, options, resources it follows
	// FailsBecause: the provider plans the change, AWS refuses it.
	FailsBecause []string
	Protected    bool // Pulumi's protect is on (old state)
}

// Failure is a step that would fail or destroy what must not be destroyed:
// the update is refused, with what to do instead.
type Failure struct {
	URN     string
	Message string
}

// Plan is what the engine would do to move a stack from old to new, judged
// by the engine's rules: a resource is replaced when its URN goes away (and
// no alias carries it) or a replacement-forcing input changes; a
// replacement creates first unless deleteBeforeReplace is set; deletions
// run at the end, so a new resource may not take a name an old one still
// holds.
type Plan struct {
	Steps    []Step
	Failures []Failure
}

// Replaced returns the steps that replace or delete an existing resource.
func (p *Plan) Replaced() []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.Op == OpReplace || s.Op == OpReplaceDeleteFirst || s.Op == OpDelete {
			out = append(out, s)
		}
	}
	return out
}

// Count returns how many steps have each op.
func (p *Plan) Count() map[Op]int {
	out := map[Op]int{}
	for _, s := range p.Steps {
		out[s.Op]++
	}
	return out
}

// indexRe matches list indexes and names in a flattened path ([0], [PORT]).
var indexRe = regexp.MustCompile(`\[[^\]]*\]`)

// PlanUpdate computes the plan from old to new.
func PlanUpdate(old, new *Result) (*Plan, error) {
	o, n, err := normalizeBoth(old, new)
	if err != nil {
		return nil, err
	}
	// Property dependencies, ids and outputs are not part of the printed
	// form; take them from the new result as given.
	deps := map[string]map[string][]string{}
	identity := map[string][]string{}
	for _, r := range new.Resources {
		deps[r.URN] = r.PropertyDependencies
		identity[r.URN] = identityValues(r)
	}
	inputs := map[string]map[string]any{}
	for _, r := range new.Resources {
		inputs[r.URN] = r.Inputs
	}

	p := &Plan{}
	oldBy := map[string]*Resource{}
	for i := range o.Resources {
		oldBy[o.Resources[i].URN] = &o.Resources[i]
	}
	matched := map[string]bool{}
	stepOf := map[string]*Step{} // by new URN
	var steps []*Step

	// New resources in dependency order, so that a replacement is known
	// before the resources that follow from it are judged.
	ordered, err := dependencyOrder(n.Resources, deps)
	if err != nil {
		return nil, err
	}
	regionChanged := o.Region != "" && n.Region != "" && o.Region != n.Region
	for _, r := range ordered {
		s := &Step{Type: r.Type, Name: r.Name, URN: r.URN, New: r}
		prev := oldBy[r.URN]
		if prev == nil {
			for _, a := range r.Aliases {
				if oldBy[a] != nil && !matched[a] {
					prev, s.OldURN = oldBy[a], a
					break
				}
			}
		}
		if prev == nil {
			s.Op = OpCreate
			steps, stepOf[r.URN] = append(steps, s), s
			continue
		}
		matched[prev.URN] = true
		s.Old, s.Protected = prev, prev.Protect
		rules := Rules[r.Type]

		changed := changedInputs(prev, r, rules)
		s.Changed = changed
		for _, c := range changed {
			if key := matchesAny(c, rules.ReplaceOn); key != "" {
				s.Because = append(s.Because, "its "+key+" changes, which AWS cannot update in place")
			} else if key := matchesAny(c, r.ReplaceOnChanges); key != "" {
				s.Because = append(s.Because, "its "+key+" changes (replaceOnChanges)")
			}
		}
		if rules.ReplaceWhen != nil {
			if why := rules.ReplaceWhen(*prev, *r); why != "" {
				s.Because = append(s.Because, why)
			}
		}
		for _, c := range changed {
			if key := matchesAny(c, slices.Sorted(maps.Keys(rules.FailOnChange))); key != "" {
				s.FailsBecause = append(s.FailsBecause, rules.FailOnChange[key])
			}
		}
		// An input that carries a replaced resource's identity (its id,
		// ARN, DNS name, ...) gets the new one's: a replacement-forcing one
		// replaces this resource too. (Other outputs of a replacement, such
		// as a certificate's validation records, are what they were.)
		for input, from := range deps[r.URN] {
			for _, d := range from {
				ds := stepOf[d]
				if ds == nil || (ds.Op != OpReplace && ds.Op != OpReplaceDeleteFirst) || !carries(inputs[r.URN][input], identity[d]) {
					continue
				}
				if !slices.Contains(s.Changed, input) {
					s.Changed = append(s.Changed, input)
				}
				if key := matchesAny(input, rules.ReplaceOn); key != "" || prefixOfAny(input, rules.ReplaceOn) {
					s.Because = append(s.Because, fmt.Sprintf("its %s comes from %s %q, which is replaced", input, ds.Type, ds.Name))
				}
			}
		}
		if regionChanged && r.Custom && r.Provider == "" {
			s.Because = append(s.Because, fmt.Sprintf("aws:region changes from %s to %s: every resource of the default provider is created anew in the new region", o.Region, n.Region))
		}
		if prev.Provider != r.Provider {
			s.Because = append(s.Because, "its provider changes")
		}
		sort.Strings(s.Changed)
		switch {
		case len(s.Because) > 0 && r.DeleteBeforeReplace:
			s.Op = OpReplaceDeleteFirst
		case len(s.Because) > 0:
			s.Op = OpReplace
		case len(s.Changed) > 0:
			s.Op = OpUpdate
		default:
			s.Op = OpSame
		}
		steps, stepOf[r.URN] = append(steps, s), s
	}
	for i := range o.Resources {
		r := &o.Resources[i]
		if !matched[r.URN] {
			steps = append(steps, &Step{Op: OpDelete, Type: r.Type, Name: r.Name, URN: r.URN, Old: r, Protected: r.Protect})
		}
	}
	for _, s := range steps {
		p.Steps = append(p.Steps, *s)
	}
	sort.SliceStable(p.Steps, func(i, j int) bool { return p.Steps[i].URN < p.Steps[j].URN })

	for _, s := range p.Steps {
		for _, why := range s.FailsBecause {
			p.Failures = append(p.Failures, Failure{URN: s.URN, Message: fmt.Sprintf("%s %q would be updated, and AWS refuses the update: %s.", s.Type, s.Name, why)})
		}
	}
	p.Failures = append(p.Failures, refusals(p.Steps)...)
	p.Failures = append(p.Failures, collisions(p.Steps, stepOf, deps)...)
	for _, r := range n.Resources {
		if r.Custom && strings.HasPrefix(r.Type, "aws:") {
			if _, ok := Rules[r.Type]; !ok {
				p.Failures = append(p.Failures, Failure{URN: r.URN, Message: fmt.Sprintf(
					"%s %q: the day-2 check has no rules for this type; add its replacement-forcing inputs, sets and unique names to infra/synth/resources.go", r.Type, r.Name)})
			}
		}
	}
	sort.SliceStable(p.Failures, func(i, j int) bool { return p.Failures[i].Message < p.Failures[j].Message })
	return p, nil
}

// identityValues are the values that name a resource and change when it is
// replaced: its id, its ARN and the like, and its name when Pulumi chose it.
func identityValues(r Resource) []string {
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

// carries reports whether a value holds any of the identity values.
func carries(v any, ids []string) bool {
	if len(ids) == 0 {
		return false
	}
	b, _ := json.Marshal(v)
	for _, id := range ids {
		if strings.Contains(string(b), id) {
			return true
		}
	}
	return false
}

// refusals: destroying what must not be destroyed, or what the engine or
// AWS will refuse to destroy.
func refusals(steps []Step) []Failure {
	var out []Failure
	for _, s := range steps {
		if s.Op != OpReplace && s.Op != OpReplaceDeleteFirst && s.Op != OpDelete {
			continue
		}
		what := "deleted"
		if s.Op != OpDelete {
			what = "replaced (" + strings.Join(s.Because, "; ") + ")"
		}
		rules := Rules[s.Type]
		switch {
		case rules.Refuse != "":
			out = append(out, Failure{URN: s.URN, Message: fmt.Sprintf("%s %q would be %s: refused, because %s.", s.Type, s.Name, what, rules.Refuse)})
		case s.Protected:
			out = append(out, Failure{URN: s.URN, Message: fmt.Sprintf(
				"%s %q would be %s, but it is protected (protect: true), so pulumi up stops there. Undo the change; if the resource really must go, set protect: false and deploy that first.", s.Type, s.Name, what)})
		case rules.DeletionProtected != nil && s.Old != nil && rules.DeletionProtected(*s.Old):
			out = append(out, Failure{URN: s.URN, Message: fmt.Sprintf(
				"%s %q would be %s, but AWS deletion protection is on, so deleting the old one fails half-way through the update. Undo the change; if it really must go, set protect: false and deploy that first.", s.Type, s.Name, what)})
		}
	}
	return out
}

// collisions: a name a new resource takes (on create, on replacement, or by
// an update that changes it) while another resource, or its own old self
// under create-before-delete, still holds it. Pulumi deletes what goes away
// only at the end of an update, so every name the old state holds is held
// while the new resources are created.
func collisions(steps []Step, stepOf map[string]*Step, deps map[string]map[string][]string) []Failure {
	claimsOf := func(typ string, r *Resource) []Claim {
		if f := Rules[typ].Claims; f != nil && r != nil {
			return f(*r)
		}
		return nil
	}
	var out []Failure
	seen := map[string]bool{}
	for i := range steps {
		s := &steps[i]
		if s.Op == OpDelete || s.Op == OpSame {
			continue
		}
		own := claimsOf(s.Type, s.Old)
		for _, c := range claimsOf(s.Type, s.New) {
			if fresh(c, deps[s.URN], stepOf) {
				continue
			}
			if s.Op == OpUpdate && hasClaim(own, c) {
				continue // the name it already holds
			}
			for j := range steps {
				h := &steps[j]
				if h.Old == nil {
					continue
				}
				if h.URN == s.URN && s.Op != OpReplace {
					continue // delete-first or an update: its own old name is free or its own
				}
				if !hasClaim(claimsOf(h.Type, h.Old), c) {
					continue
				}
				msg := collisionMessage(*s, *h, c)
				if !seen[msg] {
					seen[msg] = true
					out = append(out, Failure{URN: s.URN, Message: msg})
				}
			}
		}
	}
	return out
}

func hasClaim(cs []Claim, c Claim) bool {
	for _, x := range cs {
		if claimEqual(x, c) {
			return true
		}
	}
	return false
}

func claimEqual(a, b Claim) bool {
	if a.Key != b.Key {
		return false
	}
	if a.Prefix.IsValid() || b.Prefix.IsValid() {
		return a.Prefix.IsValid() && b.Prefix.IsValid() && a.Prefix.Overlaps(b.Prefix)
	}
	return true
}

// fresh: the claim's inputs come from a replaced or new resource, so it is
// a name no old resource can hold.
func fresh(c Claim, deps map[string][]string, stepOf map[string]*Step) bool {
	for _, in := range c.From {
		for _, d := range deps[in] {
			if ds := stepOf[d]; ds != nil && (ds.Op == OpCreate || ds.Op == OpReplace || ds.Op == OpReplaceDeleteFirst) {
				return true
			}
		}
	}
	return false
}

func collisionMessage(s, holder Step, c Claim) string {
	what := "created"
	if s.Op == OpReplace {
		what = "replaced (" + strings.Join(s.Because, "; ") + "), and Pulumi creates the new one first,"
	}
	held := fmt.Sprintf("%s %q, which is deleted only at the end", holder.Type, holder.Name)
	if holder.URN == s.URN {
		held = "the old one"
	}
	suffix := "Give the resource an identity that does not move (name it by what it is, not by position) or deleteBeforeReplace."
	if s.Type == "aws:route53/record:Record" && s.New.Inputs["allowOverwrite"] == true {
		return fmt.Sprintf("%s %q would be %s while %s still holds %s: the create overwrites the record, and the old resource's delete then removes it, so the name stops resolving (for an ACM validation record: the certificate cannot renew). %s", s.Type, s.Name, what, held, c.Key, suffix)
	}
	if c.Prefix.IsValid() {
		return fmt.Sprintf("%s %q would be %s while %s still holds addresses overlapping %s in %s: AWS refuses the create, and the update fails half-way. Keep vpcCidr and maxAvailabilityZones as deployed.", s.Type, s.Name, what, held, c.Prefix, strings.TrimPrefix(c.Key, "the addresses of "))
	}
	return fmt.Sprintf("%s %q would be %s while %s still holds %s: AWS refuses the create, and the update fails half-way. %s", s.Type, s.Name, what, held, c.Key, suffix)
}

// changedInputs lists the inputs (dotted, without list indexes) whose
// values differ, set-typed inputs compared without regard to order and
// ignoreChanges left out.
func changedInputs(a, b *Resource, rules TypeRules) []string {
	ai := canonicalSets(a.Inputs, rules.Sets)
	bi := canonicalSets(b.Inputs, rules.Sets)
	seen := map[string]bool{}
	var out []string
	for _, pc := range compareValues("", ai, bi) {
		p := strings.TrimPrefix(indexRe.ReplaceAllString(pc.Path, ""), ".")
		if matchesAny(p, b.IgnoreChanges) != "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// matchesAny returns the entry of keys that path is, or is inside.
func matchesAny(path string, keys []string) string {
	for _, k := range keys {
		if path == k || strings.HasPrefix(path, k+".") {
			return k
		}
	}
	return ""
}

// prefixOfAny: some key is inside path (a replaced dependency feeds a
// block holding a replacement-forcing argument).
func prefixOfAny(path string, keys []string) bool {
	for _, k := range keys {
		if strings.HasPrefix(k, path+".") {
			return true
		}
	}
	return false
}

// canonicalSets returns a copy of inputs with the set-typed values at the
// given paths sorted, so that order does not count as a change.
func canonicalSets(inputs map[string]any, sets []string) map[string]any {
	b, _ := json.Marshal(inputs)
	var cp map[string]any
	_ = json.Unmarshal(b, &cp)
	for _, path := range sets {
		sortAt(cp, strings.Split(path, "."))
	}
	return cp
}

func sortAt(v any, path []string) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			sortAt(e, path)
		}
	case map[string]any:
		if len(path) == 0 {
			return
		}
		child, ok := t[path[0]]
		if !ok {
			return
		}
		if len(path) > 1 {
			sortAt(child, path[1:])
			return
		}
		if l, ok := child.([]any); ok {
			sort.SliceStable(l, func(i, j int) bool {
				x, _ := json.Marshal(l[i])
				y, _ := json.Marshal(l[j])
				return string(x) < string(y)
			})
		}
	}
}

// dependencyOrder sorts resources so each comes after what it depends on
// (its parent, dependsOn and property dependencies), URN order otherwise.
func dependencyOrder(rs []Resource, deps map[string]map[string][]string) ([]*Resource, error) {
	byURN := map[string]*Resource{}
	for i := range rs {
		byURN[rs[i].URN] = &rs[i]
	}
	var out []*Resource
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(r *Resource) error
	visit = func(r *Resource) error {
		switch state[r.URN] {
		case 1:
			return fmt.Errorf("dependency cycle at %s", r.URN)
		case 2:
			return nil
		}
		state[r.URN] = 1
		var before []string
		before = append(before, r.Parent)
		before = append(before, r.DependsOn...)
		for _, ds := range deps[r.URN] {
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
	sorted := make([]*Resource, 0, len(rs))
	for i := range rs {
		sorted = append(sorted, &rs[i])
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].URN < sorted[j].URN })
	for _, r := range sorted {
		if err := visit(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}
