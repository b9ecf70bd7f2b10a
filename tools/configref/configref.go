// Package configref writes the configuration reference (docs/configuration.md)
// from Pulumi.yaml's config schema, the one home of every key's type,
// default and description, in the order Pulumi.yaml declares them. Its
// test fails when the committed page is stale; `go test ./tools/configref
// -update` rewrites it.
package configref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Key is one key of the schema.
type Key struct {
	Name        string
	Type        string // string, integer, boolean, array, object
	Items       string // the type of an array's items
	Default     any    // nil: required
	Description string
}

// Keys reads the config schema of a Pulumi.yaml, in its order.
func Keys(pulumiYaml []byte) ([]Key, error) {
	var doc struct {
		Config yaml.Node `yaml:"config"`
	}
	if err := yaml.Unmarshal(pulumiYaml, &doc); err != nil {
		return nil, err
	}
	if doc.Config.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("Pulumi.yaml has no config schema")
	}
	var out []Key
	for i := 0; i+1 < len(doc.Config.Content); i += 2 {
		var decl struct {
			Type        string         `yaml:"type"`
			Items       map[string]any `yaml:"items"`
			Default     any            `yaml:"default"`
			Description string         `yaml:"description"`
		}
		if err := doc.Config.Content[i+1].Decode(&decl); err != nil {
			return nil, fmt.Errorf("%s: %w", doc.Config.Content[i].Value, err)
		}
		k := Key{Name: doc.Config.Content[i].Value, Type: decl.Type, Default: decl.Default, Description: strings.TrimSpace(decl.Description)}
		if t, ok := decl.Items["type"].(string); ok {
			k.Items = t
		}
		out = append(out, k)
	}
	return out, nil
}

// Markdown renders the reference page.
func Markdown(keys []Key) string {
	var b strings.Builder
	b.WriteString(`# Configuration reference

<!-- Generated from Pulumi.yaml by go test ./tools/configref -update. Edit Pulumi.yaml, not this page. -->

Every setting of a stack, in the ` + "`alb-cognito-fargate`" + ` namespace. Set one with
` + "`pulumi config set <key> <value>`" + ` (lists and objects with ` + "`--path`" + `, or as YAML in
` + "`Pulumi.<stack>.yaml`" + `); a key a stack does not set takes its default. The stack also needs
` + "`aws:region`" + `. Each value is checked before anything is deployed, and every problem is reported
at once, naming its key ([troubleshooting](troubleshooting.md#configuration-errors)).

| key | type | default |
|---|---|---|
`)
	for _, k := range keys {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", k.Name, strings.ToLower(k.Name), typeOf(k), defaultOf(k))
	}
	for _, k := range keys {
		fmt.Fprintf(&b, "\n## %s\n\n%s, default %s.\n\n%s\n", k.Name, typeOf(k), defaultOf(k), wrap(k.Description, 100))
	}
	return b.String()
}

func typeOf(k Key) string {
	if k.Type == "array" && k.Items != "" {
		return "array of " + k.Items
	}
	return k.Type
}

func defaultOf(k Key) string {
	if k.Default == nil {
		return "none (required)"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(k.Default); err != nil {
		return fmt.Sprint(k.Default)
	}
	return "`" + strings.TrimSpace(buf.String()) + "`"
}

// wrap folds text at width, on spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for _, w := range strings.Fields(text) {
		if line > 0 && line+1+len(w) > width {
			b.WriteByte('\n')
			line = 0
		} else if line > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}
