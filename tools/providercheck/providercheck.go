// Package providercheck puts synthesized stacks through the validation of the real
// AWS provider: the Terraform provider hashicorp/aws that pulumi-aws bridges,
// run by Terraform itself. The recording mock accepts any input; this check
// rejects what `pulumi up` would have the provider reject (types, enums,
// ranges, patterns, conflicting and required arguments, IAM policy JSON, ECS
// container definitions) before anything is deployed.
//
// Every custom aws:* resource of a synthesis becomes a Terraform resource
// (JSON syntax), its inputs mapped onto the provider's own schema
// (`terraform providers schema -json`): camelCase to snake_case, Pulumi's
// plural names to Terraform's repeated blocks, single objects to one-element
// blocks, and Pulumi's auto-name where the program names nothing. Then
// `terraform validate` and an offline `terraform plan -refresh=false` run
// with fake credentials. Anything that cannot be mapped is a problem too, so
// a resource or property added later cannot slip past.
package providercheck

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Stack is one synthesized stack to check.
type Stack struct {
	// Name identifies the stack in problems; letters, digits, - and _.
	Name string
	// Region is where the stack's default AWS provider creates resources.
	Region   string
	Snapshot *snapshot.Stack
}

// Problem is something the provider rejected, or that could not be given to
// it, named by stack, resource and Pulumi property.
type Problem struct {
	Stack    string
	URN      string
	Type     string
	Name     string
	Property string // Pulumi property path; "" for the resource as a whole
	Message  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Stack)
	b.WriteString(": ")
	if p.Type != "" {
		fmt.Fprintf(&b, "%s %q", p.Type, p.Name)
	} else {
		b.WriteString("(configuration)")
	}
	if p.Property != "" {
		fmt.Fprintf(&b, " property %s", p.Property)
	}
	b.WriteString(": ")
	b.WriteString(p.Message)
	return b.String()
}

// Report is the outcome of a check.
type Report struct {
	Problems []Problem
	// Resources is how many resources the provider checked.
	Resources int
	// OutOfReach lists the components the check cannot look into, each with
	// why (their children are not registered under the mock).
	OutOfReach []string
}

// Config is the Terraform configuration a check writes: the JSON text, and
// what each of its lines stands for.
type Config struct {
	JSON      []byte
	resources map[string]*resource // by address
	lines     map[int]origin
}

var tfNameRe = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// Convert builds the Terraform configuration for stacks. Problems are the
// resources and properties it could not map; they are returned with the
// configuration of everything that could be.
func Convert(s *Schema, stacks []Stack) (*Config, *Report) {
	rep := &Report{}
	providers := []*node{obj(append([]any{"region", "us-east-1"}, fakeCredentials...)...)}
	resources := &node{isObj: true}
	byType := map[string]*node{}
	cfg := &Config{resources: map[string]*resource{}}
	used := map[string]bool{}
	seenOut := map[string]bool{}

	// One provider configuration per region: each is a provider process,
	// and a process costs Terraform about a second.
	regions := map[string]string{}
	regionAlias := func(region string) string {
		if a, ok := regions[region]; ok {
			return a
		}
		a := "r_" + tfNameRe.ReplaceAllString(region, "_")
		if region == "" {
			a = "r_unset"
		}
		regions[region] = a
		providers = append(providers, obj(append([]any{"alias", a, "region", region}, fakeCredentials...)...))
		return a
	}
	for _, st := range stacks {
		alias := map[string]string{"": regionAlias(st.Region)}
		// Explicit providers (a second region, say) use that region's.
		for _, r := range st.Snapshot.Resources {
			if r.Type == "pulumi:providers:aws" {
				region, _ := r.Inputs["region"].(string)
				alias[r.URN] = regionAlias(region)
			}
		}
		for _, r := range st.Snapshot.Resources {
			switch {
			case !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:"):
				if t, ok := catalog.Lookup(r.Type); ok && t.OutOfReach != "" && !seenOut[r.Type] {
					seenOut[r.Type] = true
					rep.OutOfReach = append(rep.OutOfReach, r.Type+": "+t.OutOfReach)
				}
				continue
			case !strings.HasPrefix(r.Type, "aws:"):
				rep.Problems = append(rep.Problems, Problem{Stack: st.Name, URN: r.URN, Type: r.Type, Name: r.Name,
					Message: "a custom resource outside pulumi-aws: the provider check cannot validate it"})
				continue
			}
			res, problems := convertResource(st.Name, s, r)
			rep.Problems = append(rep.Problems, problems...)
			if res == nil {
				continue
			}
			prov, ok := alias[r.Provider]
			if !ok {
				rep.Problems = append(rep.Problems, Problem{Stack: st.Name, URN: r.URN, Type: r.Type, Name: r.Name,
					Message: fmt.Sprintf("uses provider %s, which the synthesis does not hold", r.Provider)})
				continue
			}
			res.body.set("provider", &node{scalar: "aws." + prov})
			name := tfNameRe.ReplaceAllString(st.Name+"__"+r.Name, "_")
			for i := 2; used[res.tfType+"."+name]; i++ {
				name = fmt.Sprintf("%s__%d", tfNameRe.ReplaceAllString(st.Name+"__"+r.Name, "_"), i)
			}
			used[res.tfType+"."+name] = true
			res.tfName = name
			res.address = res.tfType + "." + name
			cfg.resources[res.address] = res
			if byType[res.tfType] == nil {
				byType[res.tfType] = &node{isObj: true}
				resources.set(res.tfType, byType[res.tfType])
			}
			byType[res.tfType].set(name, res.body)
			rep.Resources++
		}
	}
	sort.Slice(resources.fields, func(i, j int) bool { return resources.fields[i].key < resources.fields[j].key })

	root := obj(
		"terraform", obj("required_providers", obj("aws", obj("source", "hashicorp/aws", "version", ProviderVersion))),
		"provider", obj("aws", providers),
		"resource", resources,
	)
	w := newWriter()
	writeRoot(w, root, cfg.resources)
	cfg.JSON = w.buf.Bytes()
	cfg.lines = w.lines
	return cfg, rep
}

// writeRoot writes the configuration, telling the writer which resource
// each resource body belongs to.
func writeRoot(w *jsonWriter, root *node, byAddr map[string]*resource) {
	// The resource bodies are marked per resource; everything else is not.
	w.buf.WriteByte('{')
	for i, f := range root.fields {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.newline(1)
		w.str(f.key)
		w.buf.WriteString(": ")
		if f.key != "resource" {
			w.write(f.val, 1)
			continue
		}
		w.buf.WriteByte('{')
		for j, t := range f.val.fields {
			if j > 0 {
				w.buf.WriteByte(',')
			}
			w.newline(2)
			w.str(t.key)
			w.buf.WriteString(": {")
			for k, r := range t.val.fields {
				if k > 0 {
					w.buf.WriteByte(',')
				}
				w.newline(3)
				w.res = byAddr[t.key+"."+r.key]
				w.mark(r.val)
				w.str(r.key)
				w.buf.WriteString(": ")
				w.write(r.val, 3)
				w.res = nil
			}
			w.newline(2)
			w.buf.WriteByte('}')
		}
		w.newline(1)
		w.buf.WriteByte('}')
	}
	w.newline(0)
	w.buf.WriteString("}\n")
}

// fakeCredentials let the provider configure itself and plan without an
// account: nothing is read or created.
var fakeCredentials = []any{
	"access_key", "AKIAIOSFODNN7EXAMPLE",
	"secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"skip_credentials_validation", true,
	"skip_requesting_account_id", true,
	"skip_metadata_api_check", true,
}

// diagnostic is a Terraform diagnostic in its JSON form.
type diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
	Range    *struct {
		Filename string `json:"filename"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
}

// attrPath finds Terraform attribute paths (egress.0.description) in a
// diagnostic's text, quoted or not.
var attrPath = regexp.MustCompile(`[a-z0-9_]+(?:\.[a-z0-9_]+)*`)

// problemFor names the resource and property a diagnostic is about.
func (c *Config) problemFor(d diagnostic) Problem {
	msg := strings.TrimSpace(d.Summary)
	if det := strings.TrimSpace(d.Detail); det != "" {
		msg += ": " + det
	}
	msg = strings.Join(strings.Fields(msg), " ")
	var res *resource
	property := ""
	if d.Range != nil {
		if o, ok := c.lines[d.Range.Start.Line]; ok {
			res, property = o.res, o.pulumi
		}
	}
	if res == nil && d.Address != "" {
		res = c.resources[d.Address]
	}
	if res == nil {
		return Problem{Stack: "(terraform)", Message: msg}
	}
	// A diagnostic that names an attribute path ("egress.0.description")
	// is more precise than the line it points at: take the longest known.
	best := ""
	for _, m := range attrPath.FindAllString(d.Summary+" "+d.Detail, -1) {
		if p, ok := res.byTf[m]; ok && len(m) > len(best) {
			best, property = m, p
		}
	}
	return Problem{Stack: res.stack, URN: res.res.URN, Type: res.res.Type, Name: res.res.Name, Property: property, Message: msg}
}
