package providercheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// node is one value of the Terraform JSON being written, with the Pulumi
// property path and the Terraform attribute path it stands for, so that a
// diagnostic about a line or an attribute leads back to the Pulumi property.
type node struct {
	fields []field // an object, in writing order
	elems  []*node // an array
	isObj  bool
	isArr  bool
	scalar any // string, float64, bool or nil

	pulumi string // e.g. egress[0].description
	tf     string // e.g. egress.0.description
}

type field struct {
	key string
	val *node
}

func (n *node) set(key string, v *node) {
	n.fields = append(n.fields, field{key, v})
}

func (n *node) get(key string) *node {
	for _, f := range n.fields {
		if f.key == key {
			return f.val
		}
	}
	return nil
}

// resource is one converted resource: where it came from and where it went.
type resource struct {
	stack   string
	res     snapshot.Resource
	tfType  string
	tfName  string
	body    *node
	byTf    map[string]string // Terraform attribute path -> Pulumi property path
	address string            // <type>.<name>
}

// converter turns one resource's Pulumi inputs into a Terraform resource
// body, reporting every input it cannot place.
type converter struct {
	stack    string
	res      snapshot.Resource
	tfType   string
	problems []Problem
	byTf     map[string]string
	renames  map[string]string // the type's catalog TerraformNames
}

func (c *converter) problem(property, format string, args ...any) {
	c.problems = append(c.problems, Problem{
		Stack: c.stack, URN: c.res.URN, Type: c.res.Type, Name: c.res.Name,
		Property: property, Message: fmt.Sprintf(format, args...),
	})
}

// convertResource maps one custom aws resource onto its Terraform type.
func convertResource(stack string, s *Schema, r snapshot.Resource) (*resource, []Problem) {
	c := &converter{stack: stack, res: r, byTf: map[string]string{}}
	t, ok := catalog.Lookup(r.Type)
	tfType := ""
	if ok {
		tfType = t.Terraform
	}
	ok = tfType != ""
	if !ok {
		c.problem("", "no Terraform resource type is known for %s: add the entry's Terraform type in %s (pulumi-aws's provider/resources.go names it)", r.Type, catalog.FileFor(r.Type))
		return nil, c.problems
	}
	c.tfType = tfType
	c.renames = t.TerraformNames
	block, ok := s.Resources[tfType]
	if !ok {
		c.problem("", "the provider schema has no resource type %s", tfType)
		return nil, c.problems
	}
	body := c.block(block, r.Inputs, "", "")
	// Pulumi names a resource that has a `name` argument when the program
	// does not: <logical name>-<7 random characters> (pulumi-aws
	// autonaming). The provider's validators must see that name too.
	name := "name"
	if tf, ok := c.renames["name"]; ok {
		name = tf
	}
	if a, ok := block.Attributes[name]; ok && (a.Optional || a.Required) && body.get(name) == nil && body.get(name+"_prefix") == nil {
		body.set(name, &node{scalar: AutoName(r), pulumi: "name (auto-named)", tf: name})
		c.byTf[name] = "name (auto-named)"
	}
	return &resource{stack: stack, res: r, tfType: tfType, body: body, byTf: c.byTf}, c.problems
}

// AutoName is the name Pulumi gives a resource the program does not name:
// its logical name, a hyphen and 7 characters (random in Pulumi; derived from
// the URN here, so the check is deterministic).
func AutoName(r snapshot.Resource) string {
	sum := sha256.Sum256([]byte(r.URN))
	return r.Name + "-" + hex.EncodeToString(sum[:])[:7]
}

// block converts an object of Pulumi inputs against a Terraform block.
func (c *converter) block(b *Block, inputs map[string]any, ppath, tpath string) *node {
	out := &node{isObj: true, pulumi: ppath, tf: tpath}
	keys := make([]string, 0, len(inputs))
	for k := range inputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := inputs[k]
		if v == nil {
			continue
		}
		pp := join(ppath, k)
		name, attr, nested := lookup(b, k)
		if tf, ok := c.renames[k]; ok && ppath == "" {
			name, attr, nested = tf, b.Attributes[tf], b.BlockTypes[tf]
		}
		tp := join(tpath, name)
		switch {
		case attr != nil:
			t, err := attr.ctyType()
			if err != nil {
				c.problem(pp, "%s.%s: %v", c.tfType, tp, err)
				continue
			}
			if n := c.value(t, v, pp, tp); n != nil {
				out.set(name, n)
			}
		case nested != nil:
			if n := c.nested(nested, v, pp, tp); n != nil {
				out.set(name, n)
			}
		default:
			c.problem(pp, "no argument of %s matches %q (looked for %s)", c.tfType, k, strings.Join(candidates(k), ", "))
		}
	}
	return out
}

// lookup finds the Terraform argument a Pulumi property name stands for:
// camelCase becomes snake_case, and Pulumi's plural names for repeated
// blocks and list arguments (actions, conditions, aliases, ...) become
// Terraform's singular ones.
func lookup(b *Block, pulumiName string) (string, *Attribute, *Nested) {
	for _, cand := range candidates(pulumiName) {
		if a, ok := b.Attributes[cand]; ok {
			return cand, a, nil
		}
		if n, ok := b.BlockTypes[cand]; ok {
			return cand, nil, n
		}
	}
	return snake(pulumiName), nil, nil
}

func candidates(pulumiName string) []string {
	s := snake(pulumiName)
	out := []string{s}
	if strings.HasSuffix(s, "ies") {
		out = append(out, strings.TrimSuffix(s, "ies")+"y")
	}
	if strings.HasSuffix(s, "es") {
		out = append(out, strings.TrimSuffix(s, "es"))
	}
	if strings.HasSuffix(s, "s") {
		out = append(out, strings.TrimSuffix(s, "s"))
	}
	return out
}

// snake turns a Pulumi property name into Terraform's form: enableHttp2 ->
// enable_http2, ipv6CidrBlocks -> ipv6_cidr_blocks.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// nested converts a Pulumi value for a nested block: a list of objects, or
// one object where Pulumi flattens a block of at most one element.
func (c *converter) nested(n *Nested, v any, pp, tp string) *node {
	if n.NestingMode == "single" {
		m, ok := v.(map[string]any)
		if !ok {
			c.problem(pp, "%s.%s is a single block; got %T", c.tfType, tp, v)
			return nil
		}
		return c.block(n.Block, m, pp, tp)
	}
	var items []any
	single := false
	switch t := v.(type) {
	case []any:
		items = t
	case map[string]any:
		items, single = []any{t}, true // Pulumi's object for a MaxItems 1 block
	default:
		c.problem(pp, "%s.%s is a block; got %T", c.tfType, tp, v)
		return nil
	}
	arr := &node{isArr: true, pulumi: pp, tf: tp}
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			c.problem(fmt.Sprintf("%s[%d]", pp, i), "%s.%s elements are blocks; got %T", c.tfType, tp, it)
			continue
		}
		ep := fmt.Sprintf("%s[%d]", pp, i)
		if single {
			ep = pp
		}
		arr.elems = append(arr.elems, c.block(n.Block, m, ep, fmt.Sprintf("%s.%d", tp, i)))
	}
	return arr
}

// value converts a Pulumi value for an attribute of cty type t.
func (c *converter) value(t *ctyType, v any, pp, tp string) *node {
	c.byTf[tp] = pp
	if s, ok := v.(string); ok && s == "[unknown]" {
		c.problem(pp, "the value is not known at synthesis, so the provider cannot check it")
		return nil
	}
	switch t.Kind {
	case "string":
		switch x := v.(type) {
		case string:
			return &node{scalar: x, pulumi: pp, tf: tp}
		case float64:
			return &node{scalar: strconv.FormatFloat(x, 'f', -1, 64), pulumi: pp, tf: tp}
		case bool:
			return &node{scalar: strconv.FormatBool(x), pulumi: pp, tf: tp}
		case map[string]any:
			// An archive (a Lambda function's code), which pulumi-aws
			// writes to a file and passes by its path; the provider
			// reads the file only to deploy it.
			if _, ok := x["archive"]; ok {
				return &node{scalar: AutoName(c.res) + ".zip", pulumi: pp, tf: tp}
			}
		}
	case "number", "bool", "dynamic":
		switch v.(type) {
		case string, float64, bool:
			// Terraform converts "1" to 1 and rejects what does not convert.
			return &node{scalar: v, pulumi: pp, tf: tp}
		}
		if t.Kind == "dynamic" {
			return c.dynamic(v, pp, tp)
		}
	case "list", "set":
		items, ok := v.([]any)
		if !ok {
			break
		}
		arr := &node{isArr: true, pulumi: pp, tf: tp}
		for i, it := range items {
			if e := c.value(t.Elem, it, fmt.Sprintf("%s[%d]", pp, i), fmt.Sprintf("%s.%d", tp, i)); e != nil {
				arr.elems = append(arr.elems, e)
			}
		}
		return arr
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			break
		}
		obj := &node{isObj: true, pulumi: pp, tf: tp}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			// Map keys are data (tag names, parameters), not argument names.
			if e := c.value(t.Elem, m[k], pp+"."+k, tp+"."+k); e != nil {
				obj.set(k, e)
			}
		}
		return obj
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			break
		}
		obj := &node{isObj: true, pulumi: pp, tf: tp}
		given := map[string]*node{}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			name := ""
			for _, cand := range candidates(k) {
				if _, ok := t.Attrs[cand]; ok {
					name = cand
					break
				}
			}
			if name == "" {
				c.problem(join(pp, k), "no attribute of %s.%s matches %q", c.tfType, tp, k)
				continue
			}
			if m[k] == nil {
				continue
			}
			if e := c.value(t.Attrs[name], m[k], join(pp, k), join(tp, name)); e != nil {
				given[name] = e
			}
		}
		// An object-typed attribute needs every attribute present; what
		// Pulumi leaves out is null.
		for _, name := range slices.Sorted(maps.Keys(t.Attrs)) {
			if e, ok := given[name]; ok {
				obj.set(name, e)
			} else {
				obj.set(name, &node{pulumi: join(pp, name), tf: join(tp, name)})
			}
		}
		return obj
	}
	c.problem(pp, "%s.%s is a %s; got %T", c.tfType, tp, t.Kind, v)
	return nil
}

func (c *converter) dynamic(v any, pp, tp string) *node {
	switch x := v.(type) {
	case []any:
		arr := &node{isArr: true, pulumi: pp, tf: tp}
		for i, it := range x {
			arr.elems = append(arr.elems, c.dynamic(it, fmt.Sprintf("%s[%d]", pp, i), fmt.Sprintf("%s.%d", tp, i)))
		}
		return arr
	case map[string]any:
		obj := &node{isObj: true, pulumi: pp, tf: tp}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			obj.set(k, c.dynamic(x[k], pp+"."+k, tp+"."+k))
		}
		return obj
	}
	return &node{scalar: v, pulumi: pp, tf: tp}
}
