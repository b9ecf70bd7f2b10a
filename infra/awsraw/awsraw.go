// Package awsraw registers pulumi-aws resources without importing their
// generated Go packages. Some of those packages are out of proportion to
// what the program uses of them: wafv2's generated types are 12 MB of Go
// and add about a minute (and 4 GB of memory) to every cold build; s3's add
// about 15 seconds. A resource registered here has a small typed input
// struct of just the fields the program sets (Pulumi's names, in `pulumi`
// tags), checked like every other resource by the provider check, which
// maps each field onto the provider's schema and fails on any it cannot.
package awsraw

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ProviderVersion is the pulumi-aws version the registrations ask for, so
// the engine uses the same provider plugin as the generated packages do
// (go.mod's; a test keeps the two equal).
const ProviderVersion = "6.83.4"

// Resource is a registered resource and the outputs the program reads.
type Resource struct {
	pulumi.CustomResourceState

	Arn pulumi.StringOutput `pulumi:"arn"`
	// Bucket is an S3 bucket's name.
	Bucket pulumi.StringOutput `pulumi:"bucket"`
}

// Register registers a pulumi-aws resource of type token. props is a
// struct (or a pointer to one) whose fields carry `pulumi` tags; fields are
// plain values, nested structs and slices of them, or pulumi Inputs (values
// that come from other resources). A nil pointer or slice is left out.
func Register(ctx *pulumi.Context, token, name string, props any, opts ...pulumi.ResourceOption) (*Resource, error) {
	m, err := Map(props)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", token, name, err)
	}
	r := &Resource{}
	opts = append(opts, pulumi.Version(ProviderVersion))
	if err := ctx.RegisterResource(token, name, m, r, opts...); err != nil {
		return nil, err
	}
	return r, nil
}

// Empty is an empty block ({}), such as WAF's allow or count.
type Empty struct{}

// Map turns a tagged struct into the property map the engine receives.
func Map(props any) (pulumi.Map, error) {
	v := reflect.ValueOf(props)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	in, err := convert(v)
	if err != nil {
		return nil, err
	}
	m, ok := in.(pulumi.Map)
	if !ok {
		return nil, fmt.Errorf("props must be a struct, got %s", v.Type())
	}
	return m, nil
}

var inputType = reflect.TypeOf((*pulumi.Input)(nil)).Elem()

// convert turns one value into a pulumi Input; nil means "leave it out".
func convert(v reflect.Value) (pulumi.Input, error) {
	if !v.IsValid() {
		return nil, nil
	}
	if v.Type().Implements(inputType) && v.Kind() != reflect.Struct {
		if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
			return nil, nil
		}
		return v.Interface().(pulumi.Input), nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return convert(v.Elem())
	case reflect.String:
		return pulumi.String(v.String()), nil
	case reflect.Bool:
		return pulumi.Bool(v.Bool()), nil
	case reflect.Int, reflect.Int32, reflect.Int64:
		return pulumi.Int(int(v.Int())), nil
	case reflect.Float64:
		return pulumi.Float64(v.Float()), nil
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		arr := pulumi.Array{}
		for i := 0; i < v.Len(); i++ {
			e, err := convert(v.Index(i))
			if err != nil {
				return nil, err
			}
			arr = append(arr, e)
		}
		return arr, nil
	case reflect.Struct:
		m := pulumi.Map{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("pulumi"), ",")
			if tag == "" {
				if t.Field(i).IsExported() {
					return nil, fmt.Errorf("field %s.%s has no pulumi tag", t.Name(), t.Field(i).Name)
				}
				continue
			}
			e, err := convert(v.Field(i))
			if err != nil {
				return nil, err
			}
			if e != nil {
				m[tag] = e
			}
		}
		return m, nil
	}
	return nil, fmt.Errorf("cannot register a value of type %s", v.Type())
}
