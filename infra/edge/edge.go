// Package edge builds what faces the internet: the load balancer and its
// security group, the certificate and its DNS validation, the listeners, the
// Cognito sign-in rules, the target group, and the site's DNS records.
package edge

import (
	"errors"
	"fmt"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:edge:Edge"

// Args configures the edge. Values wired from other components are Inputs;
// host names, paths and switches decide which resources exist and are plain,
// validated by infra/config; none has a default here.
type Args struct {
	VpcID           pulumi.StringInput      // required
	VpcCidr         pulumi.StringInput      // required: the ALB may reach the tasks only inside it
	PublicSubnetIds pulumi.StringArrayInput // required: two or more zones (ELB.13)

	// HostedZoneName is the public Route 53 zone holding every host name.
	HostedZoneName string
	// HostNames are every host users browse to; the first is the certificate's
	// Common Name and the site URL. At least one.
	HostNames []string
	// PublicPaths are path patterns served without sign-in.
	PublicPaths []string
	// APIPaths are path patterns where a request without a session gets
	// 401 instead of a redirect to the sign-in page.
	APIPaths []string

	// ContainerPort is where the target group sends traffic.
	ContainerPort int
	// HealthCheckPath is the target group health check.
	HealthCheckPath string

	UserPoolArn      pulumi.StringInput // required
	UserPoolClientID pulumi.StringInput // required
	UserPoolDomain   pulumi.StringInput // required: the hosted UI prefix
	// Scopes the ALB requests at sign-in.
	Scopes []string
	// DirectProvider, when set, sends users straight to this identity
	// provider instead of Cognito's chooser (identity_provider).
	DirectProvider string
	// AuthDomainName gives the sign-in pages the stack's own domain
	// (authdomain.go); UserPoolID is then required.
	AuthDomainName string
	UserPoolID     pulumi.StringInput
	// Provider is the stack's AWS provider configuration: its region (for
	// the access log delivery principal), and what the us-east-1 provider of
	// a custom sign-in domain copies.
	Provider config.Provider

	// AccountID is the stack's account (for the access log bucket policy).
	AccountID pulumi.StringInput
	// AccessLogs writes the load balancer's access logs to a bucket of the
	// stack (ELB.5), kept for LogRetentionDays.
	AccessLogs       bool
	LogRetentionDays int
	// Waf puts a web ACL in front of the load balancer (waf.go); its rate
	// rules act beyond WafRateLimit requests in 5 minutes per session (or
	// per address without one), and beyond WafIPRateLimit per address.
	Waf            config.Waf
	WafRateLimit   int
	WafIPRateLimit int
	// SessionTimeoutSeconds is how long an ALB sign-in session lasts.
	SessionTimeoutSeconds int

	// Protect turns on ALB deletion protection (ELB.6).
	Protect bool
}

// Edge is the load balancer and everything in front of the tasks.
type Edge struct {
	pulumi.ResourceState

	AlbArn           pulumi.StringOutput `pulumi:"albArn"`
	AlbDNSName       pulumi.StringOutput `pulumi:"albDnsName"`
	AlbZoneID        pulumi.StringOutput `pulumi:"albZoneId"`
	SecurityGroupID  pulumi.StringOutput `pulumi:"securityGroupId"`
	TargetGroupArn   pulumi.StringOutput `pulumi:"targetGroupArn"`
	HTTPSListenerArn pulumi.StringOutput `pulumi:"httpsListenerArn"`
	CertificateArn   pulumi.StringOutput `pulumi:"certificateArn"`
	URL              pulumi.StringOutput `pulumi:"url"`
	// SignInURL is the base URL of the hosted sign-in pages on the custom
	// domain, when there is one.
	SignInURL pulumi.StringOutput `pulumi:"signInUrl"`
	// RequestCountLabel identifies the ALB and target group to CloudWatch's
	// ALBRequestCountPerTarget metric (app/<alb>/<id>/targetgroup/<tg>/<id>).
	RequestCountLabel pulumi.StringOutput `pulumi:"requestCountLabel"`
	// AccessLogBucket is the access log bucket's name ("" without one).
	AccessLogBucket pulumi.StringOutput `pulumi:"accessLogBucket"`

	// ListenerRules attach the target group to the load balancer; an ECS
	// service that uses the target group must depend on them.
	ListenerRules []pulumi.Resource
}

// NewEdge creates the load balancer, certificate, listeners, rules and DNS records.
func NewEdge(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Edge, error) {
	if args == nil {
		return nil, errors.New("edge: args are required")
	}
	a := *args
	switch {
	case a.VpcID == nil || a.VpcCidr == nil || a.PublicSubnetIds == nil:
		return nil, errors.New("edge: VpcId, VpcCidr and PublicSubnetIds are required")
	case a.UserPoolArn == nil || a.UserPoolClientID == nil || a.UserPoolDomain == nil:
		return nil, errors.New("edge: UserPoolArn, UserPoolClientId and UserPoolDomain are required")
	case a.HostedZoneName == "" || len(a.HostNames) == 0:
		return nil, errors.New("edge: HostedZoneName and at least one host name are required")
	case a.AuthDomainName != "" && a.UserPoolID == nil:
		return nil, errors.New("edge: AuthDomainName needs UserPoolId")
	case a.AccessLogs && (a.AccountID == nil || a.Provider.Region == "" || a.LogRetentionDays == 0):
		return nil, errors.New("edge: AccessLogs needs AccountId, Provider.Region and LogRetentionDays")
	case len(name)+len("-alb")+awsfacts.AutoNameSuffix > awsfacts.MaxLoadBalancerName:
		return nil, fmt.Errorf("edge: name %q is too long: load balancer names are limited to %d characters including Pulumi's suffix", name, awsfacts.MaxLoadBalancerName)
	}

	c := &Edge{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	zoneID := route53.LookupZoneOutput(ctx, route53.LookupZoneOutputArgs{
		Name:        pulumi.String(a.HostedZoneName),
		PrivateZone: pulumi.Bool(false),
	}, parent).ZoneId()

	sg, err := newSecurityGroup(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}
	alb, accessLogBucket, err := newLoadBalancer(ctx, name, a, sg, parent)
	if err != nil {
		return nil, err
	}
	certificateArn, err := newCertificate(ctx, name, a.HostNames, zoneID, parent)
	if err != nil {
		return nil, err
	}
	tg, err := newTargetGroup(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}
	https, err := newListeners(ctx, name, alb, certificateArn, parent)
	if err != nil {
		return nil, err
	}
	records, err := newRecords(ctx, name, a.HostNames, zoneID, alb, parent)
	if err != nil {
		return nil, err
	}
	signIn, err := newSignIn(ctx, name, a, zoneID, records, parent)
	if err != nil {
		return nil, err
	}
	if c.ListenerRules, err = newRules(ctx, name, a, signIn, https, tg, parent); err != nil {
		return nil, err
	}
	if a.Waf != config.WafOff {
		if err := newWaf(ctx, name, a.Waf, wafLimits{PerSession: a.WafRateLimit, PerIP: a.WafIPRateLimit}, alb.Arn, parent); err != nil {
			return nil, err
		}
	}

	c.AlbArn = alb.Arn
	c.RequestCountLabel = pulumi.Sprintf("%s/%s", alb.ArnSuffix, tg.ArnSuffix)
	c.AlbDNSName = alb.DnsName
	c.AlbZoneID = alb.ZoneId
	c.SecurityGroupID = sg.ID().ToStringOutput()
	c.TargetGroupArn = tg.Arn
	c.HTTPSListenerArn = https.Arn
	c.CertificateArn = certificateArn
	c.URL = pulumi.String("https://" + a.HostNames[0] + "/").ToStringOutput()
	c.SignInURL = signIn.url
	c.AccessLogBucket = accessLogBucket
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"albArn":            c.AlbArn,
		"albDnsName":        c.AlbDNSName,
		"albZoneId":         c.AlbZoneID,
		"securityGroupId":   c.SecurityGroupID,
		"targetGroupArn":    c.TargetGroupArn,
		"httpsListenerArn":  c.HTTPSListenerArn,
		"certificateArn":    c.CertificateArn,
		"url":               c.URL,
		"signInUrl":         c.SignInURL,
		"requestCountLabel": c.RequestCountLabel,
		"accessLogBucket":   c.AccessLogBucket,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// formerly says a resource was once registered under another name (under
// the same parent): Pulumi moves its state instead of replacing it.
func formerly(oldName string) pulumi.ResourceOption {
	return pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(oldName)}})
}

// parentDomain is a host name without its first label.
func parentDomain(host string) string { return host[strings.Index(host, ".")+1:] }
