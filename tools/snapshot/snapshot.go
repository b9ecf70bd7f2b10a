// Package snapshot is the recorded form of a stack: every resource the
// program registers, with its type, name, parent, options and inputs, as
// the Pulumi engine would have received them. tools/synth records one by
// running the program under a mock; the committed snapshots in
// tests/testdata/synth are this form; every other tool reads it. It has no
// dependencies beyond the standard library.
package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Resource is one registered resource, as the engine would have received it.
type Resource struct {
	URN       string         `json:"urn"`
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	Parent    string         `json:"parent"`
	Custom    bool           `json:"custom"`
	Protect   bool           `json:"protect"`
	DependsOn []string       `json:"dependsOn"`
	Inputs    map[string]any `json:"inputs"`
	// Aliases are the URNs this resource was known by before (pulumi.Aliases):
	// Pulumi moves state from them instead of replacing the resource.
	Aliases []string `json:"aliases,omitempty"`

	// Resource options that change what the engine does, as registered.
	// DeleteBeforeReplace: a replacement deletes the old resource first
	// (otherwise Pulumi creates the new one first).
	DeleteBeforeReplace bool `json:"deleteBeforeReplace,omitempty"`
	// IgnoreChanges: inputs whose changes the engine ignores.
	IgnoreChanges []string `json:"ignoreChanges,omitempty"`
	// ReplaceOnChanges: inputs whose changes force a replacement.
	ReplaceOnChanges []string `json:"replaceOnChanges,omitempty"`
	// RetainOnDelete: deleting (or replacing) leaves the cloud resource.
	RetainOnDelete bool `json:"retainOnDelete,omitempty"`
	// DeletedWith: not deleted on its own when that resource is deleted.
	DeletedWith string `json:"deletedWith,omitempty"`
	// CustomTimeouts: create, update and delete timeouts.
	CustomTimeouts map[string]string `json:"customTimeouts,omitempty"`
	// ImportID: adopt an existing cloud resource instead of creating one.
	ImportID string `json:"importId,omitempty"`
	// Provider is the URN of an explicit provider, "" for the default one.
	Provider string `json:"provider,omitempty"`

	// PropertyDependencies maps an input to the resources its value came
	// from (kept for the tools; not part of the printed form).
	PropertyDependencies map[string][]string `json:"-"`
	// Version is the provider plugin version the registration asks for.
	Version string `json:"-"`
	// ID and Outputs are what the mock answered with.
	ID      string         `json:"-"`
	Outputs map[string]any `json:"-"`
}

// Invoke is one recorded provider function call (a data source lookup).
type Invoke struct {
	Token  string
	Args   map[string]any
	Result map[string]any
}

// Stack is everything one run of the program registered.
type Stack struct {
	Name string `json:"stack"`
	// Region is the default provider's region (aws:region).
	Region    string         `json:"region,omitempty"`
	Resources []Resource     `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
	Invokes   []Invoke       `json:"-"`
}

// JSON renders a snapshot deterministically: resources in the order held
// (sorted by URN when recorded), object keys sorted, two-space indentation,
// a final newline.
func (s *Stack) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ByType returns the resources of one type, in the order held.
func (s *Stack) ByType(typ string) []Resource {
	var out []Resource
	for _, r := range s.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// ByURN returns the resource with the given URN.
func (s *Stack) ByURN(urn string) (Resource, bool) {
	for _, r := range s.Resources {
		if r.URN == urn {
			return r, true
		}
	}
	return Resource{}, false
}

// Read reads a snapshot written by `synth -stack`. An empty file stands for
// a stack that did not exist before.
func Read(path string) (*Stack, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Stack
	if len(b) == 0 {
		return &s, nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s is not a snapshot: %w", path, err)
	}
	return &s, nil
}

// Normalize round-trips a snapshot through its JSON form, so that one read
// from a file and one built in memory compare value by value (numbers as
// float64, lists as []any). What the printed form leaves out (property
// dependencies, ids, outputs) is kept from s.
func Normalize(s *Stack) (*Stack, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var out Stack
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	for i := range out.Resources {
		src := s.Resources[i]
		out.Resources[i].PropertyDependencies = src.PropertyDependencies
		out.Resources[i].Version = src.Version
		out.Resources[i].ID = src.ID
		out.Resources[i].Outputs = src.Outputs
	}
	return &out, nil
}
