package tfcheck

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/synth"
)

// Rules that AWS enforces at create time and the provider does not check
// before it calls the API (found by breaking each value on purpose: the
// provider's validate and plan accept it). They run on the synthesized
// inputs, without Terraform.
type awsRule struct {
	typ   string // pulumi-aws token
	check func(r synth.Resource) []Problem
	// source of the rule, for the README and for whoever edits this.
	source string
}

var (
	// EC2 CreateSecurityGroup GroupDescription (VPC): the provider checks
	// the same pattern only on rule descriptions.
	ec2DescriptionRe = regexp.MustCompile(`^[0-9A-Za-z_ .:/()#,@\[\]+=&;{}!$*-]*$`)
	cognitoPrefixRe  = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	dnsLabelRe       = regexp.MustCompile(`^(\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)$`)
	// WAFv2 API patterns (EntityDescription, EntityName, MetricName); the
	// provider checks only their lengths.
	wafDescriptionRe = regexp.MustCompile(`^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$`)
	wafNameRe        = regexp.MustCompile(`^[\w-]{1,128}$`)
	wafMetricRe      = regexp.MustCompile(`^[\w#:.\-/]{1,255}$`)
)

// MaxTaskDefinitionBytes is ECS's limit on a registered task definition
// ("Max allowed length is '65536' bytes").
const MaxTaskDefinitionBytes = 65536

// fargateMemory is what Fargate accepts per CPU value (ECS task-cpu-memory docs).
var fargateMemory = map[int]func(int) bool{
	256:   func(m int) bool { return m == 512 || m == 1024 || m == 2048 },
	512:   func(m int) bool { return m >= 1024 && m <= 4096 && m%1024 == 0 },
	1024:  func(m int) bool { return m >= 2048 && m <= 8192 && m%1024 == 0 },
	2048:  func(m int) bool { return m >= 4096 && m <= 16384 && m%1024 == 0 },
	4096:  func(m int) bool { return m >= 8192 && m <= 30720 && m%1024 == 0 },
	8192:  func(m int) bool { return m >= 16384 && m <= 61440 && m%4096 == 0 },
	16384: func(m int) bool { return m >= 32768 && m <= 122880 && m%8192 == 0 },
}

var awsRules = []awsRule{
	{
		typ:    "aws:wafv2/webAcl:WebAcl",
		source: "WAFv2 CreateWebACL: Description, rule Name and MetricName patterns (botocore wafv2 service-2.json)",
		check: func(r synth.Resource) []Problem {
			var out []Problem
			if d, ok := r.Inputs["description"].(string); ok && (len(d) > 256 || !wafDescriptionRe.MatchString(d)) {
				out = append(out, problem(r, "description", "WAF accepts only letters, digits, spaces and _+=:#@/-,. in a web ACL description (no parentheses), at most 256 characters: %q", d)...)
			}
			metric := func(prop string, v any) {
				if m := fmt.Sprint(v); !wafMetricRe.MatchString(m) || m == "All" || m == "Default_Action" {
					out = append(out, problem(r, prop, "WAF accepts only letters, digits and _#:.-/ in a metric name, not All or Default_Action: %q", m)...)
				}
			}
			if vc, ok := r.Inputs["visibilityConfig"].(map[string]any); ok {
				metric("visibilityConfig.metricName", vc["metricName"])
			}
			rules, _ := r.Inputs["rules"].([]any)
			for i, rule := range rules {
				m, _ := rule.(map[string]any)
				if n := fmt.Sprint(m["name"]); !wafNameRe.MatchString(n) {
					out = append(out, problem(r, fmt.Sprintf("rules[%d].name", i), "WAF accepts only letters, digits, _ and - in a rule name, at most 128 characters: %q", n)...)
				}
				if vc, ok := m["visibilityConfig"].(map[string]any); ok {
					metric(fmt.Sprintf("rules[%d].visibilityConfig.metricName", i), vc["metricName"])
				}
			}
			return out
		},
	},
	{
		typ:    "aws:ec2/securityGroup:SecurityGroup",
		source: "EC2 CreateSecurityGroup: GroupDescription up to 255 characters of a-z A-Z 0-9 spaces ._-:/()#,@[]+=&;{}!$*",
		check: func(r synth.Resource) []Problem {
			d, _ := r.Inputs["description"].(string)
			if len(d) > 255 || !ec2DescriptionRe.MatchString(d) {
				return problem(r, "description", "EC2 accepts only a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{}!$* in a security group description, at most 255 characters: %q", d)
			}
			return nil
		},
	},
	{
		typ:    "aws:cognito/userPoolDomain:UserPoolDomain",
		source: "Cognito CreateUserPoolDomain: a prefix domain matches ^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$ and contains no aws, amazon or cognito",
		check: func(r synth.Resource) []Problem {
			if _, custom := r.Inputs["certificateArn"]; custom {
				return nil // a custom domain is a host name, checked by ACM and Route 53
			}
			d, _ := r.Inputs["domain"].(string)
			if !cognitoPrefixRe.MatchString(d) {
				return problem(r, "domain", "%q is not a valid Cognito domain prefix (lower-case letters, digits and hyphens, 1 to 63)", d)
			}
			for _, w := range []string{"aws", "amazon", "cognito"} {
				if strings.Contains(d, w) {
					return problem(r, "domain", "Cognito rejects a domain prefix containing %q: %q", w, d)
				}
			}
			return nil
		},
	},
	{
		typ:    "aws:ecs/taskDefinition:TaskDefinition",
		source: "ECS RegisterTaskDefinition: at most 64 KiB; Fargate task-cpu-memory table",
		check: func(r synth.Resource) []Problem {
			var out []Problem
			if b, err := json.Marshal(r.Inputs); err == nil && len(b) > MaxTaskDefinitionBytes {
				out = append(out, problem(r, "containerDefinitions", "the task definition is %d bytes; ECS registers at most %d", len(b), MaxTaskDefinitionBytes)...)
			}
			if slices.Contains(strs(r.Inputs["requiresCompatibilities"]), "FARGATE") {
				cpu, _ := strconv.Atoi(fmt.Sprint(r.Inputs["cpu"]))
				mem, _ := strconv.Atoi(fmt.Sprint(r.Inputs["memory"]))
				if ok, known := fargateMemory[cpu]; !known || !ok(mem) {
					out = append(out, problem(r, "memory", "Fargate offers no task size of cpu %v with memory %v (\"No Fargate configuration exists\")", r.Inputs["cpu"], r.Inputs["memory"])...)
				}
			}
			return out
		},
	},
	{
		typ:    "aws:cognito/userPoolClient:UserPoolClient",
		source: "Cognito app clients: callback and sign-out URLs must be absolute HTTPS URLs (http only for localhost) without a fragment",
		check: func(r synth.Resource) []Problem {
			var out []Problem
			for _, key := range []string{"callbackUrls", "logoutUrls"} {
				for i, u := range strs(r.Inputs[key]) {
					p, err := url.Parse(u)
					ok := err == nil && p.Host != "" && p.Fragment == "" &&
						(p.Scheme == "https" || p.Scheme == "http" && p.Hostname() == "localhost")
					if !ok {
						out = append(out, problem(r, fmt.Sprintf("%s[%d]", key, i), "Cognito accepts only absolute https URLs (http for localhost) without a fragment: %q", u)...)
					}
				}
			}
			return out
		},
	},
	{
		typ:    "aws:acm/certificate:Certificate",
		source: "ACM RequestCertificate: the first name is the Common Name, at most 64 characters",
		check: func(r synth.Resource) []Problem {
			if d, _ := r.Inputs["domainName"].(string); len(d) > 64 {
				return problem(r, "domainName", "ACM rejects a certificate whose first name (its Common Name) is longer than 64 characters: %q has %d", d, len(d))
			}
			return nil
		},
	},
	{
		typ:    "aws:route53/record:Record",
		source: "Route 53 ChangeResourceRecordSets: a DNS name of labels of 1 to 63 characters, 255 in all",
		check: func(r synth.Resource) []Problem {
			n := strings.TrimSuffix(strings.ToLower(fmt.Sprint(r.Inputs["name"])), ".")
			ok := len(n) > 0 && len(n) <= 255
			for _, l := range strings.Split(n, ".") {
				ok = ok && dnsLabelRe.MatchString(l)
			}
			if !ok {
				return problem(r, "name", "%q is not a DNS name Route 53 accepts", r.Inputs["name"])
			}
			return nil
		},
	},
}

// AWSRules checks stacks against the rules AWS enforces that the provider
// leaves to the API.
func AWSRules(stacks []Stack) []Problem {
	var out []Problem
	for _, st := range stacks {
		for _, r := range st.Result.Resources {
			for _, rule := range awsRules {
				if rule.typ != r.Type {
					continue
				}
				for _, p := range rule.check(r) {
					p.Stack = st.Name
					out = append(out, p)
				}
			}
		}
	}
	return out
}

func problem(r synth.Resource, property, format string, args ...any) []Problem {
	return []Problem{{URN: r.URN, Type: r.Type, Name: r.Name, Property: property, Message: fmt.Sprintf(format, args...)}}
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, fmt.Sprint(e))
	}
	return out
}
