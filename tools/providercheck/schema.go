package providercheck

import (
	"encoding/json"
	"fmt"
)

// ProviderSource and ProviderVersion name the Terraform provider that
// pulumi-aws v6.83 bridges: its validators are the ones `pulumi up` runs.
const (
	ProviderSource  = "registry.terraform.io/hashicorp/aws"
	ProviderVersion = "5.100.0"
)

// Schema is the part of `terraform providers schema -json` the conversion
// reads: every resource type's arguments and nested blocks.
type Schema struct {
	Resources map[string]*Block
}

// Block is a resource or nested block: its attributes and its nested blocks.
type Block struct {
	Attributes map[string]*Attribute `json:"attributes"`
	BlockTypes map[string]*Nested    `json:"block_types"`
}

// Attribute is one argument. Type is a cty type in its JSON form.
type Attribute struct {
	Type       json.RawMessage `json:"type"`
	NestedType json.RawMessage `json:"nested_type"`
	Required   bool            `json:"required"`
	Optional   bool            `json:"optional"`
	Computed   bool            `json:"computed"`
	Deprecated bool            `json:"deprecated"`

	typ *ctyType
}

// Nested is a nested block type: "list", "set" or "single" (a list with
// MaxItems 1 is how SDKv2 providers spell one object).
type Nested struct {
	NestingMode string `json:"nesting_mode"`
	Block       *Block `json:"block"`
	MinItems    int    `json:"min_items"`
	MaxItems    int    `json:"max_items"`
}

// ParseSchema reads the JSON `terraform providers schema -json` prints and
// keeps the provider's resource schemas.
func ParseSchema(b []byte) (*Schema, error) {
	var doc struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas map[string]struct {
				Block *Block `json:"block"`
			} `json:"resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("provider schema: %w", err)
	}
	p, ok := doc.ProviderSchemas[ProviderSource]
	if !ok {
		return nil, fmt.Errorf("provider schema: no schema for %s", ProviderSource)
	}
	s := &Schema{Resources: make(map[string]*Block, len(p.ResourceSchemas))}
	for name, r := range p.ResourceSchemas {
		s.Resources[name] = r.Block
	}
	return s, nil
}

// ctyType is a parsed cty type: a primitive ("string", "number", "bool",
// "dynamic"), a collection ("list", "set", "map") of Elem, or an "object"
// with Attrs.
type ctyType struct {
	Kind  string
	Elem  *ctyType
	Attrs map[string]*ctyType
}

func (a *Attribute) ctyType() (*ctyType, error) {
	if a.typ != nil {
		return a.typ, nil
	}
	if len(a.NestedType) > 0 {
		return nil, fmt.Errorf("nested attribute types are not supported by the conversion")
	}
	t, err := parseCtyType(a.Type)
	if err != nil {
		return nil, err
	}
	a.typ = t
	return t, nil
}

func parseCtyType(raw json.RawMessage) (*ctyType, error) {
	var prim string
	if json.Unmarshal(raw, &prim) == nil {
		switch prim {
		case "string", "number", "bool", "dynamic":
			return &ctyType{Kind: prim}, nil
		}
		return nil, fmt.Errorf("unknown primitive type %q", prim)
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) != 2 {
		return nil, fmt.Errorf("unknown type %s", raw)
	}
	var kind string
	if err := json.Unmarshal(parts[0], &kind); err != nil {
		return nil, fmt.Errorf("unknown type %s", raw)
	}
	switch kind {
	case "list", "set", "map":
		elem, err := parseCtyType(parts[1])
		if err != nil {
			return nil, err
		}
		return &ctyType{Kind: kind, Elem: elem}, nil
	case "object":
		var attrs map[string]json.RawMessage
		if err := json.Unmarshal(parts[1], &attrs); err != nil {
			return nil, fmt.Errorf("unknown object type %s", raw)
		}
		t := &ctyType{Kind: kind, Attrs: map[string]*ctyType{}}
		for k, v := range attrs {
			at, err := parseCtyType(v)
			if err != nil {
				return nil, err
			}
			t.Attrs[k] = at
		}
		return t, nil
	}
	return nil, fmt.Errorf("unsupported type %s", raw)
}
