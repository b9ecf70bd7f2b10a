package synth

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// PropChange is one changed value, addressed by a path such as
// inputs.callbackUrls[1] or inputs.containerDefinitions[0].image (JSON held
// in a string is expanded).
type PropChange struct {
	Path     string
	Old, New any
	// Missing flags say the value did not exist on that side.
	OldMissing, NewMissing bool
}

// Change is one resource present on both sides with different properties.
type Change struct {
	URN, Type, Name string
	Props           []PropChange
}

// Warning is a change that deletes or replaces a stateful or uniquely
// named resource.
type Warning struct {
	URN     string
	Message string
}

// Diff is the resource-level difference between two syntheses.
type Diff struct {
	Stack    string
	Added    []Resource
	Removed  []Resource
	Renamed  [][2]string // old URN, new URN, where an alias carries the state over
	Changed  []Change
	Outputs  []PropChange
	Warnings []Warning
	// Failures are what `pulumi up` would fail on, or what is refused
	// because it destroys what must not be destroyed (see PlanUpdate).
	Failures []Failure
	// Cost, when set, is one line on how the estimated monthly cost
	// changes; the renderings put it at the top.
	Cost string
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Renamed) == 0 && len(d.Changed) == 0 && len(d.Outputs) == 0
}

// Compare computes what changes from old to new.
func Compare(old, new *Result) (*Diff, error) {
	o, n, err := normalizeBoth(old, new)
	if err != nil {
		return nil, err
	}
	d := &Diff{Stack: n.Stack}
	oldBy := map[string]Resource{}
	for _, r := range o.Resources {
		oldBy[r.URN] = r
	}
	newBy := map[string]Resource{}
	aliasOf := map[string]string{} // old URN -> new URN that aliases it
	for _, r := range n.Resources {
		newBy[r.URN] = r
		for _, a := range r.Aliases {
			aliasOf[a] = r.URN
		}
	}

	for _, r := range n.Resources {
		prev, existed := oldBy[r.URN]
		if !existed {
			if from := aliasFrom(r, oldBy); from != "" {
				prev, existed = oldBy[from], true
				d.Renamed = append(d.Renamed, [2]string{from, r.URN})
			}
		}
		if !existed {
			d.Added = append(d.Added, r)
			continue
		}
		props := compareResources(prev, r)
		if len(props) > 0 {
			d.Changed = append(d.Changed, Change{URN: r.URN, Type: r.Type, Name: r.Name, Props: props})
		}
	}
	for _, r := range o.Resources {
		if _, still := newBy[r.URN]; still {
			continue
		}
		if _, renamed := aliasOf[r.URN]; renamed {
			continue
		}
		d.Removed = append(d.Removed, r)
	}

	// What the engine does with the change: every replacement or deletion
	// of a stateful or uniquely named resource is a warning, and what would
	// fail or is refused comes first.
	plan, err := PlanUpdate(old, new)
	if err != nil {
		return nil, err
	}
	d.Failures = plan.Failures
	for _, st := range plan.Replaced() {
		rules := Rules[st.Type]
		unique := rules.Claims != nil && st.Old != nil && len(rules.Claims(*st.Old)) > 0
		if rules.Loses == "" && !unique {
			continue
		}
		loses := rules.Loses
		if loses == "" {
			loses = "its name is released"
		}
		msg := ""
		switch st.Op {
		case OpReplace:
			msg = fmt.Sprintf("%s %q would be REPLACED, the new one created first: %s; %s.", st.Type, st.Name, strings.Join(st.Because, "; "), loses)
		case OpReplaceDeleteFirst:
			msg = fmt.Sprintf("%s %q would be REPLACED, the old one deleted first (deleteBeforeReplace): %s; %s.", st.Type, st.Name, strings.Join(st.Because, "; "), loses)
		case OpDelete:
			msg = fmt.Sprintf("%s %q would be DELETED: %s.", st.Type, st.Name, loses)
			for _, a := range n.Resources {
				if _, existed := oldBy[a.URN]; !existed && a.Type == st.Type && aliasFrom(a, oldBy) == "" && rules.Loses != "" {
					msg = fmt.Sprintf("%s %q would be REPLACED: its URN changes to %s (a rename or a new parent), which Pulumi carries out as delete and create; %s. Add pulumi.Aliases to keep it.", st.Type, st.Name, a.URN, loses)
				}
			}
		}
		d.Warnings = append(d.Warnings, Warning{URN: st.URN, Message: msg})
	}
	d.Outputs = compareValues("outputs", o.Outputs, n.Outputs)
	sort.Slice(d.Warnings, func(i, j int) bool { return d.Warnings[i].Message < d.Warnings[j].Message })
	return d, nil
}

// aliasFrom returns the URN of an old resource that r names as an alias.
func aliasFrom(r Resource, oldBy map[string]Resource) string {
	for _, a := range r.Aliases {
		if _, ok := oldBy[a]; ok {
			return a
		}
	}
	return ""
}

// normalizeBoth normalizes the two sides of a comparison.
func normalizeBoth(old, new *Result) (*Result, *Result, error) {
	o, err := normalize(old)
	if err != nil {
		return nil, nil, err
	}
	n, err := normalize(new)
	return o, n, err
}

// normalize round-trips a result through its JSON form, so that a result
// read from a file and one built in memory compare value by value.
func normalize(r *Result) (*Result, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var out Result
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func compareResources(a, b Resource) []PropChange {
	var out []PropChange
	if a.Parent != b.Parent {
		out = append(out, PropChange{Path: "parent", Old: a.Parent, New: b.Parent})
	}
	if a.Protect != b.Protect {
		out = append(out, PropChange{Path: "protect", Old: a.Protect, New: b.Protect})
	}
	if a.Custom != b.Custom {
		out = append(out, PropChange{Path: "custom", Old: a.Custom, New: b.Custom})
	}
	for _, o := range []struct {
		name string
		a, b any
	}{
		{"deleteBeforeReplace", a.DeleteBeforeReplace, b.DeleteBeforeReplace},
		{"ignoreChanges", a.IgnoreChanges, b.IgnoreChanges},
		{"replaceOnChanges", a.ReplaceOnChanges, b.ReplaceOnChanges},
		{"retainOnDelete", a.RetainOnDelete, b.RetainOnDelete},
		{"deletedWith", a.DeletedWith, b.DeletedWith},
		{"customTimeouts", a.CustomTimeouts, b.CustomTimeouts},
		{"importId", a.ImportID, b.ImportID},
		{"provider", a.Provider, b.Provider},
		{"aliases", a.Aliases, b.Aliases},
	} {
		if fmt.Sprint(o.a) != fmt.Sprint(o.b) {
			out = append(out, PropChange{Path: o.name, Old: o.a, New: o.b})
		}
	}
	if gone, added := setDiff(a.DependsOn, b.DependsOn), setDiff(b.DependsOn, a.DependsOn); len(gone)+len(added) > 0 {
		// Only what changes, by resource name: "-" no longer waited for, "+" newly waited for.
		// By type and name: resources of different types share names here
		// (a role and its policy, a bucket and its settings).
		out = append(out, PropChange{Path: "dependsOn", Old: shortURNs(gone), New: shortURNs(added)})
	}
	return append(out, compareValues("inputs", a.Inputs, b.Inputs)...)
}

// setDiff returns the elements of a that are not in b.
func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// shortURNs names each URN's resource by its type's module and name and its
// logical name ("s3/bucketPolicy edge-access-logs").
func shortURNs(urns []string) []string {
	out := make([]string, len(urns))
	for i, u := range urns {
		name := u[strings.LastIndex(u, "::")+2:]
		typ := strings.TrimSuffix(u, "::"+name)
		typ = typ[strings.LastIndex(typ, "::")+2:]
		typ = typ[strings.LastIndex(typ, "$")+1:]
		if parts := strings.Split(typ, ":"); len(parts) == 3 {
			typ = parts[1]
		}
		out[i] = typ + " " + name
	}
	return out
}

// compareValues flattens both sides to leaf paths and lists the differences.
func compareValues(root string, a, b any) []PropChange {
	fa, fb := map[string]any{}, map[string]any{}
	flatten(root, a, fa)
	flatten(root, b, fb)
	paths := map[string]bool{}
	for p := range fa {
		paths[p] = true
	}
	for p := range fb {
		paths[p] = true
	}
	var out []PropChange
	for p := range paths {
		va, inA := fa[p]
		vb, inB := fb[p]
		if inA && inB && fmt.Sprint(va) == fmt.Sprint(vb) {
			continue
		}
		out = append(out, PropChange{Path: p, Old: va, New: vb, OldMissing: !inA, NewMissing: !inB})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func flatten(path string, v any, out map[string]any) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			out[path] = "{}"
		}
		for k, e := range t {
			flatten(path+"."+k, e, out)
		}
	case []any:
		if len(t) == 0 {
			out[path] = "[]"
		}
		// Named entries (environment variables, volumes, ...) are addressed
		// by name, so adding one does not shift every other.
		names := namesOf(t)
		for i, e := range t {
			if names != nil {
				flatten(fmt.Sprintf("%s[%s]", path, names[i]), e, out)
			} else {
				flatten(fmt.Sprintf("%s[%d]", path, i), e, out)
			}
		}
	case string:
		// Expand JSON documents held in strings (container definitions,
		// IAM policies) so a change names the field inside them.
		if s := strings.TrimSpace(t); len(s) > 1 && (s[0] == '{' || s[0] == '[') {
			var inner any
			if json.Unmarshal([]byte(s), &inner) == nil {
				flatten(path, inner, out)
				return
			}
		}
		out[path] = t
	default:
		out[path] = t
	}
}

// row is one line of a rendered diff: what changed, on which resource, and
// (for changes) which property from what to what. Text and Markdown render
// the same rows.
type row struct {
	Sign, Name, Type, Path, Old, New string
}

func (d *Diff) rows() []row {
	var rows []row
	for _, r := range d.Added {
		// A resource that names aliases takes over their state where the
		// stack has it (a resource the old synthesis could not see, such as
		// a component's child), and is created only where it does not.
		row := row{Sign: "+", Name: r.Name, Type: r.Type}
		if len(r.Aliases) > 0 {
			var from []string
			for _, a := range r.Aliases {
				from = append(from, aliasShort(a))
			}
			row.Path, row.New = "moves from", strings.Join(from, ", ")
		}
		rows = append(rows, row)
	}
	for _, r := range d.Removed {
		rows = append(rows, row{Sign: "-", Name: r.Name, Type: r.Type})
	}
	for _, rn := range d.Renamed {
		rows = append(rows, row{Sign: ">", Name: aliasShort(rn[1]), Old: aliasShort(rn[0])})
	}
	for _, c := range d.Changed {
		for _, p := range c.Props {
			rows = append(rows, row{Sign: "~", Name: c.Name, Type: c.Type, Path: p.Path, Old: show(p.Old, p.OldMissing), New: show(p.New, p.NewMissing)})
		}
	}
	for _, p := range d.Outputs {
		rows = append(rows, row{Sign: "~", Name: "output", Path: strings.TrimPrefix(p.Path, "outputs."), Old: show(p.Old, p.OldMissing), New: show(p.New, p.NewMissing)})
	}
	return rows
}

// Text renders the diff for a terminal or a test failure.
func (d *Diff) Text() string {
	var b strings.Builder
	if d.Cost != "" {
		fmt.Fprintf(&b, "%s\n", d.Cost)
	}
	for _, f := range d.Failures {
		fmt.Fprintf(&b, "REFUSED: %s\n", f.Message)
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "WARNING: %s\n", w.Message)
	}
	last := ""
	for _, r := range d.rows() {
		switch {
		case r.Sign == ">":
			fmt.Fprintf(&b, "> renamed %s -> %s (alias: no replacement)\n", r.Old, r.Name)
		case r.Sign == "+" && r.Path != "":
			fmt.Fprintf(&b, "+ %s %s (moves from %s where the stack has it)\n", r.Type, r.Name, r.New)
		case r.Sign != "~":
			fmt.Fprintf(&b, "%s %s %s\n", r.Sign, r.Type, r.Name)
		case r.Name == "output":
			fmt.Fprintf(&b, "~ output %s: %s -> %s\n", r.Path, r.Old, r.New)
		default:
			if head := r.Type + " " + r.Name; head != last {
				fmt.Fprintf(&b, "~ %s\n", head)
				last = head
			}
			fmt.Fprintf(&b, "    %s: %s -> %s\n", r.Path, r.Old, r.New)
		}
	}
	return b.String()
}

// Markdown renders the diff for a pull request comment or job summary.
// Deletions and replacements of stateful resources come first.
func (d *Diff) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Stack `%s`: %d to add, %d to change, %d to delete\n\n", d.Stack, len(d.Added), len(d.Changed), len(d.Removed))
	if d.Cost != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(d.Cost))
	}
	if len(d.Failures) > 0 {
		b.WriteString("> [!CAUTION]\n> **`pulumi up` would fail or destroy what must be kept: this change is refused.**\n>\n")
		for _, f := range d.Failures {
			fmt.Fprintf(&b, "> - %s\n", mdEscape(f.Message))
		}
		b.WriteString("\n")
	}
	if len(d.Warnings) > 0 {
		b.WriteString("> [!WARNING]\n> **This change deletes or replaces stateful or uniquely named resources.**\n>\n")
		for _, w := range d.Warnings {
			fmt.Fprintf(&b, "> - %s\n", mdEscape(w.Message))
		}
		b.WriteString("\n")
	}
	if d.Empty() {
		b.WriteString("No changes.\n")
		return b.String()
	}
	b.WriteString("| | resource | type | property | before | after |\n|---|---|---|---|---|---|\n")
	for _, r := range d.rows() {
		switch {
		case r.Sign == ">":
			fmt.Fprintf(&b, "| > | `%s` | renamed from `%s` (alias) | | | |\n", r.Name, r.Old)
		case r.Sign == "+" && r.Path != "":
			fmt.Fprintf(&b, "| + | `%s` | `%s` | moves from (where the stack has it) | | %s |\n", r.Name, r.Type, mdCell(r.New))
		case r.Sign != "~":
			fmt.Fprintf(&b, "| %s | `%s` | `%s` | | | |\n", r.Sign, r.Name, r.Type)
		case r.Name == "output":
			fmt.Fprintf(&b, "| ~ | output | | `%s` | %s | %s |\n", r.Path, mdCell(r.Old), mdCell(r.New))
		default:
			fmt.Fprintf(&b, "| ~ | `%s` | `%s` | `%s` | %s | %s |\n", r.Name, r.Type, r.Path, mdCell(r.Old), mdCell(r.New))
		}
	}
	return b.String()
}

func show(v any, missing bool) string {
	if missing {
		return "(none)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func mdCell(s string) string {
	if s == "(none)" {
		return "_none_"
	}
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return "`" + strings.NewReplacer("|", "\\|", "`", "'", "\n", " ").Replace(s) + "`"
}

func mdEscape(s string) string { return strings.NewReplacer("\n", " ").Replace(s) }

// aliasShort renders an alias URN by its parent chain and name, the stack's
// own component left out: awsx:Vpc › Vpc › Subnet › Eip::network-vpc-1.
func aliasShort(urn string) string {
	i := strings.LastIndex(urn, "::")
	j := strings.LastIndex(urn[:max(i, 0)], "::")
	if i < 0 || j < 0 {
		return urn
	}
	chain := strings.Split(urn[j+2:i], "$")
	var parts []string
	for _, t := range chain[min(1, len(chain)-1):] {
		segs := strings.Split(t, ":")
		name := segs[len(segs)-1]
		if segs[0] != "aws" {
			name = segs[0] + ":" + name
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, " › ") + "::" + urn[i+2:]
}

// namesOf returns each element's "name" when every element is an object
// with a distinct string name, else nil.
func namesOf(l []any) []string {
	names := make([]string, len(l))
	seen := map[string]bool{}
	for i, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return nil
		}
		n, ok := m["name"].(string)
		if !ok || n == "" || seen[n] || strings.ContainsAny(n, "[]") {
			return nil
		}
		seen[n] = true
		names[i] = n
	}
	return names
}
