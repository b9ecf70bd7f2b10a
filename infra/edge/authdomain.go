package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newAuthDomain gives the hosted sign-in pages the stack's own domain
// (authDomainName): a certificate for it in us-east-1 (a second, explicit
// provider acting as the stack's, provider.go), validated in the hosted zone; the Cognito custom domain, created
// once its parent domain has an A record (Cognito checks); and an alias
// record to the domain's CloudFront distribution. It returns the Cognito
// domain resource, which the sign-in rules wait for.
func newAuthDomain(ctx *pulumi.Context, name string, a Args, zoneID pulumi.StringInput, parentRecord pulumi.Resource, parent pulumi.ResourceOrInvokeOption) (*cognito.UserPoolDomain, error) {
	host := a.AuthDomainName
	usEast1, err := newUsEast1Provider(ctx, name, a.Provider.Credentials, parent)
	if err != nil {
		return nil, err
	}
	cert, err := acm.NewCertificate(ctx, name+"-auth-cert", &acm.CertificateArgs{
		DomainName:       pulumi.String(host),
		ValidationMethod: pulumi.String("DNS"),
		// The account both providers act in: the certificate waits for
		// the check that they do.
		Tags: pulumi.StringMap{"alb-cognito-fargate:account": SameAccount(ctx, usEast1, a.AccountID, parent)},
	}, parent, pulumi.Provider(usEast1))
	if err != nil {
		return nil, err
	}
	rec, err := newValidationRecord(ctx, name, host, zoneID, cert, parent)
	if err != nil {
		return nil, err
	}
	validation, err := acm.NewCertificateValidation(ctx, name+"-auth-cert-validation", &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{rec.Fqdn},
	}, parent, pulumi.Provider(usEast1))
	if err != nil {
		return nil, err
	}
	// A pool has one custom domain: a new name replaces it delete-first.
	var deps []pulumi.Resource
	if parentRecord != nil {
		deps = append(deps, parentRecord)
	}
	domain, err := cognito.NewUserPoolDomain(ctx, name+"-auth-domain", &cognito.UserPoolDomainArgs{
		Domain:              pulumi.String(host),
		UserPoolId:          a.UserPoolID,
		CertificateArn:      validation.CertificateArn,
		ManagedLoginVersion: pulumi.Int(1), // the classic hosted UI (see identity.HostedUIVersion)
	}, parent, pulumi.DeleteBeforeReplace(true), pulumi.DependsOn(deps))
	if err != nil {
		return nil, err
	}
	if _, err := route53.NewRecord(ctx, name+"-dns-"+host, &route53.RecordArgs{
		ZoneId: zoneID,
		Name:   pulumi.String(host),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{
			&route53.RecordAliasArgs{Name: domain.CloudfrontDistribution, ZoneId: domain.CloudfrontDistributionZoneId, EvaluateTargetHealth: pulumi.Bool(false)},
		},
	}, parent); err != nil {
		return nil, err
	}
	return domain, nil
}
