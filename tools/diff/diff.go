// Package diff says what changes between two snapshots of a stack, for a
// pull request: resources added, removed, renamed and changed, property by
// property, and, from the update replay (tools/replay), what `pulumi up`
// would refuse and what it would delete or replace that holds state or a
// unique name.
package diff

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/replay"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Change is one resource present on both sides with different properties.
type Change struct {
	URN, Type, Name string
	Props           []snapshot.PropChange
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
	Added    []snapshot.Resource
	Removed  []snapshot.Resource
	Renamed  [][2]string // old URN, new URN, where an alias carries the state over
	Changed  []Change
	Outputs  []snapshot.PropChange
	Warnings []Warning
	// Permissions are the changes of who may do what (each type's catalog
	// Grants): a reviewer must see them even when nothing is replaced.
	Permissions []Warning
	// Failures are what `pulumi up` would fail on, or what is refused
	// because it destroys what must not be destroyed (see replay.Up).
	Failures []replay.Failure
	// Cost, when set, is one line on how the estimated monthly cost
	// changes; the renderings put it at the top.
	Cost string
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Renamed) == 0 && len(d.Changed) == 0 && len(d.Outputs) == 0
}

// Compare computes what changes from old to new.
func Compare(old, new *snapshot.Stack) (*Diff, error) {
	o, err := snapshot.Normalize(old)
	if err != nil {
		return nil, err
	}
	n, err := snapshot.Normalize(new)
	if err != nil {
		return nil, err
	}
	d := &Diff{Stack: n.Name}
	oldBy := map[string]snapshot.Resource{}
	for _, r := range o.Resources {
		oldBy[r.URN] = r
	}
	newBy := map[string]snapshot.Resource{}
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
	plan, err := replay.Up(old, new)
	if err != nil {
		return nil, err
	}
	d.Failures = plan.Failures
	// A resource the new stack would update on every run.
	unsettled, err := replay.Settle(new)
	if err != nil {
		return nil, err
	}
	d.Failures = append(d.Failures, unsettled...)
	for _, st := range plan.Replaced() {
		var up catalog.Update
		if t, ok := catalog.Lookup(st.Type); ok {
			up = t.Update
		}
		unique := up.Claims != nil && st.Old != nil && len(up.Claims(*st.Old)) > 0
		if up.Loses == "" && !unique {
			continue
		}
		loses := up.Loses
		if loses == "" {
			loses = "its name is released"
		}
		msg := ""
		switch st.Op {
		case replay.OpReplace:
			msg = fmt.Sprintf("%s %q would be REPLACED, the new one created first: %s; %s.", st.Type, st.Name, strings.Join(st.Because, "; "), loses)
		case replay.OpReplaceDeleteFirst:
			msg = fmt.Sprintf("%s %q would be REPLACED, the old one deleted first (deleteBeforeReplace): %s; %s.", st.Type, st.Name, strings.Join(st.Because, "; "), loses)
		case replay.OpDelete:
			msg = fmt.Sprintf("%s %q would be DELETED: %s.", st.Type, st.Name, loses)
			for _, a := range n.Resources {
				if _, existed := oldBy[a.URN]; !existed && a.Type == st.Type && aliasFrom(a, oldBy) == "" && up.Loses != "" {
					msg = fmt.Sprintf("%s %q would be REPLACED: its URN changes to %s (a rename or a new parent), which Pulumi carries out as delete and create; %s. Add pulumi.Aliases to keep it.", st.Type, st.Name, a.URN, loses)
				}
			}
		}
		d.Warnings = append(d.Warnings, Warning{URN: st.URN, Message: msg})
	}
	d.Outputs = snapshot.CompareValues("outputs", o.Outputs, n.Outputs)
	d.Permissions = permissionChanges(o, n, aliasOf)
	sort.Slice(d.Warnings, func(i, j int) bool { return d.Warnings[i].Message < d.Warnings[j].Message })
	return d, nil
}

// aliasFrom returns the URN of an old resource that r names as an alias.
func aliasFrom(r snapshot.Resource, oldBy map[string]snapshot.Resource) string {
	for _, a := range r.Aliases {
		if _, ok := oldBy[a]; ok {
			return a
		}
	}
	return ""
}

func compareResources(a, b snapshot.Resource) []snapshot.PropChange {
	var out []snapshot.PropChange
	if a.Parent != b.Parent {
		out = append(out, snapshot.PropChange{Path: "parent", Old: a.Parent, New: b.Parent})
	}
	if a.Protect != b.Protect {
		out = append(out, snapshot.PropChange{Path: "protect", Old: a.Protect, New: b.Protect})
	}
	if a.Custom != b.Custom {
		out = append(out, snapshot.PropChange{Path: "custom", Old: a.Custom, New: b.Custom})
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
			out = append(out, snapshot.PropChange{Path: o.name, Old: o.a, New: o.b})
		}
	}
	if gone, added := setDiff(a.DependsOn, b.DependsOn), setDiff(b.DependsOn, a.DependsOn); len(gone)+len(added) > 0 {
		// Only what changes, by resource name: "-" no longer waited for, "+" newly waited for.
		// By type and name: resources of different types share names here
		// (a role and its policy, a bucket and its settings).
		out = append(out, snapshot.PropChange{Path: "dependsOn", Old: shortURNs(gone), New: shortURNs(added)})
	}
	return append(out, snapshot.CompareValues("inputs", a.Inputs, b.Inputs)...)
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
	for _, w := range d.Permissions {
		fmt.Fprintf(&b, "PERMISSION: %s\n", w.Message)
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
	if len(d.Permissions) > 0 {
		b.WriteString("> [!IMPORTANT]\n> **This change changes who may do what.**\n>\n")
		for _, w := range d.Permissions {
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

// permissionChanges compares what each resource's catalog Grants say before
// and after: a resource added or removed grants or stops granting what it
// holds. aliasOf maps an old URN to the new one that continues it.
func permissionChanges(o, n *snapshot.Stack, aliasOf map[string]string) []Warning {
	grants := func(r *snapshot.Resource) map[string]string {
		if r == nil {
			return nil
		}
		t, ok := catalog.Lookup(r.Type)
		if !ok || t.Update.Grants == nil {
			return nil
		}
		return t.Update.Grants(*r)
	}
	oldBy := map[string]*snapshot.Resource{}
	for i, r := range o.Resources {
		urn := r.URN
		if to, ok := aliasOf[urn]; ok {
			urn = to
		}
		oldBy[urn] = &o.Resources[i]
	}
	var out []Warning
	seen := map[string]bool{}
	report := func(urn string, before, after map[string]string) {
		for _, what := range sortedUnion(before, after) {
			b, a := before[what], after[what]
			if b == a {
				continue
			}
			out = append(out, Warning{URN: urn, Message: fmt.Sprintf("%s: %s → %s", what, orNothing(b), orNothing(a))})
		}
	}
	for i := range n.Resources {
		r := &n.Resources[i]
		seen[r.URN] = true
		report(r.URN, grants(oldBy[r.URN]), grants(r))
	}
	for urn, r := range oldBy {
		if !seen[urn] {
			report(r.URN, grants(r), nil)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Message < out[j].Message })
	return out
}

func sortedUnion(a, b map[string]string) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orNothing(s string) string {
	if s == "" || s == "null" || s == "<nil>" {
		return "(nothing)"
	}
	return "`" + s + "`"
}
