// Package config loads and validates the stack configuration once, before any
// resource is registered. It never touches AWS and does not import the AWS SDK,
// so its rules are cheap to test.
package config

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Namespace is the project's config namespace (`pulumi config set alb-cognito-fargate:<key>`).
const Namespace = "alb-cognito-fargate"

// RegionKey is where the AWS provider reads its region; every resource, the
// certificate included, is created there.
const RegionKey = "aws:region"

// Config is the typed, validated configuration of one stack.
type Config struct {
	Project string
	Stack   string
	Region  string

	DomainName           string
	HostedZoneName       string
	AlternateDomainNames []string

	AvailabilityZones int
	// MaxAvailabilityZones is how many zones the VPC's address plan has
	// room for; it decides every subnet's block.
	MaxAvailabilityZones int
	NatGateways          string
	VpcCidr              string

	// BuiltInApp builds app/ and deploys it instead of Image.
	BuiltInApp             bool
	Image                  string
	ContainerPort          int
	Cpu                    int
	Memory                 int
	DesiredCount           int
	HealthCheckPath        string
	Environment            map[string]string
	ReadOnlyRootFilesystem bool
	WritablePaths          []string
	LogRetentionDays       int

	PublicPaths           []string
	SelfSignUp            bool
	Mfa                   string
	SessionTimeoutSeconds int
	// CognitoDomainPrefix is the configured prefix or, when none is set, the
	// derived one (DeriveDomainPrefix). It is never empty after Parse.
	CognitoDomainPrefix string

	// Who may sign in, and how (identity.go).
	IdentityProviders []IdentityProvider
	LocalUsers        bool
	Groups            []Group
	APIPaths          []string
	// AuthDomainName is the custom sign-in domain ("" for the prefix domain).
	AuthDomainName               string
	AuthDomainParentRecordExists bool
	UserPoolTier                 string
	ThreatProtection             string
	EmailSender                  string
	EmailSenderIdentity          string
	// identityProvidersSecret: the identityProviders key is a secret (it
	// holds client secrets).
	identityProvidersSecret bool

	// Production settings (operations.go).
	// MinCount and MaxCount turn on autoscaling (both 0: off).
	MinCount, MaxCount int
	// Secrets are container variables ECS reads from SSM or Secrets Manager.
	Secrets       []SecretRef
	secretsRaw    [][2]string
	SecretsKmsKey string
	AccessLogs    bool
	Waf           string
	WafRateLimit  int
	Capacity      string
	OnDemandBase  int
	Exec          bool
	// ImageRetention is how many images of the built-in app ECR keeps.
	ImageRetention int

	// AwsProfile is aws:profile, which the us-east-1 provider of a custom
	// sign-in domain copies from the default provider.
	AwsProfile string

	Protect bool
}

// Autoscaling reports whether the service scales between MinCount and MaxCount.
func (c *Config) Autoscaling() bool { return c.MinCount > 0 && c.MaxCount > 0 }

// AdminGroup is the group the built-in app's group-only page admits: the
// first configured group, or "".
func (c *Config) AdminGroup() string {
	if len(c.Groups) == 0 {
		return ""
	}
	return c.Groups[0].Name
}

// SignInDomain is the host name of the hosted sign-in pages: the custom
// domain, or the prefix domain.
func (c *Config) SignInDomain() string {
	if c.AuthDomainName != "" {
		return c.AuthDomainName
	}
	return c.CognitoDomainPrefix + ".auth." + c.Region + ".amazoncognito.com"
}

// HostNames is every host name users browse to: the domain name first, then
// the alternates in configured order.
func (c *Config) HostNames() []string {
	return append([]string{c.DomainName}, c.AlternateDomainNames...)
}

// NamePrefix is a stable, AWS-safe prefix for resources that need a
// physical name (the task definition family).
func (c *Config) NamePrefix() string {
	return sanitizeName(c.Project + "-" + c.Stack)
}

// Problem is one invalid or missing config value.
type Problem struct {
	Key     string // fully qualified, e.g. alb-cognito-fargate:cpu
	Message string // what is wrong and how to fix it
}

// Error lists every problem found, one per line, each naming its key.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid stack configuration (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  - %s: %s", p.Key, p.Message)
	}
	return b.String()
}

// Keys returns the keys of every problem, in report order.
func (e *Error) Keys() []string {
	keys := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		keys[i] = p.Key
	}
	return keys
}

// Lookup returns the raw value of a fully qualified config key (as the Pulumi
// CLI passes it: strings as is, numbers and booleans as text, arrays and
// objects as JSON) and whether it is set.
type Lookup func(key string) (string, bool)

// IsSecret reports whether a fully qualified config key holds a secret.
type IsSecret func(key string) bool

// Load reads the stack's configuration from the Pulumi context and validates it.
func Load(ctx *pulumi.Context) (*Config, error) {
	lookup := func(key string) (string, bool) {
		v, err := pconfig.Try(ctx, key)
		if err != nil {
			return "", false
		}
		return v, true
	}
	return ParseSource(ctx.Project(), ctx.Stack(), Source{Lookup: lookup, Keys: configuredKeys(ctx), IsSecret: ctx.IsConfigSecret})
}

// Source is where Parse reads the configuration.
type Source struct {
	Lookup Lookup
	// Keys is every configured key, when known: keys of this namespace the
	// program does not read are reported.
	Keys []string
	// IsSecret reports secret keys (nil: none is).
	IsSecret IsSecret
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
	return SortedKeys(all)
}

// Parse builds a Config from raw values, applying the documented defaults, and
// reports every problem at once. configured, when given, is every key the
// stack's configuration holds: a key in this program's namespace that the
// program does not read is reported (a typo would otherwise be ignored).
func Parse(project, stack string, lookup Lookup, configured ...string) (*Config, error) {
	return ParseSource(project, stack, Source{Lookup: lookup, Keys: configured})
}

// ParseSource is Parse with secret keys known.
func ParseSource(project, stack string, src Source) (*Config, error) {
	read := map[string]bool{}
	p := &parser{lookup: func(key string) (string, bool) {
		read[key] = true
		return src.Lookup(key)
	}, isSecret: src.IsSecret}
	configured := src.Keys
	c := &Config{Project: project, Stack: stack}

	c.Region = p.str(RegionKey, "")
	c.AwsProfile = p.str("aws:profile", "")
	c.DomainName = p.str(k("domainName"), "")
	c.HostedZoneName = p.str(k("hostedZoneName"), "")
	c.AlternateDomainNames = p.strings(k("alternateDomainNames"))
	c.AvailabilityZones = p.int(k("availabilityZones"), Defaults.AvailabilityZones)
	c.MaxAvailabilityZones = p.int(k("maxAvailabilityZones"), Defaults.MaxAvailabilityZones)
	c.NatGateways = p.str(k("natGateways"), Defaults.NatGateways)
	c.VpcCidr = p.str(k("vpcCidr"), Defaults.VpcCidr)
	c.BuiltInApp = p.bool(k("builtInApp"), Defaults.BuiltInApp)
	c.Image = p.str(k("image"), Defaults.Image)
	c.ContainerPort = p.int(k("containerPort"), Defaults.ContainerPort)
	c.Cpu = p.int(k("cpu"), Defaults.Cpu)
	c.Memory = p.int(k("memory"), Defaults.Memory)
	c.DesiredCount = p.int(k("desiredCount"), Defaults.DesiredCount)
	c.HealthCheckPath = p.str(k("healthCheckPath"), Defaults.HealthCheckPath)
	c.Environment = p.stringMap(k("environment"))
	c.ReadOnlyRootFilesystem = p.bool(k("readOnlyRootFilesystem"), Defaults.ReadOnlyRootFilesystem)
	c.WritablePaths = p.strings(k("writablePaths"))
	resolveImageDefaults(c, p)
	c.LogRetentionDays = p.int(k("logRetentionDays"), Defaults.LogRetentionDays)
	c.PublicPaths = p.strings(k("publicPaths"))
	c.SelfSignUp = p.bool(k("selfSignUp"), Defaults.SelfSignUp)
	c.Mfa = p.str(k("mfa"), Defaults.Mfa)
	c.SessionTimeoutSeconds = p.int(k("sessionTimeoutSeconds"), Defaults.SessionTimeoutSeconds)
	c.CognitoDomainPrefix = p.str(k("cognitoDomainPrefix"), "")
	parseIdentity(c, p)
	parseOperations(c, p)
	c.Protect = p.bool(k("protect"), Defaults.Protect)

	validate(c, p)
	checkUnknownKeys(p, configured, read)

	if c.CognitoDomainPrefix == "" {
		c.CognitoDomainPrefix = DeriveDomainPrefix(project, stack, c.DomainName)
	}
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems}
	}
	return c, nil
}

// resolveImageDefaults fills in what depends on the image: the empty image,
// port 0 and the empty health check path mean "the default for this mode".
func resolveImageDefaults(c *Config, p *parser) {
	if c.BuiltInApp {
		if c.Image != "" {
			p.add(k("image"), "is set, but builtInApp is true and the stack builds the image from app/: remove one of the two")
		}
		if c.ContainerPort == 0 {
			c.ContainerPort = AppContainerPort
		} else if c.ContainerPort > 0 && c.ContainerPort < 1024 {
			p.add(k("containerPort"), "is %d, but the built-in app runs as a non-root user and cannot listen below 1024: use %d, or remove the key", c.ContainerPort, AppContainerPort)
		}
		if c.HealthCheckPath == "" {
			c.HealthCheckPath = AppHealthCheckPath
		}
		return
	}
	if c.Image == "" {
		c.Image = DefaultImage
		// The default image brings the directories it writes to.
		for _, d := range DefaultImageWritablePaths {
			if !slices.Contains(c.WritablePaths, d) {
				c.WritablePaths = append(c.WritablePaths, d)
			}
		}
	}
	if c.ContainerPort == 0 {
		c.ContainerPort = DefaultContainerPort
	}
	if c.HealthCheckPath == "" {
		c.HealthCheckPath = DefaultHealthCheckPath
	}
}

// k qualifies a project key with the namespace.
func k(key string) string { return Namespace + ":" + key }

// parser reads raw values and collects type problems without stopping.
type parser struct {
	lookup   Lookup
	isSecret IsSecret
	problems []Problem
	// typeErr records keys whose value could not be parsed, so validation
	// does not report them twice.
	typeErr map[string]bool
}

func (p *parser) add(key, format string, args ...any) {
	p.problems = append(p.problems, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) bad(key, format string, args ...any) {
	if p.typeErr == nil {
		p.typeErr = map[string]bool{}
	}
	p.typeErr[key] = true
	p.add(key, format, args...)
}

func (p *parser) secret(key string) bool {
	return p.isSecret != nil && p.isSecret(key)
}

func (p *parser) str(key, def string) string {
	v, ok := p.lookup(key)
	if !ok {
		return def
	}
	return v
}

func (p *parser) int(key string, def int) int {
	v, ok := p.lookup(key)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		p.bad(key, "must be a whole number, got %q; for example: pulumi config set %s %d", v, key, def)
		return def
	}
	return n
}

func (p *parser) bool(key string, def bool) bool {
	v, ok := p.lookup(key)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		p.bad(key, "must be true or false, got %q; for example: pulumi config set %s %t", v, key, def)
		return def
	}
	return b
}

func (p *parser) strings(key string) []string {
	v, ok := p.lookup(key)
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.bad(key, "must be a list of strings, got %q; in the stack file write it as a YAML list, or: pulumi config set --path '%s[0]' VALUE", v, key)
		return nil
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (p *parser) stringMap(key string) map[string]string {
	v, ok := p.lookup(key)
	if !ok || strings.TrimSpace(v) == "" {
		return map[string]string{}
	}
	out := map[string]string{}
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.bad(key, "must be a map of string names to string values, got %q; for example: pulumi config set --path '%s.LOG_LEVEL' info", v, key)
		return map[string]string{}
	}
	return out
}

// SortedKeys returns a map's keys in order, for deterministic resource inputs.
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}
