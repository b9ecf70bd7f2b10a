package synth

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/stackconfig"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
	"github.com/pulumi/esc"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Program is a Pulumi program that returns its stack outputs.
type Program func(ctx *pulumi.Context) (pulumi.Map, error)

// StackConfig is one stack's configuration as the CLI would pass it to the
// program: fully qualified keys, raw string values (arrays and objects as
// JSON), the project's defaults applied.
type StackConfig struct {
	Project    string
	Stack      string
	Values     map[string]string
	SecretKeys []string
	// Dir is the project directory (where Pulumi.yaml is); the program
	// reads its own files (the built-in app's sources) from there.
	Dir string
}

// Run runs program under the recording mock with the given configuration,
// exports its outputs as main.go does, and returns everything registered.
// The snapshot is returned even when the program fails, so callers can
// check that a failing program registered nothing.
func Run(sc StackConfig, program Program) (*snapshot.Stack, error) {
	rec := &Recorder{Project: sc.Project, Stack: sc.Stack, Region: sc.Values[config.RegionKey], DefaultProvider: map[string]any{}}
	for k, v := range sc.Values {
		if key, ok := strings.CutPrefix(k, "aws:"); ok {
			rec.DefaultProvider[key] = v
		}
	}
	withConfig := func(info *pulumi.RunInfo) {
		info.Config = sc.Values
		info.ConfigSecretKeys = sc.SecretKeys
		info.RootDirectory = sc.Dir
	}
	keys := make([]string, 0, len(sc.Values))
	for k := range sc.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		// The engine passes the program every configured key; tell the
		// program ours, so unknown keys are reported here too.
		stackconfig.SetConfiguredKeys(ctx, keys)
		defer stackconfig.ForgetConfiguredKeys(ctx)
		outputs, err := program(ctx)
		if err != nil {
			return err
		}
		for name, value := range outputs {
			// Record through the exported value itself: the SDK awaits
			// exports before RunErr returns, but not a separate Apply on
			// an output that no resource produced (a plain value's).
			ctx.Export(name, pulumi.ToOutput(value).ApplyT(func(v any) any {
				rec.setOutput(name, v)
				return v
			}))
		}
		return nil
	}, pulumi.WithMocks(sc.Project, sc.Stack, rec), withConfig)
	return rec.Snapshot(), err
}

// LoadStack reads Pulumi.yaml and Pulumi.<stack>.yaml from dir with the
// Pulumi SDK's own loader, and applies the project's config schema (defaults
// and type checks) as the CLI does before it runs the program. Secret values
// are not decrypted: they read "[secret]".
func LoadStack(dir, stack string) (StackConfig, error) {
	proj, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return StackConfig{}, err
	}
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	if _, err := os.Stat(path); err != nil {
		return StackConfig{}, fmt.Errorf("no stack file for stack %q: %w", stack, err)
	}
	sink := diag.DefaultSink(io.Discard, os.Stderr, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, proj, path)
	if err != nil {
		return StackConfig{}, err
	}
	dec := pconfig.NewBlindingDecrypter()
	if err := workspace.ValidateStackConfigAndApplyProjectConfig(
		context.Background(), stack, proj, esc.Value{}, ps.Config, pconfig.NopEncrypter, dec); err != nil {
		return StackConfig{}, err
	}
	return stackConfig(proj, stack, dir, ps.Config, dec)
}

// WithProject is a stack configuration held in memory (the tests'), with
// the project's defaults applied from dir's Pulumi.yaml as the CLI applies
// them. Type checks are left to the program, and so is a missing required
// key: the program's own messages are what the tests check. Keys in
// secretKeys are secret.
func WithProject(dir, stack string, values map[string]string, secretKeys ...string) (StackConfig, error) {
	proj, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return StackConfig{}, err
	}
	cm := pconfig.Map{}
	for k, v := range values {
		key, err := pconfig.ParseKey(k)
		if err != nil {
			return StackConfig{}, err
		}
		cm[key] = pconfig.NewValue(v)
	}
	err = workspace.ApplyProjectConfig(context.Background(), stack, proj, esc.Value{}, cm, pconfig.NopEncrypter)
	// Every default is applied before the SDK reports keys that have none
	// and are not set; the program reports those itself.
	if err != nil && !strings.Contains(err.Error(), "is missing configuration") {
		return StackConfig{}, err
	}
	sc, err := stackConfig(proj, stack, dir, cm, pconfig.NopDecrypter)
	if err != nil {
		return StackConfig{}, err
	}
	sc.SecretKeys = append(sc.SecretKeys, secretKeys...)
	sort.Strings(sc.SecretKeys)
	return sc, nil
}

// stackConfig is the configuration the program receives.
func stackConfig(proj *workspace.Project, stack, dir string, cm pconfig.Map, dec pconfig.Decrypter) (StackConfig, error) {
	plain, err := cm.Decrypt(dec)
	if err != nil {
		return StackConfig{}, err
	}
	sc := StackConfig{Project: proj.Name.String(), Stack: stack, Values: map[string]string{}, Dir: dir}
	for k, v := range plain {
		sc.Values[k.String()] = v
		if cm[k].Secure() {
			sc.SecretKeys = append(sc.SecretKeys, k.String())
		}
	}
	sort.Strings(sc.SecretKeys)
	return sc, nil
}
