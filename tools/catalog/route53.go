package catalog

import (
	"fmt"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Record is a DNS record in the hosted zone: a host's alias, or a
// certificate's validation record.
var Record = register(Type{
	Token:     "aws:route53/record:Record",
	Terraform: "aws_route53_record",
	Deploy: Deploy{
		Actions: []string{"route53:ChangeResourceRecordSets", "route53:GetChange", "route53:GetHostedZone", "route53:ListResourceRecordSets"},
	},
	Update: Update{
		// The name is compared lower-cased without the trailing dot; type,
		// records and alias change in place.
		ReplaceOn: []string{"zoneId", "name"},
		Sets:      []string{"records"},
		Claims: func(r snapshot.Resource) []Claim {
			name := strings.ToLower(strings.TrimSuffix(fmt.Sprint(r.Inputs["name"]), "."))
			return []Claim{{Key: fmt.Sprintf("record %s %v in zone %v", name, r.Inputs["type"], r.Inputs["zoneId"]), From: []string{"zoneId", "name", "type"}}}
		},
	},
	Mock: func(m *Mock) {
		fqdn := strings.TrimSuffix(m.Input("name"), ".")
		m.ID = fmt.Sprintf("%s_%s_%s", m.Input("zoneId"), fqdn, m.Input("type"))
		m.Set("fqdn", fqdn)
	},
	Cost: Cost{Free: "records cost nothing (the hosted zone is the user's, queries to alias records are free)"},
	Checks: []Check{{
		Source: "Route 53 ChangeResourceRecordSets: a DNS name of labels of 1 to 63 characters, 255 in all",
		Check: func(r snapshot.Resource) []Finding {
			n := strings.TrimSuffix(strings.ToLower(fmt.Sprint(r.Inputs["name"])), ".")
			ok := len(n) > 0 && len(n) <= 255
			for _, l := range strings.Split(n, ".") {
				ok = ok && awsfacts.DNSLabelRe.MatchString(l)
			}
			if !ok {
				return finding("name", "%q is not a DNS name Route 53 accepts", r.Inputs["name"])
			}
			return nil
		},
	}},
})
