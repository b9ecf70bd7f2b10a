package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Problem is one invalid or missing config value.
type Problem struct {
	Key     string // fully qualified, e.g. alb-cognito-fargate:cpu
	Message string // what is wrong and how to fix it
}

// Error lists every problem found, one per line, each naming its key.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid stack configuration (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  - %s: %s", p.Key, p.Message)
	}
	return b.String()
}

// Keys returns the keys of every problem, in report order.
func (e *Error) Keys() []string {
	keys := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		keys[i] = p.Key
	}
	return keys
}

// Source is where Parse reads the configuration: the raw value of a fully
// qualified key as the Pulumi CLI passes it (strings as is, numbers and
// booleans as text, arrays and objects as JSON), every configured key, and
// which keys are secret.
type Source struct {
	Lookup func(key string) (string, bool)
	// Keys is every configured key, when known: keys of this namespace the
	// program does not read are reported.
	Keys []string
	// IsSecret reports secret keys (nil: none is).
	IsSecret func(key string) bool
}

// Parse builds a Config from raw values and reports every problem at once.
// Every key of the namespace is expected to be there: the Pulumi CLI fills
// the ones a stack does not set from Pulumi.yaml's defaults.
func Parse(project, stack string, src Source) (*Config, error) {
	p := &parser{src: src, read: map[string]bool{}}
	c := &Config{Project: project, Stack: stack}
	c.Provider = readProvider(p)
	p.fields(c)
	c.identityProvidersSecret = p.secret(k("identityProviders"))
	resolveImageDefaults(c, p)

	validate(c, p)
	p.checkMissing()
	p.checkUnknownKeys()
	resolveIdentityProviders(c)

	if c.CognitoDomainPrefix == "" {
		c.CognitoDomainPrefix = DeriveDomainPrefix(project, stack, c.DomainName)
	}
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems}
	}
	return c, nil
}

// k qualifies a project key with the namespace.
func k(key string) string { return Namespace + ":" + key }

// parser reads raw values into the tagged fields of a Config and collects
// problems without stopping.
type parser struct {
	src      Source
	problems []Problem
	read     map[string]bool
	// missing are keys the source does not hold at all.
	missing []string
	// typeErr records keys whose value could not be parsed, so validation
	// does not report them twice.
	typeErr map[string]bool
}

func (p *parser) add(key, format string, args ...any) {
	p.problems = append(p.problems, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

// bad reports a value that could not be parsed.
func (p *parser) bad(key, format string, args ...any) {
	if p.typeErr == nil {
		p.typeErr = map[string]bool{}
	}
	p.typeErr[key] = true
	p.add(key, format, args...)
}

// ok reports whether a key's value was parsed (validation skips it otherwise).
func (p *parser) ok(key string) bool { return !p.typeErr[k(key)] }

func (p *parser) secret(key string) bool { return p.src.IsSecret != nil && p.src.IsSecret(key) }

func (p *parser) lookup(key string) (string, bool) {
	p.read[key] = true
	return p.src.Lookup(key)
}

// provider reads a key of the aws: namespace ("" when not set).
func (p *parser) provider(key string) string {
	v, _ := p.lookup(key)
	return v
}

// fields reads every field of c that has a `key` tag.
func (p *parser) fields(c *Config) {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("key")
		if name == "" {
			continue
		}
		key := k(name)
		raw, ok := p.lookup(key)
		if !ok {
			p.missing = append(p.missing, key)
			continue
		}
		p.value(key, raw, v.Field(i))
	}
}

// value parses one raw value into a field, by the field's kind.
func (p *parser) value(key, raw string, f reflect.Value) {
	switch f.Kind() {
	case reflect.String:
		f.SetString(raw)
	case reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			p.bad(key, "must be a whole number, got %q; for example: pulumi config set %s 2", raw, key)
			return
		}
		f.SetInt(int64(n))
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			p.bad(key, "must be true or false, got %q; for example: pulumi config set %s true", raw, key)
			return
		}
		f.SetBool(b)
	default:
		p.structured(key, raw, f)
	}
}

// structured decodes a list or object (JSON, as the CLI passes it) into f.
// A field name that is not exactly one of the element type's is reported
// with the closest known name: encoding/json would match metadataURL to
// metadataUrl, and drop a typo silently.
func (p *parser) structured(key, raw string, f reflect.Value) {
	if strings.TrimSpace(raw) == "" {
		return
	}
	elem := f.Type()
	if elem.Kind() == reflect.Slice && elem.Elem().Kind() == reflect.Struct {
		if p.checkFieldNames(key, raw, elem.Elem()) {
			return
		}
	}
	target := reflect.New(f.Type())
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(target.Interface()); err != nil {
		// The message must not echo the value: it may hold a secret.
		p.bad(key, "must be %s (%s); in the stack file write it as YAML, or see docs/configuration.md", shape(f.Type()), strings.TrimPrefix(err.Error(), "json: "))
		return
	}
	if target.Elem().Len() > 0 {
		f.Set(target.Elem())
	}
}

// shape says in words what a structured value looks like.
func shape(t reflect.Type) string {
	switch {
	case t.Kind() == reflect.Map:
		return "a map of string names to string values"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return "a list of strings"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return "a list of objects, each {" + strings.Join(jsonFields(t.Elem()), ", ") + "}"
	}
	return "a " + t.String()
}

// jsonFields lists the JSON names of a struct's fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// checkFieldNames reports the fields of a list of objects whose names are
// not exactly a field of elem, and whether it found any.
func (p *parser) checkFieldNames(key, raw string, elem reflect.Type) bool {
	var items []map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &items) != nil {
		return false // the decoder reports what is wrong with the shape
	}
	known := jsonFields(elem)
	found := false
	for i, item := range items {
		for _, field := range slices.Sorted(maps.Keys(item)) {
			if slices.Contains(known, field) {
				continue
			}
			found = true
			fk := fmt.Sprintf("%s[%d].%s", key, i, field)
			if best := closest(field, known); best != "" {
				p.bad(fk, "is not a field here; did you mean %s?", best)
			} else {
				p.bad(fk, "is not a field here; the fields are %s", strings.Join(known, ", "))
			}
		}
	}
	if found {
		p.typeErr[key] = true
	}
	return found
}

// checkMissing reports keys the source does not hold and validation did not
// already report: the Pulumi CLI sets every key Pulumi.yaml declares, from
// its default where the stack does not set it.
func (p *parser) checkMissing() {
	for _, key := range p.missing {
		reported := slices.ContainsFunc(p.problems, func(pr Problem) bool { return pr.Key == key })
		if !reported {
			p.add(key, "is not set, and Pulumi.yaml's default was not applied: run the program with the Pulumi CLI (it applies the project's config schema), or apply the schema first as cmd/synth does")
		}
	}
}

// checkUnknownKeys reports every configured key in this program's namespace
// that it does not read, with the closest key it knows.
func (p *parser) checkUnknownKeys() {
	var known []string
	for key := range p.read {
		if name, ok := strings.CutPrefix(key, Namespace+":"); ok {
			known = append(known, name)
		}
	}
	sort.Strings(known)
	for _, key := range p.src.Keys {
		name, ok := strings.CutPrefix(key, Namespace+":")
		if !ok || p.read[key] {
			continue
		}
		if best := closest(name, known); best != "" {
			p.add(key, "is not a setting of this program; did you mean %s? Rename it: pulumi config rm %s && pulumi config set %s <value>", best, name, best)
		} else {
			p.add(key, "is not a setting of this program (they are: %s); remove it with: pulumi config rm %s", strings.Join(known, ", "), name)
		}
	}
}

// closest returns the known name nearest to name (same letters in another
// case, or a few edits away), or "".
func closest(name string, known []string) string {
	best, bestD := "", len(name)/3+2
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k
		}
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
