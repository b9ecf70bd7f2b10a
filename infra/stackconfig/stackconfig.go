// Package stackconfig reads a stack's configuration from the Pulumi engine
// (or from the tools' recording mock) and hands it to infra/config, which
// parses and validates it. It is apart from infra/config so that the
// configuration's rules, and their tests, need no Pulumi SDK.
package stackconfig

import (
	"encoding/json"
	"os"
	"sort"
	"sync"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Load reads the stack's configuration from the Pulumi context and validates it.
func Load(ctx *pulumi.Context) (*config.Config, error) {
	lookup := func(key string) (string, bool) {
		v, err := pconfig.Try(ctx, key)
		if err != nil {
			return "", false
		}
		return v, true
	}
	return config.Parse(ctx.Project(), ctx.Stack(), config.Source{Lookup: lookup, Keys: configuredKeys(ctx), IsSecret: ctx.IsConfigSecret})
}

// keysByContext holds, for a program run under the recording mock, every
// configured key (the engine passes them in PULUMI_CONFIG instead).
var keysByContext sync.Map

// SetConfiguredKeys tells Load which keys a mock run's configuration holds,
// so that unknown keys are reported there as under the engine. Call
// ForgetConfiguredKeys when the run is over.
func SetConfiguredKeys(ctx *pulumi.Context, keys []string) { keysByContext.Store(ctx, keys) }

// ForgetConfiguredKeys drops what SetConfiguredKeys stored.
func ForgetConfiguredKeys(ctx *pulumi.Context) { keysByContext.Delete(ctx) }

// configuredKeys lists every key of the stack's configuration: under the
// engine from PULUMI_CONFIG (which holds all of them), under the mock from
// SetConfiguredKeys.
func configuredKeys(ctx *pulumi.Context) []string {
	if v, ok := keysByContext.Load(ctx); ok {
		return v.([]string)
	}
	var all map[string]string
	if err := json.Unmarshal([]byte(os.Getenv(pulumi.EnvConfig)), &all); err != nil {
		return nil
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
