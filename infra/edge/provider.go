package edge

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CloudFrontRegion is where a Cognito custom domain's certificate must be:
// Cognito serves custom domains through CloudFront.
const CloudFrontRegion = "us-east-1"

// newUsEast1Provider is a provider in us-east-1 that acts as the stack's
// provider does. An explicit provider inherits nothing from the stack's aws:
// configuration, so it is given every setting that decides who it acts as
// (config.Credentials; infra/config refuses those it cannot carry).
func newUsEast1Provider(ctx *pulumi.Context, name string, c config.Credentials, parent pulumi.ResourceOption) (*aws.Provider, error) {
	args := &aws.ProviderArgs{
		Region:                 pulumi.String(CloudFrontRegion),
		SharedConfigFiles:      toStrings(c.SharedConfigFiles),
		SharedCredentialsFiles: toStrings(c.SharedCredentialsFiles),
		AllowedAccountIds:      toStrings(c.AllowedAccountIds),
		ForbiddenAccountIds:    toStrings(c.ForbiddenAccountIds),
		Profile:                optional(c.Profile),
		StsRegion:              optional(c.StsRegion),
		AccessKey:              secret(c.AccessKey),
		SecretKey:              secret(c.SecretKey),
		Token:                  secret(c.Token),
	}
	if r := c.AssumeRole; r != nil {
		args.AssumeRole = &aws.ProviderAssumeRoleArgs{
			RoleArn: optional(r.RoleArn), SessionName: optional(r.SessionName), ExternalId: optional(r.ExternalID),
			Duration: optional(r.Duration), Policy: optional(r.Policy), PolicyArns: toStrings(r.PolicyArns),
			Tags: toStringMap(r.Tags), TransitiveTagKeys: toStrings(r.TransitiveTagKeys), SourceIdentity: optional(r.SourceIdentity),
		}
	}
	if r := c.AssumeRoleWithWebIdentity; r != nil {
		args.AssumeRoleWithWebIdentity = &aws.ProviderAssumeRoleWithWebIdentityArgs{
			RoleArn: optional(r.RoleArn), SessionName: optional(r.SessionName), Duration: optional(r.Duration),
			Policy: optional(r.Policy), PolicyArns: toStrings(r.PolicyArns),
			WebIdentityToken: secret(r.WebIdentityToken), WebIdentityTokenFile: optional(r.WebIdentityTokenFile),
		}
	}
	return aws.NewProvider(ctx, name+"-"+CloudFrontRegion, args, parent)
}

// SameAccount is the stack's account, once the us-east-1 provider has been
// seen to act in it too; otherwise the deployment stops, saying why (a
// certificate made in another account cannot serve the pool's domain:
// CreateUserPoolDomain fails after the certificate waited to validate).
func SameAccount(ctx *pulumi.Context, usEast1 *aws.Provider, stackAccount pulumi.StringInput, parent pulumi.ResourceOrInvokeOption) pulumi.StringOutput {
	east := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, parent, pulumi.Provider(usEast1)).AccountId()
	return pulumi.All(stackAccount, east).ApplyT(func(v []any) (string, error) {
		if v[0] != v[1] {
			return "", fmt.Errorf("the us-east-1 provider that makes authDomainName's certificate acts in account %v, the stack's provider in account %v: they must act as the same principal. Set the stack's credentials in aws:profile or aws:assumeRole (the program carries those to the second provider), not in settings only the first one sees", v[1], v[0])
		}
		return v[0].(string), nil
	}).(pulumi.StringOutput)
}

func optional(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}

func secret(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
}

func toStrings(s []string) pulumi.StringArrayInput {
	if len(s) == 0 {
		return nil
	}
	return pulumi.ToStringArray(s)
}

func toStringMap(m map[string]string) pulumi.StringMapInput {
	if len(m) == 0 {
		return nil
	}
	return pulumi.ToStringMap(m)
}
