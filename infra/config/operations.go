package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
)

// defaultOnDemandBase is onDemandBase's default in Pulumi.yaml: a stack
// that sets another value without capacity mixed is told so.
const defaultOnDemandBase = 1

// Limits of the production settings.
const (
	MaxImageRetention = 1000
	MaxSecrets        = 50
)

// SecretRef is one container variable ECS fills from SSM Parameter Store or
// Secrets Manager when the task starts (never a plain environment value).
type SecretRef struct {
	// Name is the container variable.
	Name string
	// ValueFrom is the reference as configured: an SSM parameter name or
	// ARN, or a Secrets Manager secret ARN with an optional
	// :json-key:version-stage:version-id.
	ValueFrom string
	// Action is the IAM action the execution role needs to read it.
	Action string
	// Resources are the IAM resources that action is allowed on;
	// "{account}" stands for the stack's own account (an SSM parameter
	// given by name).
	Resources []string
}

var (
	ssmNameRe = regexp.MustCompile(`^/?[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*$`)
	ssmArnRe  = regexp.MustCompile(`^arn:aws:ssm:([a-z0-9-]+):(\d{12}):parameter/([A-Za-z0-9_.\-/]+)$`)
	// Secrets Manager ARN, with an optional :json-key:version-stage:version-id.
	smArnRe     = regexp.MustCompile(`^(arn:aws:secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@\-]+))(:[^:]*:[^:]*:[^:]*)?$`)
	smSuffixRe  = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)
	kmsKeyArnRe = regexp.MustCompile(`^arn:aws:kms:([a-z0-9-]+):(\d{12}):key/[0-9a-f-]{36}$|^arn:aws:kms:([a-z0-9-]+):(\d{12}):key/mrk-[0-9a-f]{32}$`)
)

// validateOperations checks the production settings.
func validateOperations(c *Config, p *parser) {
	checkScaling(p, c)
	checkSecrets(p, c)
	oneOf(p, "waf", c.Waf, map[Waf]string{WafOff: "none", WafCount: "log what the rules would block, block nothing", WafBlock: "Security Hub ELB.16"})
	between(p, "wafRateLimit", c.WafRateLimit, awsfacts.MinRateBasedLimit, awsfacts.MaxRateBasedLimit, "requests per session or address in 5 minutes (WAF's range)")
	between(p, "wafIpRateLimit", c.WafIPRateLimit, awsfacts.MinRateBasedLimit, awsfacts.MaxRateBasedLimit, "requests per address in 5 minutes (WAF's range)")
	if c.WafIPRateLimit < c.WafRateLimit && p.ok("wafIpRateLimit") && p.ok("wafRateLimit") {
		p.add(k("wafIpRateLimit"), "is %d, below wafRateLimit (%d): the per-address backstop counts everyone behind an address, so it must allow at least what one session may do; raise it (an office needs about 100 requests per person in 5 minutes)", c.WafIPRateLimit, c.WafRateLimit)
	}
	oneOf(p, "capacity", c.Capacity, map[Capacity]string{CapacityFargate: "on-demand Fargate", CapacitySpot: "Fargate Spot, up to ~70% cheaper, tasks may be stopped with two minutes' notice", CapacityMixed: "onDemandBase tasks on demand, the rest on Spot"})
	switch c.Capacity {
	case CapacityFargate, CapacitySpot:
		if c.OnDemandBase != defaultOnDemandBase {
			p.add(k("onDemandBase"), "is set, but it applies only with capacity %q: remove it, or set capacity to %s", CapacityMixed, CapacityMixed)
		}
	case CapacityMixed:
		between(p, "onDemandBase", c.OnDemandBase, 1, MaxDesiredCount, "tasks: with capacity mixed, at least one task runs on demand, so the site stays up when Spot capacity is reclaimed")
	}
	if c.Exec && c.BuiltInApp {
		p.add(k("exec"), "is true, but the built-in app's image (distroless) has no shell to run: turn exec off, or run an image of your own with one")
	}
	between(p, "imageRetention", c.ImageRetention, 1, MaxImageRetention, "images of the built-in app kept in its repository")
}

func checkScaling(p *parser, c *Config) {
	minKey := k("minCount")
	if !p.ok("minCount") || !p.ok("maxCount") || !p.ok("desiredCount") {
		return
	}
	switch {
	case c.MinCount == 0 && c.MaxCount == 0:
		return // no autoscaling
	case c.MinCount == 0 || c.MaxCount == 0:
		p.add(minKey, "and maxCount turn autoscaling on together: set both (minCount <= desiredCount <= maxCount), or neither")
	case c.MinCount < 1 || c.MaxCount > MaxDesiredCount:
		p.add(minKey, "is %d and maxCount %d; the service scales between 1 and %d tasks", c.MinCount, c.MaxCount, MaxDesiredCount)
	case c.MinCount > c.MaxCount:
		p.add(minKey, "is %d, more than maxCount (%d): set minCount <= maxCount", c.MinCount, c.MaxCount)
	case c.DesiredCount < c.MinCount || c.DesiredCount > c.MaxCount:
		p.add(k("desiredCount"), "is %d, outside minCount..maxCount (%d..%d); with autoscaling it is the starting size: set it within the range", c.DesiredCount, c.MinCount, c.MaxCount)
	}
}

func checkSecrets(p *parser, c *Config) {
	if len(c.Secrets) > MaxSecrets {
		p.add(k("secrets"), "lists %d secrets; at most %d are supported", len(c.Secrets), MaxSecrets)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Secrets)) {
		key := fmt.Sprintf("%s.%s", k("secrets"), name)
		switch {
		case !envNameRe.MatchString(name):
			p.add(key, "%q is not a valid environment variable name: use letters, digits and underscores, not starting with a digit", name)
		case slices.Contains(StackEnvironment, name):
			p.add(key, "%s is set by the stack itself: choose another name", name)
		case hasKey(c.Environment, name):
			p.add(key, "%s is also in environment: a variable comes from one place; remove it from one of the two", name)
		default:
			if _, msg := parseSecretRef(name, c.Secrets[name], c.Provider.Region); msg != "" {
				p.add(key, "%s", msg)
			}
		}
	}
	if c.SecretsKmsKey != "" && !kmsKeyArnRe.MatchString(c.SecretsKmsKey) {
		p.add(k("secretsKmsKey"), "%q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); name the customer managed key that encrypts the secrets (AWS managed keys need no permission)", c.SecretsKmsKey)
	}
	if c.SecretsKmsKey != "" && len(c.Secrets) == 0 {
		p.add(k("secretsKmsKey"), "is set, but secrets lists none: remove it")
	}
}

// SecretRefs are the configured secrets, sorted by name, each with what the
// execution role needs to read it.
func (c *Config) SecretRefs() []SecretRef {
	var out []SecretRef
	for _, name := range slices.Sorted(maps.Keys(c.Secrets)) {
		r, _ := parseSecretRef(name, c.Secrets[name], c.Provider.Region)
		out = append(out, r)
	}
	return out
}

// parseSecretRef reads one reference and what the execution role needs to
// read it, or says what is wrong with it.
func parseSecretRef(name, ref, region string) (SecretRef, string) {
	r := SecretRef{Name: name, ValueFrom: ref}
	switch {
	case strings.HasPrefix(ref, "arn:aws:secretsmanager:"):
		m := smArnRe.FindStringSubmatch(ref)
		if m == nil {
			return r, fmt.Sprintf("%q is not a Secrets Manager secret ARN: arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally followed by :<json-key>:<version-stage>:<version-id> (keep the colons of parts you leave out, e.g. :password::)", ref)
		}
		r.Action = "secretsmanager:GetSecretValue"
		// A partial ARN (without the "-" and six random characters
		// Secrets Manager appends to the name) matches the secret whatever
		// its suffix. A name that ends like a suffix ("my-secret") may be
		// either, so the role may read both.
		r.Resources = []string{m[1] + "-??????"}
		if smSuffixRe.MatchString(m[4]) {
			r.Resources = []string{m[1], m[1] + "-??????"}
		}
	case strings.HasPrefix(ref, "arn:"):
		m := ssmArnRe.FindStringSubmatch(ref)
		if m == nil {
			return r, fmt.Sprintf("%q is neither an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>) nor a Secrets Manager secret ARN", ref)
		}
		r.Action, r.Resources = "ssm:GetParameters", []string{ref}
	default:
		if !ssmNameRe.MatchString(ref) || len(ref) > 2048 {
			return r, fmt.Sprintf("%q is not an SSM parameter name (letters, digits, _ . - and / for a hierarchy, e.g. /app/db-password), an SSM parameter ARN or a Secrets Manager secret ARN", ref)
		}
		r.Action = "ssm:GetParameters"
		r.Resources = []string{fmt.Sprintf("arn:aws:ssm:%s:{account}:parameter/%s", region, strings.TrimPrefix(ref, "/"))}
	}
	return r, ""
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}
