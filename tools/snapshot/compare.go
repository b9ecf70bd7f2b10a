package snapshot

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// PropChange is one changed value, addressed by a path such as
// inputs.callbackUrls[1] or inputs.containerDefinitions[0].image (JSON held
// in a string is expanded; an element of a list of named objects is
// addressed by its name: environment[PORT]).
type PropChange struct {
	Path     string
	Old, New any
	// Missing flags say the value did not exist on that side.
	OldMissing, NewMissing bool
}

// CompareValues flattens both sides to leaf paths under root and lists the
// differences, sorted by path.
func CompareValues(root string, a, b any) []PropChange {
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
