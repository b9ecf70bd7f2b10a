// Package awsfacts holds what AWS sets and the program must respect: limits,
// patterns and fixed paths, each with where it comes from. Configuration
// validation (infra/config) checks the stack's values against them before
// anything is registered, and the provider check's API rules
// (tools/catalog) check the synthesized resources against the very same
// values, so the two can never disagree. It has no dependencies.
package awsfacts

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Fargate task sizes (ECS developer guide, "Task CPU and memory"): for each
// CPU value, the memory sizes in MiB Fargate offers with it.
var fargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   steps(1024, 4096, 1024),
	1024:  steps(2048, 8192, 1024),
	2048:  steps(4096, 16384, 1024),
	4096:  steps(8192, 30720, 1024),
	8192:  steps(16384, 61440, 4096),
	16384: steps(32768, 122880, 8192),
}

func steps(from, to, step int) []int {
	var out []int
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return out
}

// FargateCPUs are the CPU values (units) Fargate offers, in ascending order.
func FargateCPUs() []int {
	out := make([]int, 0, len(fargateMemory))
	for cpu := range fargateMemory {
		out = append(out, cpu)
	}
	slices.Sort(out)
	return out
}

// FargateMemory returns the memory sizes (MiB) Fargate offers with cpu, or
// nil when cpu is not a Fargate CPU value.
func FargateMemory(cpu int) []int { return fargateMemory[cpu] }

// FargateOffers reports whether Fargate has a task size of cpu units and
// memory MiB ("No Fargate configuration exists" otherwise).
func FargateOffers(cpu, memory int) bool { return slices.Contains(fargateMemory[cpu], memory) }

// MaxTaskDefinitionBytes is the most ECS RegisterTaskDefinition accepts
// ("Max allowed length is '65536' bytes").
const MaxTaskDefinitionBytes = 65536

// Cognito domain prefixes (CloudFormation AWS::Cognito::UserPoolDomain;
// CreateUserPoolDomain): lower-case letters, digits and hyphens, 1 to 63,
// not starting or ending with a hyphen, and none of the reserved words.
var (
	cognitoPrefixRe            = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	CognitoPrefixReservedWords = []string{"aws", "amazon", "cognito"}
)

// CheckCognitoPrefix returns what is wrong with a Cognito domain prefix, or "".
func CheckCognitoPrefix(prefix string) string {
	if !cognitoPrefixRe.MatchString(prefix) {
		return fmt.Sprintf("%q is not a valid Cognito domain prefix: use 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen", prefix)
	}
	for _, w := range CognitoPrefixReservedWords {
		if strings.Contains(prefix, w) {
			return fmt.Sprintf("%q contains the reserved word %q, which Cognito rejects in a domain prefix", prefix, w)
		}
	}
	return ""
}

// ALB facts (Elastic Load Balancing user guide, "Listener rules" and
// "Quotas for your Application Load Balancers").
const (
	// CallbackPath is where Cognito returns the browser to the load
	// balancer after sign-in; the authenticate-cognito action handles it.
	CallbackPath = "/oauth2/idpresponse"
	// MaxConditionValues: one listener rule condition holds at most three
	// values; MaxRuleValues: a rule's conditions hold at most five in all.
	MaxConditionValues = 3
	MaxRuleValues      = 5
	// MaxListenerRules is the quota of rules per load balancer, default
	// rules excluded (not adjustable).
	MaxListenerRules = 100
	// MaxHostHeaderLength: a host-header condition value (ELB API
	// HostHeaderConditionConfig).
	MaxHostHeaderLength = 128
	// MaxPathPatternLength: a path-pattern condition value.
	MaxPathPatternLength = 128
	// MaxSessionTimeoutSeconds: the authenticate action's session timeout (7 days).
	MaxSessionTimeoutSeconds = 604800
	// AutoNameSuffix is what Pulumi's auto-naming appends ("-" and seven
	// characters); ALB and target group names are at most 32 characters.
	AutoNameSuffix      = 8
	MaxLoadBalancerName = 32
)

// ACM: a certificate holds at most MaxCertificateNames names by default
// (ACM quotas), and its first name is its Common Name, at most
// MaxCommonNameLength characters (RFC 5280; ACM RequestCertificate).
const (
	MaxCertificateNames = 10
	MaxCommonNameLength = 64
)

// LogRetentionDays are the values CloudWatch Logs PutRetentionPolicy accepts.
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Ec2DescriptionRe is what EC2 accepts in a security group's or a rule's
// description (CreateSecurityGroup GroupDescription, at most 255
// characters); the provider checks the pattern only on rule descriptions.
var Ec2DescriptionRe = regexp.MustCompile(`^[0-9A-Za-z_ .:/()#,@\[\]+=&;{}!$*-]{0,255}$`)

// WAFv2 API patterns (botocore wafv2 service-2.json: EntityDescription,
// EntityName, MetricName); the provider checks only their lengths.
var (
	WafDescriptionRe = regexp.MustCompile(`^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$`)
	WafNameRe        = regexp.MustCompile(`^[\w-]{1,128}$`)
	WafMetricRe      = regexp.MustCompile(`^[\w#:.\-/]{1,255}$`)
)

// MaxWafDescriptionLength is WAF's limit on a web ACL's description.
const MaxWafDescriptionLength = 256

// WAF rate-based rules count requests over five minutes and accept limits
// from MinRateBasedLimit to MaxRateBasedLimit (WAFv2 RateBasedStatement Limit).
const (
	MinRateBasedLimit = 10
	MaxRateBasedLimit = 2_000_000_000
)

// DNSLabelRe is one label of a DNS name Route 53 accepts (1 to 63 letters,
// digits, hyphens and underscores; a lone * for a wildcard).
var DNSLabelRe = regexp.MustCompile(`^(\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)$`)

// Cognito identity provider names (ProviderNameTypeV2): 3 to 32
// characters, not starting or ending with an underscore or a space.
const (
	MinIdpNameLength = 3
	MaxIdpNameLength = 32
)

// IdpNameRe is Cognito's ProviderNameTypeV2 pattern, its length included;
// the provider checks only the length, from 1.
var IdpNameRe = regexp.MustCompile(`^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}]{1,30}[^_\p{Z}]$`)

// What Cognito keeps for an identity provider beyond what it is sent
// (DescribeIdentityProvider), which the provider then diffs against the
// stack's inputs: every preview would show an update unless the program
// sends the same values or ignores the keys by their exact paths
// (pulumi-aws#679, #5401; terraform-provider-aws#42157, #4831, #4807).
var (
	// GoogleStoredDetails are the provider details Cognito fills in for
	// every Google provider, the same for all.
	GoogleStoredDetails = map[string]string{
		"attributes_url":                "https://people.googleapis.com/v1/people/me?personFields=",
		"attributes_url_add_attributes": "true",
		"authorize_url":                 "https://accounts.google.com/o/oauth2/v2/auth",
		"oidc_issuer":                   "https://accounts.google.com",
		"token_request_method":          "POST",
		"token_url":                     "https://www.googleapis.com/oauth2/v4/token",
	}
	// OidcStoredDetails are the details Cognito keeps for an OIDC provider
	// of its own: the endpoints it discovers from the issuer, and a flag it
	// sets itself (read-only in the API).
	OidcStoredDetails = []string{"attributes_url", "attributes_url_add_attributes", "authorize_url", "jwks_uri", "token_url"}
	// SamlStoredDetails are the details Cognito derives for a SAML
	// provider: its own encryption certificate, and the sign-in and
	// sign-out URLs it reads from the IdP's metadata.
	SamlStoredDetails = []string{"ActiveEncryptionCertificate", "SLORedirectBindingURI", "SSORedirectBindingURI"}
	// FederatedUsername is the attribute mapping Cognito adds to Google and
	// OIDC providers: the user name comes from the IdP's subject.
	FederatedUsername = map[string]string{"username": "sub"}
)
