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
// 10 classes). They use 925 of the 1,500 WCU a web ACL has without extra
// charge; this stack's own rules about 100 more.
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
	ManagedRuleGroupStatement *wafManagedGroup   `pulumi:"managedRuleGroupStatement"`
	RateBasedStatement        *wafRateBased      `pulumi:"rateBasedStatement"`
	NotStatement              *wafStatements     `pulumi:"notStatement"`
	OrStatement               *wafStatements     `pulumi:"orStatement"`
	ByteMatchStatement        *wafByteMatch      `pulumi:"byteMatchStatement"`
	SizeConstraintStatement   *wafSizeConstraint `pulumi:"sizeConstraintStatement"`
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
	Limit              int           `pulumi:"limit"`
	AggregateKeyType   string        `pulumi:"aggregateKeyType"`
	CustomKeys         []wafRateKey  `pulumi:"customKeys"`
	ScopeDownStatement *wafStatement `pulumi:"scopeDownStatement"`
}

type wafRateKey struct {
	Cookie *wafCookieKey `pulumi:"cookie"`
}

type wafCookieKey struct {
	Name                string                  `pulumi:"name"`
	TextTransformations []wafTextTransformation `pulumi:"textTransformations"`
}

// wafStatements is a NOT statement's one statement or an OR statement's
// several.
type wafStatements struct {
	Statements []wafStatement `pulumi:"statements"`
}

type wafFieldToMatch struct {
	URIPath      *awsraw.Empty    `pulumi:"uriPath"`
	SingleHeader *wafSingleHeader `pulumi:"singleHeader"`
	Cookies      *wafCookies      `pulumi:"cookies"`
}

// wafCookies inspects the values of the named cookies, as WAF parses them
// (the same parser as a rate rule's cookie key).
type wafCookies struct {
	MatchPatterns []struct {
		IncludedCookies []string `pulumi:"includedCookies"`
	} `pulumi:"matchPatterns"`
	MatchScope       string `pulumi:"matchScope"`
	OversizeHandling string `pulumi:"oversizeHandling"`
}

type wafSingleHeader struct {
	Name string `pulumi:"name"` // lower case, as WAF requires
}

type wafByteMatch struct {
	SearchString         string                  `pulumi:"searchString"`
	PositionalConstraint string                  `pulumi:"positionalConstraint"`
	FieldToMatch         wafFieldToMatch         `pulumi:"fieldToMatch"`
	TextTransformations  []wafTextTransformation `pulumi:"textTransformations"`
}

type wafSizeConstraint struct {
	ComparisonOperator  string                  `pulumi:"comparisonOperator"`
	Size                int                     `pulumi:"size"`
	FieldToMatch        wafFieldToMatch         `pulumi:"fieldToMatch"`
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

// ForgedIdentityHeaders are the headers the ALB adds after authenticating a
// user. A client that sends them itself is forging an identity: the ALB
// replaces them on authenticated rules, but AWS does not document what it
// does on rules without an authenticate action (the sign-out page, public
// paths), where an application that trusts them could be fooled.
var ForgedIdentityHeaders = []string{"x-amzn-oidc-data", "x-amzn-oidc-accesstoken", "x-amzn-oidc-identity"}

// WAF rule names, which are also their metric names.
const (
	RuleForgedHeaders = "block-forged-identity-headers"
	RulePerSession    = "rate-limit-per-session"
	RuleAnonymous     = "rate-limit-anonymous"
	RulePerIP         = "rate-limit-per-ip"
)

// wafLimits are the rate rules' limits, requests in any 5 minutes.
type wafLimits struct {
	PerSession int // per ALB session cookie; also per address for requests without one
	PerIP      int // per address, everything: the backstop
}

// newWaf puts a regional web ACL in front of the load balancer (Security
// Hub ELB.16), in this order:
//   - requests carrying a client-sent x-amzn-oidc-* header are blocked, in
//     count mode too: no browser sends them, and they are how an identity
//     is forged;
//   - rate limits that do not lock out an office behind one NAT address:
//     a signed-in user is counted by their ALB session cookie, a request
//     without one by its address, and every request by its address again
//     against a limit sized for an office (a client that invents session
//     cookies to escape the first two meets the third);
//   - AWS managed rule groups.
//
// The rate and managed rules block in block mode and only count in count
// mode. The common rule set is not applied to /oauth2/idpresponse, where
// Cognito sends users back with a code and a state of the ALB's own
// making: the ALB handles that path itself, and a false positive there
// would make sign-in impossible.
func newWaf(ctx *pulumi.Context, name string, mode config.Waf, limits wafLimits, albArn pulumi.StringInput, parent pulumi.ResourceOption) error {
	override, action := &wafOverride{None: empty}, &wafAction{Block: empty}
	if mode == config.WafCount {
		override, action = &wafOverride{Count: empty}, &wafAction{Count: empty}
	}
	rules := []wafRule{
		{Name: RuleForgedHeaders, Priority: 0, Action: &wafAction{Block: empty}, Statement: forgedHeaders()},
		{Name: RulePerSession, Priority: 1, Action: action, Statement: wafStatement{RateBasedStatement: &wafRateBased{
			Limit: limits.PerSession, AggregateKeyType: "CUSTOM_KEYS",
			CustomKeys: []wafRateKey{{Cookie: &wafCookieKey{Name: sessionCookie, TextTransformations: noTransformation}}},
		}}},
		{Name: RuleAnonymous, Priority: 2, Action: action, Statement: wafStatement{RateBasedStatement: &wafRateBased{
			Limit: limits.PerSession, AggregateKeyType: "IP",
			ScopeDownStatement: &wafStatement{NotStatement: &wafStatements{Statements: []wafStatement{hasSessionCookie()}}},
		}}},
		{Name: RulePerIP, Priority: 3, Action: action, Statement: wafStatement{RateBasedStatement: &wafRateBased{
			Limit: limits.PerIP, AggregateKeyType: "IP",
		}}},
	}
	for i, group := range managedRuleGroups {
		rules = append(rules, wafRule{
			Name: group, Priority: 10 * (i + 1), OverrideAction: override,
			Statement: wafStatement{ManagedRuleGroupStatement: managedGroup(group)},
		})
	}
	for i := range rules {
		rules[i].VisibilityConfig = visibility(rules[i].Name)
	}
	acl, err := awsraw.Register(ctx, tWebACL, name+"-waf", &webACLInputs{
		Scope: "REGIONAL",
		// WAF's description pattern allows no parentheses (the provider
		// checks only the length; the provider check's API rules check the
		// pattern, awsfacts.WAFDescriptionRe).
		Description:      "In front of the load balancer: forged identity headers, rate limits and AWS managed rules, mode " + string(mode),
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

var (
	empty            = &awsraw.Empty{}
	noTransformation = []wafTextTransformation{{Priority: 0, Type: "NONE"}}
	// sessionCookie is the first shard of the ALB's session cookie, which
	// every signed-in request carries.
	sessionCookie = SessionCookieName + "-0"
)

func visibility(metric string) wafVisibility {
	return wafVisibility{CloudwatchMetricsEnabled: true, MetricName: metric, SampledRequestsEnabled: true}
}

// forgedHeaders matches a request that carries any of ForgedIdentityHeaders
// with a value (a header WAF does not find does not match).
func forgedHeaders() wafStatement {
	var anyOf []wafStatement
	for _, h := range ForgedIdentityHeaders {
		anyOf = append(anyOf, wafStatement{SizeConstraintStatement: &wafSizeConstraint{
			ComparisonOperator: "GT", Size: 0,
			FieldToMatch:        wafFieldToMatch{SingleHeader: &wafSingleHeader{Name: h}},
			TextTransformations: noTransformation,
		}})
	}
	return wafStatement{OrStatement: &wafStatements{Statements: anyOf}}
}

// hasSessionCookie matches a request with a session cookie, found as the
// per-session rule finds its key: the two rate rules split requests
// exactly, whatever the cookie header looks like.
func hasSessionCookie() wafStatement {
	c := &wafCookies{MatchScope: "VALUE", OversizeHandling: "CONTINUE"}
	c.MatchPatterns = make([]struct {
		IncludedCookies []string `pulumi:"includedCookies"`
	}, 1)
	c.MatchPatterns[0].IncludedCookies = []string{sessionCookie}
	return wafStatement{SizeConstraintStatement: &wafSizeConstraint{
		ComparisonOperator: "GT", Size: 0, FieldToMatch: wafFieldToMatch{Cookies: c}, TextTransformations: noTransformation,
	}}
}

func managedGroup(group string) *wafManagedGroup {
	g := &wafManagedGroup{Name: group, VendorName: "AWS"}
	if group != "AWSManagedRulesCommonRuleSet" {
		return g
	}
	for _, r := range CommonRuleSetCountOnly {
		g.RuleActionOverrides = append(g.RuleActionOverrides, wafActionOverride{Name: r, ActionToUse: wafAction{Count: empty}})
	}
	callback := &wafByteMatch{SearchString: awsfacts.CallbackPath, PositionalConstraint: "EXACTLY",
		FieldToMatch: wafFieldToMatch{URIPath: empty}, TextTransformations: noTransformation}
	g.ScopeDownStatement = &wafStatement{NotStatement: &wafStatements{Statements: []wafStatement{{ByteMatchStatement: callback}}}}
	return g
}
