package replay

import (
	"fmt"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// failures are the steps that would fail or destroy what must be kept:
// updates AWS refuses, replacements and deletions refused outright or
// stopped by protection, names taken while another resource still holds
// them, and resource types the catalog has no entry for.
func failures(steps []Step, byURN map[string]*Step, resources []snapshot.Resource) []Failure {
	var out []Failure
	for _, s := range steps {
		for _, why := range s.FailsBecause {
			out = append(out, Failure{URN: s.URN, Message: fmt.Sprintf("%s %q would be updated, and AWS refuses the update: %s.", s.Type, s.Name, why)})
		}
	}
	out = append(out, refusals(steps)...)
	out = append(out, collisions(steps, byURN)...)
	for _, r := range resources {
		if _, ok := catalog.Lookup(r.Type); r.Custom && strings.HasPrefix(r.Type, "aws:") && !ok {
			out = append(out, Failure{URN: r.URN, Message: fmt.Sprintf(
				"%s %q: the catalog has no entry for this type, so what a change does to it is unknown; add its replacement-forcing inputs, sets and unique names to %s", r.Type, r.Name, catalog.FileFor(r.Type))})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Message < out[j].Message })
	return out
}

// refusals: destroying what must not be destroyed, or what the engine or
// AWS will refuse to destroy.
func refusals(steps []Step) []Failure {
	var out []Failure
	for _, s := range steps {
		if !s.replaces() && s.Op != OpDelete {
			continue
		}
		what := "deleted"
		if s.Op != OpDelete {
			what = "replaced (" + strings.Join(s.Because, "; ") + ")"
		}
		up := update(s.Type)
		switch {
		case up.Refuse != "":
			out = append(out, Failure{URN: s.URN, Message: fmt.Sprintf("%s %q would be %s: refused, because %s.", s.Type, s.Name, what, up.Refuse)})
		case s.Protected:
			out = append(out, Failure{URN: s.URN, Message: fmt.Sprintf(
				"%s %q would be %s, but it is protected (protect: true), so pulumi up stops there. Undo the change; if the resource really must go, set protect: false and deploy that first.", s.Type, s.Name, what)})
		case up.DeletionProtected != nil && s.Old != nil && up.DeletionProtected(*s.Old):
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
func collisions(steps []Step, byURN map[string]*Step) []Failure {
	var out []Failure
	seen := map[string]bool{}
	for i := range steps {
		s := &steps[i]
		if s.Op == OpDelete || s.Op == OpSame {
			continue
		}
		own := claimsOf(s.Type, s.Old)
		for _, c := range claimsOf(s.Type, s.New) {
			if fresh(c, s.New.PropertyDependencies, byURN) {
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
				if msg := collisionMessage(*s, *h, c); !seen[msg] {
					seen[msg] = true
					out = append(out, Failure{URN: s.URN, Message: msg})
				}
			}
		}
	}
	return out
}

func claimsOf(typ string, r *snapshot.Resource) []catalog.Claim {
	if f := update(typ).Claims; f != nil && r != nil {
		return f(*r)
	}
	return nil
}

func hasClaim(cs []catalog.Claim, c catalog.Claim) bool {
	for _, x := range cs {
		if claimEqual(x, c) {
			return true
		}
	}
	return false
}

func claimEqual(a, b catalog.Claim) bool {
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
func fresh(c catalog.Claim, deps map[string][]string, byURN map[string]*Step) bool {
	for _, in := range c.From {
		for _, d := range deps[in] {
			if ds := byURN[d]; ds != nil && (ds.Op == OpCreate || ds.replaces()) {
				return true
			}
		}
	}
	return false
}

func collisionMessage(s, holder Step, c catalog.Claim) string {
	what := "created"
	if s.Op == OpReplace {
		what = "replaced (" + strings.Join(s.Because, "; ") + "), and Pulumi creates the new one first,"
	}
	held := fmt.Sprintf("%s %q, which is deleted only at the end", holder.Type, holder.Name)
	if holder.URN == s.URN {
		held = "the old one"
	}
	suffix := "Give the resource an identity that does not move (name it by what it is, not by position) or deleteBeforeReplace."
	if s.Type == catalog.Record.Token && s.New.Inputs["allowOverwrite"] == true {
		return fmt.Sprintf("%s %q would be %s while %s still holds %s: the create overwrites the record, and the old resource's delete then removes it, so the name stops resolving (for an ACM validation record: the certificate cannot renew). %s", s.Type, s.Name, what, held, c.Key, suffix)
	}
	if c.Prefix.IsValid() {
		return fmt.Sprintf("%s %q would be %s while %s still holds addresses overlapping %s in %s: AWS refuses the create, and the update fails half-way. Keep vpcCidr and maxAvailabilityZones as deployed.", s.Type, s.Name, what, held, c.Prefix, strings.TrimPrefix(c.Key, "the addresses of "))
	}
	return fmt.Sprintf("%s %q would be %s while %s still holds %s: AWS refuses the create, and the update fails half-way. %s", s.Type, s.Name, what, held, c.Key, suffix)
}
