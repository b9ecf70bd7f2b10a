// Package synth runs the program under a recording mock: no engine, no
// network, no credentials. The tests and `go run ./cmd/synth` both use it, so
// what the tests assert is exactly what synth prints.
package synth

import (
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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

	// PropertyDependencies maps an input to the resources its value came
	// from (kept for tests; not part of the printed form).
	PropertyDependencies map[string][]string `json:"-"`
	// Provider is the explicit provider reference, "" for the default one.
	Provider string `json:"-"`
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

// Result is everything one run registered.
type Result struct {
	Stack     string         `json:"stack"`
	Resources []Resource     `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
	Invokes   []Invoke       `json:"-"`
}

// Recorder is a pulumi.MockResourceMonitor that answers every registration
// with realistic, deterministic outputs and keeps what it was given.
type Recorder struct {
	Project string
	Stack   string
	Region  string

	mu        sync.Mutex
	resources []Resource
	invokes   []Invoke
	outputs   map[string]any
}

var _ pulumi.MockResourceMonitor = (*Recorder)(nil)

// NewResource records a registration and answers with the resource's outputs.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	if rpc == nil {
		return "", nil, fmt.Errorf("synth: %s %s was read, not registered; reads are not supported", args.TypeToken, args.Name)
	}
	urn := r.urn(rpc.GetParent(), args.TypeToken, args.Name)
	id, outputs := fakeOutputs(r.Region, args.TypeToken, args.Name, urn, args.Inputs)

	res := Resource{
		URN:       urn,
		Type:      args.TypeToken,
		Name:      args.Name,
		Parent:    rpc.GetParent(),
		Custom:    args.Custom,
		Protect:   rpc.GetProtect(),
		DependsOn: sortedCopy(rpc.GetDependencies()),
		Inputs:    Plain(args.Inputs),
		Provider:  args.Provider,
		ID:        id,
		Outputs:   Plain(outputs),
	}
	if len(rpc.GetPropertyDependencies()) > 0 {
		res.PropertyDependencies = map[string][]string{}
		for k, v := range rpc.GetPropertyDependencies() {
			res.PropertyDependencies[k] = sortedCopy(v.GetUrns())
		}
	}
	r.mu.Lock()
	r.resources = append(r.resources, res)
	r.mu.Unlock()
	return id, outputs, nil
}

// Call answers a provider function call (invoke).
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	result, err := fakeInvoke(args.Token, args.Args)
	r.mu.Lock()
	r.invokes = append(r.invokes, Invoke{Token: args.Token, Args: Plain(args.Args), Result: Plain(result)})
	r.mu.Unlock()
	return result, err
}

func (r *Recorder) setOutput(name string, v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.outputs == nil {
		r.outputs = map[string]any{}
	}
	r.outputs[name] = v
}

// Result returns what was recorded, resources sorted by URN.
func (r *Recorder) Result() *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := &Result{
		Stack:     r.Stack,
		Resources: append([]Resource(nil), r.resources...),
		Outputs:   map[string]any{},
		Invokes:   append([]Invoke(nil), r.invokes...),
	}
	for k, v := range r.outputs {
		res.Outputs[k] = v
	}
	sort.Slice(res.Resources, func(i, j int) bool { return res.Resources[i].URN < res.Resources[j].URN })
	return res
}

// urn builds a URN exactly as the engine (and the SDK's mock monitor) does.
func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.Stack), tokens.PackageName(r.Project), parentType, tokens.Type(typ), name))
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// Plain turns a property map into JSON-friendly Go values. Secrets become
// "[secret]", values not known until deployment "[unknown]", resource
// references their URN.
func Plain(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return Plain(v.ObjectValue())
	case v.IsSecret():
		return "[secret]"
	case v.IsComputed():
		return "[unknown]"
	case v.IsOutput():
		o := v.OutputValue()
		switch {
		case o.Secret:
			return "[secret]"
		case !o.Known:
			return "[unknown]"
		default:
			return plainValue(o.Element)
		}
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	default:
		return fmt.Sprintf("[%s]", v.TypeString())
	}
}
