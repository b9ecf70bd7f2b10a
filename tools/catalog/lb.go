package catalog

import (
	"fmt"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// albZoneIDs are the real Route 53 zone ids of ALBs in a few regions; alias
// records point at them.
var albZoneIDs = map[string]string{
	"us-east-1":    "Z35SXDOTRQ7X7K",
	"us-east-2":    "Z3AADJGX6KTTL2",
	"us-west-2":    "Z1H1FL5HABSF5",
	"eu-west-1":    "Z32O12XQLNTSW2",
	"eu-central-1": "Z215JYRZR1TBD5",
}

// LoadBalancer is the Application Load Balancer.
var LoadBalancer = register(Type{
	Token:     "aws:lb/loadBalancer:LoadBalancer",
	Terraform: "aws_lb",
	Deploy: Deploy{
		Actions:            []string{"ec2:DescribeNetworkInterfaces", "elasticloadbalancing:AddTags", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DescribeCapacityReservation", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets"},
		ServiceLinkedRoles: always("elasticloadbalancing.amazonaws.com"),
	},
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"},
		Sets:      []string{"securityGroups", "subnets", "subnetMappings"},
		Claims:    namedClaim("load balancer", "name"),
		Loses:     "the load balancer and its DNS name are deleted; the site is down until DNS follows",
		DeletionProtected: func(r snapshot.Resource) bool {
			return r.Inputs["enableDeletionProtection"] == true
		},
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		suffix := "app/" + p + "/" + m.Hex("arn", 16)
		m.ID = m.ArnPrefix("elasticloadbalancing") + "loadbalancer/" + suffix
		m.Set("arn", m.ID)
		m.Set("arnSuffix", suffix)
		m.Set("name", p)
		m.Set("dnsName", fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", p, digitsOf(m.URN, 10), m.Region))
		zone, ok := albZoneIDs[m.Region]
		if !ok {
			zone = albZoneIDs["us-east-1"]
		}
		m.Set("zoneId", zone)
	},
	Cost: Cost{Priced: "load balancer hours and LCUs; its public IPv4 addresses"},
})

// TargetGroup is where the rules forward: the tasks.
var TargetGroup = register(Type{
	Token:     "aws:lb/targetGroup:TargetGroup",
	Terraform: "aws_lb_target_group",
	Deploy: Deploy{
		Actions: []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:RemoveTags"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"},
		Claims:    namedClaim("target group", "name"),
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		suffix := "targetgroup/" + p + "/" + m.Hex("arn", 16)
		m.ID = m.ArnPrefix("elasticloadbalancing") + suffix
		m.Set("arn", m.ID)
		m.Set("arnSuffix", suffix)
		m.Set("name", p)
	},
	Cost: Cost{Free: "target groups cost nothing"},
})

// Listener is the HTTPS or the HTTP listener.
var Listener = register(Type{
	Token:     "aws:lb/listener:Listener",
	Terraform: "aws_lb_listener",
	Deploy: Deploy{
		Actions: []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:RemoveTags"},
	},
	Update: Update{
		ReplaceOn: []string{"loadBalancerArn"},
		Claims: func(r snapshot.Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("port %v of load balancer %v", r.Inputs["port"], r.Inputs["loadBalancerArn"]), From: []string{"loadBalancerArn", "port"}}}
		},
	},
	Mock: func(m *Mock) {
		m.ID = m.ArnPrefix("elasticloadbalancing") + "listener/app/" + m.Name + "/" + m.Hex("lb", 16) + "/" + m.Hex("arn", 16)
		m.Set("arn", m.ID)
	},
	Cost: Cost{Free: "included in the load balancer's price"},
})

// ListenerRule is one rule of the HTTPS listener.
var ListenerRule = register(Type{
	Token:     "aws:lb/listenerRule:ListenerRule",
	Terraform: "aws_lb_listener_rule",
	Deploy: Deploy{
		Actions: []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:SetRulePriorities"},
	},
	Update: Update{
		// A rule without an authenticate action lets anyone reach what its
		// conditions match.
		Grants: func(r snapshot.Resource) map[string]string {
			public := ""
			if !strings.Contains(fmt.Sprint(r.Inputs["actions"]), "authenticate-cognito") {
				public = jsonText(r.Inputs["conditions"])
			}
			return map[string]string{"what anyone may reach without signing in (rule " + r.Name + ")": public}
		},
		// The priority changes in place (SetRulePriorities): a rule may not
		// move onto a priority another rule still holds.
		ReplaceOn: []string{"listenerArn"},
		Sets:      []string{"conditions", "conditions.hostHeader.values", "conditions.pathPattern.values", "conditions.httpHeader.values", "conditions.httpRequestMethod.values", "conditions.sourceIp.values", "conditions.queryStrings"},
		Claims: func(r snapshot.Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("priority %v on listener %v", r.Inputs["priority"], r.Inputs["listenerArn"]), From: []string{"listenerArn", "priority"}}}
		},
	},
	Mock: func(m *Mock) {
		m.ID = m.ArnPrefix("elasticloadbalancing") + "listener-rule/app/" + m.Name + "/" + m.Hex("lb", 16) + "/" + m.Hex("arn", 16)
		m.Set("arn", m.ID)
	},
	Cost: Cost{Free: "included in the load balancer's price (LCUs count rule evaluations)"},
})
