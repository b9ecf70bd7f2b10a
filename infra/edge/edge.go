// Package edge builds what faces the internet: the load balancer and its
// security group, the certificate and its DNS validation, the listeners, the
// Cognito sign-in rules, the target group, and the site's DNS records.
package edge

import (
	"errors"
	"fmt"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/rules"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:edge:Edge"

const (
	// SslPolicy is TLS 1.3 with TLS 1.2 fallback (Security Hub ELB.17/18).
	SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// SessionCookieName is the ALB's auth cookie; it is sharded into
	// <name>-0 .. <name>-3. Sign-out must expire every shard by this name.
	SessionCookieName = "AWSELBAuthSessionCookie"
	// MaxAutoNamedLength: Pulumi appends "-" and 7 random characters to a
	// logical name, and ALB and target group names may be at most 32 characters.
	MaxAutoNamedLength = 32 - 8
	// CallbackPath is where Cognito returns users to the ALB after sign-in.
	CallbackPath = "/oauth2/idpresponse"
)

// Args configures the edge. Values wired from other components are Inputs;
// host names, paths and switches decide which resources exist and are plain.
type Args struct {
	VpcId           pulumi.StringInput      // required
	VpcCidr         pulumi.StringInput      // required: the ALB may reach the tasks only inside it
	PublicSubnetIds pulumi.StringArrayInput // required: two or more zones (ELB.13)

	// HostedZoneName is the public Route 53 zone holding every host name. Required.
	HostedZoneName string
	// HostNames are every host users browse to; the first is the certificate's
	// Common Name and the site URL. Required.
	HostNames []string
	// PublicPaths are path patterns served without sign-in. Default none.
	PublicPaths []string
	// APIPaths are path patterns where a request without a session gets
	// 401 instead of a redirect to the sign-in page. Default none.
	APIPaths []string

	// ContainerPort is where the target group sends traffic. Default 80.
	ContainerPort int
	// HealthCheckPath is the target group health check. Default "/".
	HealthCheckPath string

	UserPoolArn      pulumi.StringInput // required
	UserPoolClientId pulumi.StringInput // required
	UserPoolDomain   pulumi.StringInput // required: the hosted UI prefix
	// Scopes the ALB requests at sign-in. Default openid.
	Scopes []string
	// DirectProvider, when set, sends users straight to this identity
	// provider instead of Cognito's chooser (identity_provider). Default "".
	DirectProvider string
	// AuthDomainName gives the sign-in pages the stack's own domain
	// (authdomain.go); UserPoolId is then required. Default "".
	AuthDomainName string
	UserPoolId     pulumi.StringInput
	// AwsProfile is copied to the us-east-1 provider (aws:profile).
	AwsProfile string

	// Region is the stack's region (for the access log delivery principal).
	Region string
	// AccountId is the stack's account (for the access log bucket policy).
	AccountId pulumi.StringInput
	// AccessLogs writes the load balancer's access logs to a bucket of the
	// stack (ELB.5), kept for LogRetentionDays. Default false.
	AccessLogs       bool
	LogRetentionDays int
	// Waf is "" (none), "count" or "block"; WafRateLimit is requests per IP
	// address per 5 minutes. Default "" and 2000.
	Waf          string
	WafRateLimit int
	// SessionTimeoutSeconds is how long an ALB sign-in session lasts. Default 43200.
	SessionTimeoutSeconds int

	// Protect turns on ALB deletion protection (ELB.6). Default false.
	Protect bool
}

// Edge is the load balancer and everything in front of the tasks.
type Edge struct {
	pulumi.ResourceState

	AlbArn           pulumi.StringOutput `pulumi:"albArn"`
	AlbDnsName       pulumi.StringOutput `pulumi:"albDnsName"`
	AlbZoneId        pulumi.StringOutput `pulumi:"albZoneId"`
	SecurityGroupId  pulumi.StringOutput `pulumi:"securityGroupId"`
	TargetGroupArn   pulumi.StringOutput `pulumi:"targetGroupArn"`
	HttpsListenerArn pulumi.StringOutput `pulumi:"httpsListenerArn"`
	CertificateArn   pulumi.StringOutput `pulumi:"certificateArn"`
	Url              pulumi.StringOutput `pulumi:"url"`
	// SignInUrl is the base URL of the hosted sign-in pages on the custom
	// domain, when there is one.
	SignInUrl pulumi.StringOutput `pulumi:"signInUrl"`
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
	if a.ContainerPort == 0 {
		a.ContainerPort = 80
	}
	if a.HealthCheckPath == "" {
		a.HealthCheckPath = "/"
	}
	if a.SessionTimeoutSeconds == 0 {
		a.SessionTimeoutSeconds = 43200
	}
	if len(a.Scopes) == 0 {
		a.Scopes = []string{"openid"}
	}
	if a.WafRateLimit == 0 {
		a.WafRateLimit = 2000
	}
	switch {
	case a.VpcId == nil || a.VpcCidr == nil || a.PublicSubnetIds == nil:
		return nil, errors.New("edge: VpcId, VpcCidr and PublicSubnetIds are required")
	case a.UserPoolArn == nil || a.UserPoolClientId == nil || a.UserPoolDomain == nil:
		return nil, errors.New("edge: UserPoolArn, UserPoolClientId and UserPoolDomain are required")
	case a.HostedZoneName == "" || len(a.HostNames) == 0:
		return nil, errors.New("edge: HostedZoneName and at least one host name are required")
	case a.AuthDomainName != "" && a.UserPoolId == nil:
		return nil, errors.New("edge: AuthDomainName needs UserPoolId")
	case a.AccessLogs && (a.AccountId == nil || a.Region == "" || a.LogRetentionDays == 0):
		return nil, errors.New("edge: AccessLogs needs AccountId, Region and LogRetentionDays")
	case a.Waf != "" && a.Waf != WafCount && a.Waf != WafBlock:
		return nil, fmt.Errorf("edge: Waf is %q; use count or block", a.Waf)
	case len(name)+len("-alb") > MaxAutoNamedLength:
		return nil, fmt.Errorf("edge: name %q is too long: load balancer names are limited to 32 characters including Pulumi's suffix", name)
	}

	c := &Edge{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	// The ALB takes HTTP and HTTPS from anyone. Outbound it needs 443 to the
	// internet, because the ALB itself calls Cognito's token and userInfo
	// endpoints (without it: HTTP 500 after sign-in), and the container port
	// inside the VPC to reach the tasks.
	sg, err := ec2.NewSecurityGroup(ctx, name+"-alb-sg", &ec2.SecurityGroupArgs{
		Description: pulumi.String("Load balancer: HTTP/HTTPS from the internet; HTTPS to Cognito; the container port to the tasks"),
		VpcId:       a.VpcId,
		Ingress: ec2.SecurityGroupIngressArray{
			ingress(80, "HTTP from the internet, redirected to HTTPS"),
			ingress(443, "HTTPS from the internet"),
		},
		Egress: ec2.SecurityGroupEgressArray{
			&ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("HTTPS to the Cognito token and userInfo endpoints"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
				CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			},
			&ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("The container port, to the tasks in the VPC"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(a.ContainerPort), ToPort: pulumi.Int(a.ContainerPort),
				CidrBlocks: pulumi.StringArray{a.VpcCidr},
			},
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	// Access logs (ELB.5): the bucket and its policy exist before the load
	// balancer turns logging on (ELB writes a test object then).
	var accessLogs *lb.LoadBalancerAccessLogsArgs
	var albDeps []pulumi.Resource
	c.AccessLogBucket = pulumi.String("").ToStringOutput()
	if a.AccessLogs {
		bucket, policy, err := newAccessLogs(ctx, name, a.Region, a.AccountId, a.LogRetentionDays, a.Protect, parent)
		if err != nil {
			return nil, err
		}
		accessLogs = &lb.LoadBalancerAccessLogsArgs{Bucket: bucket, Prefix: pulumi.String(AccessLogPrefix), Enabled: pulumi.Bool(true)}
		albDeps = append(albDeps, policy)
		c.AccessLogBucket = bucket
	}

	alb, err := lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		SecurityGroups:           pulumi.StringArray{sg.ID()},
		Subnets:                  a.PublicSubnetIds,
		DropInvalidHeaderFields:  pulumi.Bool(true),          // ELB.4
		DesyncMitigationMode:     pulumi.String("defensive"), // ELB.12
		EnableDeletionProtection: pulumi.Bool(a.Protect),     // ELB.6
		EnableHttp2:              pulumi.Bool(true),
		AccessLogs:               accessLogs, // ELB.5
	}, parent, pulumi.DependsOn(albDeps))
	if err != nil {
		return nil, err
	}

	zoneID := route53.LookupZoneOutput(ctx, route53.LookupZoneOutputArgs{
		Name:        pulumi.String(a.HostedZoneName),
		PrivateZone: pulumi.Bool(false),
	}, parent).ZoneId()

	// The certificate comes from the same (default) provider as the ALB, so
	// it is in the ALB's region.
	sans := pulumi.ToStringArray(a.HostNames[1:])
	cert, err := acm.NewCertificate(ctx, name+"-cert", &acm.CertificateArgs{
		DomainName:              pulumi.String(a.HostNames[0]),
		SubjectAlternativeNames: sans,
		ValidationMethod:        pulumi.String("DNS"),
	}, parent)
	if err != nil {
		return nil, err
	}
	// Records are named by host, so adding, removing or reordering hosts
	// never renames (and so replaces) another host's record. Earlier
	// versions named them by position; the alias carries that state over.
	var fqdns pulumi.StringArray
	for i, host := range a.HostNames {
		rec, err := newValidationRecord(ctx, name, host, zoneID, cert, parent, formerly(fmt.Sprintf("%s-cert-validation-%d", name, i)))
		if err != nil {
			return nil, err
		}
		fqdns = append(fqdns, rec.Fqdn)
	}
	// The HTTPS listener uses the certificate only once ACM has issued it.
	validation, err := acm.NewCertificateValidation(ctx, name+"-cert-validation", &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, parent)
	if err != nil {
		return nil, err
	}

	// ip: Fargate tasks (awsvpc) register by IP address.
	tg, err := lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
		TargetType:          pulumi.String("ip"),
		Protocol:            pulumi.String("HTTP"),
		Port:                pulumi.Int(a.ContainerPort),
		VpcId:               a.VpcId,
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Path:               pulumi.String(a.HealthCheckPath),
			Matcher:            pulumi.String("200-399"),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(3),
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	// Requests for any other host name get a 404 and never reach the app.
	https, err := lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(SslPolicy),
		CertificateArn:  validation.CertificateArn,
		DefaultActions: lb.ListenerDefaultActionArray{
			&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("fixed-response"),
				FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
					ContentType: pulumi.String("text/plain"),
					MessageBody: pulumi.String("Not found"),
					StatusCode:  pulumi.String("404"),
				},
			},
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	// Security Hub ELB.1: HTTP only redirects to HTTPS.
	if _, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{
			&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: &lb.ListenerDefaultActionRedirectArgs{
					Protocol:   pulumi.String("HTTPS"),
					Port:       pulumi.String("443"),
					StatusCode: pulumi.String("HTTP_301"),
				},
			},
		},
	}, parent); err != nil {
		return nil, err
	}

	// The site's records, named by host (see the validation records).
	records := map[string]pulumi.Resource{}
	for i, host := range a.HostNames {
		rec, err := route53.NewRecord(ctx, name+"-dns-"+host, &route53.RecordArgs{
			ZoneId: zoneID,
			Name:   pulumi.String(host),
			Type:   pulumi.String("A"),
			Aliases: route53.RecordAliasArray{
				&route53.RecordAliasArgs{Name: alb.DnsName, ZoneId: alb.ZoneId, EvaluateTargetHealth: pulumi.Bool(true)},
			},
		}, parent, formerly(fmt.Sprintf("%s-dns-%d", name, i)))
		if err != nil {
			return nil, err
		}
		records[host] = rec
	}

	// The sign-in pages: the pool's prefix domain, or the stack's own.
	signInDomain := a.UserPoolDomain
	var ruleDeps []pulumi.Resource
	c.SignInUrl = pulumi.String("").ToStringOutput()
	if a.AuthDomainName != "" {
		parentHost := a.AuthDomainName[strings.Index(a.AuthDomainName, ".")+1:]
		domain, err := newAuthDomain(ctx, name, a, zoneID, records[parentHost], parent)
		if err != nil {
			return nil, err
		}
		signInDomain = domain.Domain
		ruleDeps = append(ruleDeps, domain)
		c.SignInUrl = pulumi.Sprintf("https://%s", domain.Domain)
	}

	signIn := func(deny bool) *lb.ListenerRuleActionAuthenticateCognitoArgs {
		args := &lb.ListenerRuleActionAuthenticateCognitoArgs{
			UserPoolArn:              a.UserPoolArn,
			UserPoolClientId:         a.UserPoolClientId,
			UserPoolDomain:           signInDomain,
			OnUnauthenticatedRequest: pulumi.String("authenticate"),
			Scope:                    pulumi.String(strings.Join(a.Scopes, " ")),
			SessionCookieName:        pulumi.String(SessionCookieName),
			SessionTimeout:           pulumi.Int(a.SessionTimeoutSeconds),
		}
		if deny {
			// API calls: 401 without a session, not a redirect a fetch()
			// cannot follow.
			args.OnUnauthenticatedRequest = pulumi.String("deny")
		}
		if a.DirectProvider != "" {
			// One provider and no local users: straight to it, no chooser.
			args.AuthenticationRequestExtraParams = pulumi.StringMap{"identity_provider": pulumi.String(a.DirectProvider)}
		}
		return args
	}
	for _, r := range rules.Plan(a.HostNames, a.PublicPaths, a.APIPaths) {
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
				Type: pulumi.String("authenticate-cognito"), Order: pulumi.Int(1), AuthenticateCognito: signIn(r.Deny),
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
		}, parent, pulumi.DependsOn(ruleDeps))
		if err != nil {
			return nil, err
		}
		c.ListenerRules = append(c.ListenerRules, rule)
	}

	if a.Waf != "" {
		if err := newWAF(ctx, name, a.Waf, a.WafRateLimit, alb.Arn, parent); err != nil {
			return nil, err
		}
	}

	c.AlbArn = alb.Arn
	c.RequestCountLabel = pulumi.Sprintf("%s/%s", alb.ArnSuffix, tg.ArnSuffix)
	c.AlbDnsName = alb.DnsName
	c.AlbZoneId = alb.ZoneId
	c.SecurityGroupId = sg.ID().ToStringOutput()
	c.TargetGroupArn = tg.Arn
	c.HttpsListenerArn = https.Arn
	c.CertificateArn = validation.CertificateArn
	c.Url = pulumi.String("https://" + a.HostNames[0] + "/").ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"albArn":            c.AlbArn,
		"albDnsName":        c.AlbDnsName,
		"albZoneId":         c.AlbZoneId,
		"securityGroupId":   c.SecurityGroupId,
		"targetGroupArn":    c.TargetGroupArn,
		"httpsListenerArn":  c.HttpsListenerArn,
		"certificateArn":    c.CertificateArn,
		"url":               c.Url,
		"signInUrl":         c.SignInUrl,
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

func ingress(port int, description string) *ec2.SecurityGroupIngressArgs {
	return &ec2.SecurityGroupIngressArgs{
		Description: pulumi.String(description),
		Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
	}
}

// validationOptionFor picks the certificate's DNS validation record for one
// host. ACM returns the records as a set, in no promised order, so they are
// matched by domain name rather than by position.
// newValidationRecord is the DNS record that proves to ACM that the
// certificate's owner controls host, named by host.
func newValidationRecord(ctx *pulumi.Context, name, host string, zoneID pulumi.StringInput, cert *acm.Certificate, opts ...pulumi.ResourceOption) (*route53.Record, error) {
	opt := validationOptionFor(cert.DomainValidationOptions, host)
	return route53.NewRecord(ctx, name+"-cert-validation-"+host, &route53.RecordArgs{
		ZoneId:         zoneID,
		Name:           opt.ResourceRecordName().Elem(),
		Type:           opt.ResourceRecordType().Elem(),
		Records:        pulumi.StringArray{opt.ResourceRecordValue().Elem()},
		Ttl:            pulumi.Int(60),
		AllowOverwrite: pulumi.Bool(true), // ACM reuses the record for the same name; a re-issued certificate must not fail on it
	}, opts...)
}

func validationOptionFor(opts acm.CertificateDomainValidationOptionArrayOutput, host string) acm.CertificateDomainValidationOptionOutput {
	return opts.ApplyT(func(all []acm.CertificateDomainValidationOption) (acm.CertificateDomainValidationOption, error) {
		for _, o := range all {
			if o.DomainName != nil && strings.EqualFold(*o.DomainName, host) {
				return o, nil
			}
		}
		return acm.CertificateDomainValidationOption{}, fmt.Errorf("the certificate has no DNS validation record for %s", host)
	}).(acm.CertificateDomainValidationOptionOutput)
}
