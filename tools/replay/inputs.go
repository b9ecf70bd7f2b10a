package replay

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// indexRe matches list indexes and names in a flattened path ([0], [PORT]).
var indexRe = regexp.MustCompile(`\[[^\]]*\]`)

// changedInputs lists the inputs (dotted, without list indexes) whose
// values differ, set-typed inputs compared without regard to order and
// ignoreChanges left out.
func changedInputs(a, b *snapshot.Resource, up catalog.Update) []string {
	ai := canonicalSets(a.Inputs, up.Sets)
	bi := canonicalSets(b.Inputs, up.Sets)
	seen := map[string]bool{}
	var out []string
	for _, pc := range snapshot.CompareValues("", ai, bi) {
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

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func contains(s []string, v string) bool { return slices.Contains(s, v) }
