package catalog

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// WebACL is the WAF web ACL in front of the load balancer (registered
// through infra/awsraw, whose caller spells the same token).
var WebACL = register(Type{
	Token:     "aws:wafv2/webAcl:WebAcl",
	Terraform: "aws_wafv2_web_acl",
	Deploy: Deploy{
		Actions: []string{"wafv2:CreateWebACL", "wafv2:DeleteWebACL", "wafv2:GetWebACL", "wafv2:ListTagsForResource", "wafv2:TagResource", "wafv2:UntagResource", "wafv2:UpdateWebACL"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "scope"},
		Claims:    namedClaim("web ACL", "name"),
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		m.ID = uuidOf(m.URN)
		m.Set("name", p)
		m.Set("arn", m.ArnPrefix("wafv2")+"regional/webacl/"+p+"/"+m.ID)
		m.Set("capacity", 927)
	},
	Cost: Cost{Priced: "WAF web ACL, rules and requests"},
	Checks: []Check{{
		Source: "WAFv2 CreateWebACL: Description, rule Name and MetricName patterns (botocore wafv2 service-2.json)",
		Check:  checkWebACL,
	}},
})

// WebACLAssociation attaches the web ACL to the load balancer.
var WebACLAssociation = register(Type{
	Token:     "aws:wafv2/webAclAssociation:WebAclAssociation",
	Terraform: "aws_wafv2_web_acl_association",
	Deploy: Deploy{
		Actions: []string{"elasticloadbalancing:SetWebAcl", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACLForResource"},
	},
	Update: Update{
		ReplaceOn: []string{"resourceArn", "webAclArn"},
		Claims:    oneOf("the web ACL of %v", "resourceArn"),
	},
	Mock: func(m *Mock) { m.ID = m.Input("webAclArn") + "," + m.Input("resourceArn") },
	Cost: Cost{Free: "part of the web ACL's price"},
})

func checkWebACL(r snapshot.Resource) []Finding {
	var out []Finding
	if d, ok := r.Inputs["description"].(string); ok && (len(d) > awsfacts.MaxWafDescriptionLength || !awsfacts.WafDescriptionRe.MatchString(d)) {
		out = append(out, finding("description", "WAF accepts only letters, digits, spaces and _+=:#@/-,. in a web ACL description (no parentheses), at most %d characters: %q", awsfacts.MaxWafDescriptionLength, d)...)
	}
	metric := func(prop string, v any) {
		if m := fmt.Sprint(v); !awsfacts.WafMetricRe.MatchString(m) || m == "All" || m == "Default_Action" {
			out = append(out, finding(prop, "WAF accepts only letters, digits and _#:.-/ in a metric name, not All or Default_Action: %q", m)...)
		}
	}
	if vc, ok := r.Inputs["visibilityConfig"].(map[string]any); ok {
		metric("visibilityConfig.metricName", vc["metricName"])
	}
	rules, _ := r.Inputs["rules"].([]any)
	for i, rule := range rules {
		m, _ := rule.(map[string]any)
		if n := fmt.Sprint(m["name"]); !awsfacts.WafNameRe.MatchString(n) {
			out = append(out, finding(fmt.Sprintf("rules[%d].name", i), "WAF accepts only letters, digits, _ and - in a rule name, at most 128 characters: %q", n)...)
		}
		if vc, ok := m["visibilityConfig"].(map[string]any); ok {
			metric(fmt.Sprintf("rules[%d].visibilityConfig.metricName", i), vc["metricName"])
		}
	}
	return out
}
