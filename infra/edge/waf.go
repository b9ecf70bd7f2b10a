package edge

import (
	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/infra/awsraw"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The WAF resources, registered through awsraw: the wafv2 package is 12 MB of
// generated Go and would add about a minute and 4 GB of memory to every cold
// build, for two resources.
const (
	tWebACL            = "aws:wafv2/webAcl:WebAcl"
	tWebACLAssociation = "aws:wafv2/webAclAssociation:WebAclAssociation"
)

// Managed rule groups the web ACL runs, in order (AWS managed rules, no
// subscription fee): requests from IP addresses with a bad reputation,
// request patterns of known exploits, and the common rule set (OWASP Top
// 10 classes). With the rate limit they use about 930 of the 1,500 WCU a
// web ACL has without extra charge.
var managedRuleGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	"AWSManagedRulesKnownBadInputsRuleSet",
	"AWSManagedRulesCommonRuleSet",
}

// CommonRuleSetCountOnly are rules of the common rule set that only count,
// because they would block this stack's own traffic:
//   - SizeRestrictions_Cookie_HEADER blocks cookies over 10 KB, and the
//     ALB's sharded session cookie (AWSELBAuthSessionCookie-0..3) can grow
//     past that for users with many claims;
//   - SizeRestrictions_BODY blocks request bodies over 8 KB, i.e. every
//     upload and most form posts of the application behind the ALB, which
//     must enforce its own limits.
var CommonRuleSetCountOnly = []string{"SizeRestrictions_Cookie_HEADER", "SizeRestrictions_BODY"}

type webACLInputs struct {
	Scope            string        `pulumi:"scope"`
	Description      string        `pulumi:"description"`
	DefaultAction    wafAction     `pulumi:"defaultAction"`
	Rules            []wafRule     `pulumi:"rules"`
	VisibilityConfig wafVisibility `pulumi:"visibilityConfig"`
}

type wafAction struct {
	Allow *awsraw.Empty `pulumi:"allow"`
	Block *awsraw.Empty `pulumi:"block"`
	Count *awsraw.Empty `pulumi:"count"`
}

type wafOverride struct {
	Count *awsraw.Empty `pulumi:"count"`
	None  *awsraw.Empty `pulumi:"none"`
}

type wafRule struct {
	Name             string        `pulumi:"name"`
	Priority         int           `pulumi:"priority"`
	Action           *wafAction    `pulumi:"action"`
	OverrideAction   *wafOverride  `pulumi:"overrideAction"`
	Statement        wafStatement  `pulumi:"statement"`
	VisibilityConfig wafVisibility `pulumi:"visibilityConfig"`
}

type wafStatement struct {
	ManagedRuleGroupStatement *wafManagedGroup `pulumi:"managedRuleGroupStatement"`
	RateBasedStatement        *wafRateBased    `pulumi:"rateBasedStatement"`
	NotStatement              *wafNot          `pulumi:"notStatement"`
	ByteMatchStatement        *wafByteMatch    `pulumi:"byteMatchStatement"`
}

type wafManagedGroup struct {
	Name                string              `pulumi:"name"`
	VendorName          string              `pulumi:"vendorName"`
	RuleActionOverrides []wafActionOverride `pulumi:"ruleActionOverrides"`
	ScopeDownStatement  *wafStatement       `pulumi:"scopeDownStatement"`
}

type wafActionOverride struct {
	Name        string    `pulumi:"name"`
	ActionToUse wafAction `pulumi:"actionToUse"`
}

type wafRateBased struct {
	Limit            int    `pulumi:"limit"`
	AggregateKeyType string `pulumi:"aggregateKeyType"`
}

type wafNot struct {
	Statements []wafStatement `pulumi:"statements"`
}

type wafByteMatch struct {
	SearchString         string `pulumi:"searchString"`
	PositionalConstraint string `pulumi:"positionalConstraint"`
	FieldToMatch         struct {
		URIPath *awsraw.Empty `pulumi:"uriPath"`
	} `pulumi:"fieldToMatch"`
	TextTransformations []wafTextTransformation `pulumi:"textTransformations"`
}

type wafTextTransformation struct {
	Priority int    `pulumi:"priority"`
	Type     string `pulumi:"type"`
}

type wafVisibility struct {
	CloudwatchMetricsEnabled bool   `pulumi:"cloudwatchMetricsEnabled"`
	MetricName               string `pulumi:"metricName"`
	SampledRequestsEnabled   bool   `pulumi:"sampledRequestsEnabled"`
}

type webACLAssociationInputs struct {
	ResourceArn pulumi.StringInput `pulumi:"resourceArn"`
	WebACLArn   pulumi.StringInput `pulumi:"webAclArn"`
}

// newWAF puts a regional web ACL in front of the load balancer (Security Hub
// ELB.16): AWS managed rule groups and a per-IP rate limit, blocking in
// block mode and only counting in count mode. The common rule set is not
// applied to /oauth2/idpresponse, where Cognito sends users back with a
// code and a state of the ALB's own making: the ALB handles that path
// itself, and a false positive there would make sign-in impossible.
func newWaf(ctx *pulumi.Context, name string, mode config.Waf, rateLimit int, albArn pulumi.StringInput, parent pulumi.ResourceOption) error {
	empty := &awsraw.Empty{}
	override := &wafOverride{None: empty}
	action := &wafAction{Block: empty}
	if mode == config.WafCount {
		override = &wafOverride{Count: empty}
		action = &wafAction{Count: empty}
	}
	visibility := func(metric string) wafVisibility {
		return wafVisibility{CloudwatchMetricsEnabled: true, MetricName: metric, SampledRequestsEnabled: true}
	}
	// The rate rule comes first, so requests the managed rules block
	// still count toward an address's rate.
	rules := []wafRule{{
		Name: "rate-limit-per-ip", Priority: 0, Action: action,
		Statement:        wafStatement{RateBasedStatement: &wafRateBased{Limit: rateLimit, AggregateKeyType: "IP"}},
		VisibilityConfig: visibility("rate-limit-per-ip"),
	}}
	for i, group := range managedRuleGroups {
		g := &wafManagedGroup{Name: group, VendorName: "AWS"}
		if group == "AWSManagedRulesCommonRuleSet" {
			for _, r := range CommonRuleSetCountOnly {
				g.RuleActionOverrides = append(g.RuleActionOverrides, wafActionOverride{Name: r, ActionToUse: wafAction{Count: empty}})
			}
			callback := &wafByteMatch{SearchString: awsfacts.CallbackPath, PositionalConstraint: "EXACTLY",
				TextTransformations: []wafTextTransformation{{Priority: 0, Type: "NONE"}}}
			callback.FieldToMatch.URIPath = empty
			g.ScopeDownStatement = &wafStatement{NotStatement: &wafNot{Statements: []wafStatement{{ByteMatchStatement: callback}}}}
		}
		rules = append(rules, wafRule{
			Name: group, Priority: 10 * (i + 1), OverrideAction: override,
			Statement:        wafStatement{ManagedRuleGroupStatement: g},
			VisibilityConfig: visibility(group),
		})
	}
	acl, err := awsraw.Register(ctx, tWebACL, name+"-waf", &webACLInputs{
		Scope: "REGIONAL",
		// WAF's description pattern allows no parentheses (the provider
		// checks only the length; the provider check's API rules check the
		// pattern, awsfacts.WAFDescriptionRe).
		Description:      "In front of the load balancer: a per-IP rate limit and AWS managed rules, mode " + string(mode),
		DefaultAction:    wafAction{Allow: empty},
		Rules:            rules,
		VisibilityConfig: visibility(name + "-waf"),
	}, parent)
	if err != nil {
		return err
	}
	// A resource has one web ACL: a new association takes the ALB over
	// from the old one, whose removal would then remove the new one. So a
	// replacement deletes the old association first.
	_, err = awsraw.Register(ctx, tWebACLAssociation, name+"-waf", &webACLAssociationInputs{
		ResourceArn: albArn, WebACLArn: acl.Arn,
	}, parent, pulumi.DeleteBeforeReplace(true))
	return err
}
