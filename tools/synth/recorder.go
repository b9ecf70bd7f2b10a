// Package synth runs the program under a recording mock: no engine, no
// network, no credentials. The tests and `go run ./cmd/synth` both use it, so
// what the tests assert is exactly what synth prints. What the mock answers
// for each resource type comes from its catalog entry (tools/catalog).
package synth

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Recorder is a pulumi.MockResourceMonitor that answers every registration
// with realistic, deterministic outputs and keeps what it was given.
type Recorder struct {
	Project string
	Stack   string
	Region  string
	// DefaultProvider is the stack's aws: settings (key without the
	// namespace), what the default provider is configured with.
	DefaultProvider map[string]any

	mu              sync.Mutex
	aliases         map[string][]string       // URN -> alias URNs, for children to inherit
	providerRegions map[string]string         // explicit provider URN -> its region
	providerInputs  map[string]map[string]any // explicit provider URN -> its inputs
	resources       []snapshot.Resource
	invokes         []snapshot.Invoke
	outputs         map[string]any
}

var _ pulumi.MockResourceMonitor = (*Recorder)(nil)

// NewResource records a registration and answers with the resource's outputs.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	if rpc == nil {
		return "", nil, fmt.Errorf("synth: %s %s was read, not registered; reads are not supported", args.TypeToken, args.Name)
	}
	urn := r.urn(rpc.GetParent(), args.TypeToken, args.Name)
	aliases := r.aliasURNs(rpc)
	id, outputs := r.answer(args, urn, aliases)

	res := snapshot.Resource{
		URN:                 urn,
		Type:                args.TypeToken,
		Name:                args.Name,
		Parent:              rpc.GetParent(),
		Custom:              args.Custom,
		Protect:             rpc.GetProtect(),
		DependsOn:           sortedCopy(rpc.GetDependencies()),
		Inputs:              Plain(args.Inputs),
		Aliases:             aliases,
		DeleteBeforeReplace: rpc.GetDeleteBeforeReplace(),
		IgnoreChanges:       nilIfEmpty(rpc.GetIgnoreChanges()),
		ReplaceOnChanges:    nilIfEmpty(rpc.GetReplaceOnChanges()),
		RetainOnDelete:      rpc.GetRetainOnDelete(),
		DeletedWith:         rpc.GetDeletedWith(),
		ImportID:            rpc.GetImportId(),
		Provider:            providerURN(args.Provider),
		Version:             rpc.GetVersion(),
		ID:                  id,
		Outputs:             Plain(outputs),
	}
	if t := rpc.GetCustomTimeouts(); t != nil && (t.GetCreate() != "" || t.GetUpdate() != "" || t.GetDelete() != "") {
		res.CustomTimeouts = map[string]string{}
		for k, v := range map[string]string{"create": t.GetCreate(), "update": t.GetUpdate(), "delete": t.GetDelete()} {
			if v != "" {
				res.CustomTimeouts[k] = v
			}
		}
	}
	if len(rpc.GetPropertyDependencies()) > 0 {
		res.PropertyDependencies = map[string][]string{}
		for k, v := range rpc.GetPropertyDependencies() {
			res.PropertyDependencies[k] = sortedCopy(v.GetUrns())
		}
	}
	r.mu.Lock()
	r.resources = append(r.resources, res)
	if len(res.Aliases) > 0 {
		if r.aliases == nil {
			r.aliases = map[string][]string{}
		}
		r.aliases[urn] = res.Aliases
	}
	r.mu.Unlock()
	return id, outputs, nil
}

// answer is what AWS and the providers would answer: the inputs, plus the
// identifiers and attributes they compute, from the type's catalog entry.
func (r *Recorder) answer(args pulumi.MockResourceArgs, urn string, aliases []string) (string, resource.PropertyMap) {
	// A resource aliased to an old name of the same type (a rename or a new
	// parent) is the same cloud resource as before: its fake identifiers come
	// from the URN it had then. (Providers also alias old type tokens; those
	// are not renames.)
	seed := urn
	for _, a := range aliases {
		if string(resource.URN(a).Type()) == args.TypeToken {
			seed = a
			break
		}
	}
	// A resource on an explicit provider is in that provider's region.
	region := r.Region
	r.mu.Lock()
	if pr, ok := r.providerRegions[providerURN(args.Provider)]; ok {
		region = pr
	}
	if strings.HasPrefix(args.TypeToken, "pulumi:providers:") {
		if v, ok := args.Inputs["region"]; ok && v.IsString() {
			if r.providerRegions == nil {
				r.providerRegions = map[string]string{}
			}
			r.providerRegions[urn] = v.StringValue()
		}
		if r.providerInputs == nil {
			r.providerInputs = map[string]map[string]any{}
		}
		r.providerInputs[urn] = Plain(args.Inputs)
	}
	r.mu.Unlock()

	m := &catalog.Mock{Region: region, Name: resource.URN(seed).Name(), URN: seed, Inputs: Plain(args.Inputs)}
	m.ID = m.Hex("id", 17)
	if t, ok := catalog.Lookup(args.TypeToken); ok && t.Mock != nil {
		t.Mock(m)
	}
	out := args.Inputs.Copy()
	for k, v := range m.Outputs {
		out[resource.PropertyKey(k)] = propertyValue(v)
	}
	return m.ID, out
}

// propertyValue turns a mock's plain output into a property value.
func propertyValue(v any) resource.PropertyValue {
	if s, ok := v.(catalog.Secret); ok {
		return resource.MakeSecret(resource.NewStringProperty(s.Value))
	}
	return resource.NewPropertyValue(v)
}

// Call answers a provider function call (invoke) from its catalog entry.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	f, ok := catalog.LookupFunction(args.Token)
	if !ok {
		return nil, fmt.Errorf("synth: no mock answer for the provider function %s; add one to tools/catalog/functions.go", args.Token)
	}
	call := catalog.Call{Region: r.Region, Args: Plain(args.Args), Provider: r.DefaultProvider}
	r.mu.Lock()
	if p, ok := r.providerInputs[providerURN(args.Provider)]; ok {
		call.Provider = p
		if region, ok := r.providerRegions[providerURN(args.Provider)]; ok {
			call.Region = region
		}
	}
	r.mu.Unlock()
	result := resource.NewPropertyMapFromMap(f.Mock(call))
	r.mu.Lock()
	r.invokes = append(r.invokes, snapshot.Invoke{Token: args.Token, Args: Plain(args.Args), Result: Plain(result)})
	r.mu.Unlock()
	return result, nil
}

func (r *Recorder) setOutput(name string, v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.outputs == nil {
		r.outputs = map[string]any{}
	}
	r.outputs[name] = v
}

// Snapshot returns what was recorded, resources sorted by URN.
func (r *Recorder) Snapshot() *snapshot.Stack {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := &snapshot.Stack{
		Name:      r.Stack,
		Region:    r.Region,
		Resources: append([]snapshot.Resource(nil), r.resources...),
		Outputs:   map[string]any{},
		Invokes:   append([]snapshot.Invoke(nil), r.invokes...),
	}
	for k, v := range r.outputs {
		s.Outputs[k] = v
	}
	sort.Slice(s.Resources, func(i, j int) bool { return s.Resources[i].URN < s.Resources[j].URN })
	return s
}

// urn builds a URN exactly as the engine (and the SDK's mock monitor) does.
func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.Stack), tokens.PackageName(r.Project), parentType, tokens.Type(typ), name))
}

// aliasURNs resolves a registration's aliases to URNs, as the engine does,
// including those a child inherits from its parent's aliases (a child whose
// name starts with its parent's takes the parent's old name as its prefix).
func (r *Recorder) aliasURNs(rpc *pulumirpc.RegisterResourceRequest) []string {
	var out []string
	out = append(out, rpc.GetAliasURNs()...)
	r.mu.Lock()
	parentAliases := r.aliases[rpc.GetParent()]
	r.mu.Unlock()
	for _, pa := range parentAliases {
		parentName := resource.URN(rpc.GetParent()).Name()
		name := rpc.GetName()
		if parentName != "" && strings.HasPrefix(name, parentName) {
			name = resource.URN(pa).Name() + strings.TrimPrefix(name, parentName)
		}
		out = append(out, r.urn(pa, rpc.GetType(), name))
	}
	for _, a := range rpc.GetAliases() {
		if urn := a.GetUrn(); urn != "" {
			out = append(out, urn)
			continue
		}
		spec := a.GetSpec()
		if spec == nil {
			continue
		}
		name, typ, parent := spec.GetName(), spec.GetType(), rpc.GetParent()
		if name == "" {
			name = rpc.GetName()
		}
		if typ == "" {
			typ = rpc.GetType()
		}
		if p := spec.GetParentUrn(); p != "" {
			parent = p
		} else if spec.GetNoParent() {
			parent = ""
		}
		out = append(out, r.urn(parent, typ, name))
	}
	if len(out) == 0 {
		return nil
	}
	return sortedCopy(out)
}

// providerURN keeps the URN of a provider reference ("<urn>::<id>").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 && strings.HasPrefix(ref, "urn:") {
		return ref[:i]
	}
	return ref
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return sortedCopy(s)
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// Plain turns a property map into JSON-friendly Go values. Secrets become
// "[secret]", values not known until deployment "[unknown]", resource
// references their URN; an asset is {"text": ...} (or "path", "uri"), an
// archive {"archive": {<name>: <asset or archive>}} (or "path", "uri"), so
// a test can read the code a stack deploys.
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
	case v.IsAsset():
		a := v.AssetValue()
		return firstSet(map[string]string{"text": a.Text, "path": a.Path, "uri": a.URI})
	case v.IsArchive():
		a := v.ArchiveValue()
		if a.Assets != nil {
			members := map[string]any{}
			for name, m := range a.Assets {
				members[name] = plainValue(resource.NewPropertyValue(m))
			}
			return map[string]any{"archive": members}
		}
		return firstSet(map[string]string{"path": a.Path, "uri": a.URI})
	default:
		return fmt.Sprintf("[%s]", v.TypeString())
	}
}

// firstSet keeps the one field of an asset or archive that is set.
func firstSet(fields map[string]string) map[string]any {
	for k, v := range fields {
		if v != "" {
			return map[string]any{k: v}
		}
	}
	return map[string]any{}
}
