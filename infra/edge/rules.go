package edge

import (
	"strings"

	"github.com/example/alb-cognito-fargate/infra/listenerrules"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SessionCookieName is the ALB's auth cookie; it is sharded into
// <name>-0 .. <name>-3. Sign-out must expire every shard by this name.
const SessionCookieName = "AWSELBAuthSessionCookie"

// newRules creates the HTTPS listener's rules as listenerrules lays them
// out: public paths forward straight to the tasks, API paths and every
// other path on the site's hosts sign users in first (authenticate-cognito,
// then forward). Each rule waits for the sign-in domain it sends users to.
func newRules(ctx *pulumi.Context, name string, a Args, signIn *signIn, https *lb.Listener, tg *lb.TargetGroup, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, r := range listenerrules.Layout(a.HostNames, a.PublicPaths, a.APIPaths) {
		conditions := lb.ListenerRuleConditionArray{
			&lb.ListenerRuleConditionArgs{
				HostHeader: &lb.ListenerRuleConditionHostHeaderArgs{Values: pulumi.ToStringArray(r.Hosts)},
			},
		}
		if len(r.Paths) > 0 {
			conditions = append(conditions, &lb.ListenerRuleConditionArgs{
				PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray(r.Paths)},
			})
		}
		var actions lb.ListenerRuleActionArray
		if r.Authenticate {
			actions = append(actions, &lb.ListenerRuleActionArgs{
				Type: pulumi.String("authenticate-cognito"), Order: pulumi.Int(1), AuthenticateCognito: authenticate(a, signIn.domain, r.Deny),
			})
		}
		actions = append(actions, &lb.ListenerRuleActionArgs{
			Type: pulumi.String("forward"), Order: pulumi.Int(len(actions) + 1), TargetGroupArn: tg.Arn,
		})
		rule, err := lb.NewListenerRule(ctx, name+"-"+r.Name, &lb.ListenerRuleArgs{
			ListenerArn: https.Arn,
			Priority:    pulumi.Int(r.Priority),
			Conditions:  conditions,
			Actions:     actions,
		}, parent, pulumi.DependsOn(signIn.deps))
		if err != nil {
			return nil, err
		}
		out = append(out, rule)
	}
	return out, nil
}

// authenticate is the authenticate-cognito action: redirect to the sign-in
// pages without a session or, with deny (API calls), answer 401 instead of
// a redirect a fetch() cannot follow.
func authenticate(a Args, domain pulumi.StringInput, deny bool) *lb.ListenerRuleActionAuthenticateCognitoArgs {
	args := &lb.ListenerRuleActionAuthenticateCognitoArgs{
		UserPoolArn:              a.UserPoolArn,
		UserPoolClientId:         a.UserPoolClientID,
		UserPoolDomain:           domain,
		OnUnauthenticatedRequest: pulumi.String("authenticate"),
		Scope:                    pulumi.String(strings.Join(a.Scopes, " ")),
		SessionCookieName:        pulumi.String(SessionCookieName),
		SessionTimeout:           pulumi.Int(a.SessionTimeoutSeconds),
	}
	if deny {
		args.OnUnauthenticatedRequest = pulumi.String("deny")
	}
	if a.DirectProvider != "" {
		// One provider and no local users: straight to it, no chooser.
		args.AuthenticationRequestExtraParams = pulumi.StringMap{"identity_provider": pulumi.String(a.DirectProvider)}
	}
	return args
}
