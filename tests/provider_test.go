package tests

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/edge"
	"github.com/example/alb-cognito-fargate/tools/synth"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The us-east-1 provider (the sign-in domain's certificate) acts as the
// stack's provider: it carries the role the stack assumes, its profile,
// credential files and allowed accounts, so the certificate is made in the
// stack's account, which the certificate's tag records once the program has
// seen both providers act there.
func TestTheUsEast1ProviderActsAsTheStacks(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{
		"authDomainName":             "auth.app.example.com",
		"aws:assumeRole":             `{"roleArn":"arn:aws:iam::210987654321:role/deploy","sessionName":"ci","externalId":"x-1"}`,
		"aws:profile":                "deploy",
		"aws:sharedCredentialsFiles": `["/ci/credentials"]`,
		"aws:allowedAccountIds":      `["210987654321"]`,
	}))
	prov := one(t, res, tProvider)
	if at(t, prov.Inputs, "assumeRole", "roleArn") != "arn:aws:iam::210987654321:role/deploy" || at(t, prov.Inputs, "assumeRole", "sessionName") != "ci" ||
		at(t, prov.Inputs, "assumeRole", "externalId") != "x-1" || prov.Inputs["profile"] != "deploy" ||
		!slices.Equal(strs(t, prov.Inputs["sharedCredentialsFiles"]), []string{"/ci/credentials"}) ||
		!slices.Equal(strs(t, prov.Inputs["allowedAccountIds"]), []string{"210987654321"}) {
		t.Errorf("the us-east-1 provider does not act as the stack's: %v", prov.Inputs)
	}
	if cert := named(t, res, tCert, "edge-auth-cert"); at(t, cert.Inputs, "tags", "alb-cognito-fargate:account") != "210987654321" {
		t.Errorf("the certificate records account %v, want the assumed role's 210987654321", at(t, cert.Inputs, "tags", "alb-cognito-fargate:account"))
	}
}

// A us-east-1 provider that does not act in the stack's account (what a
// provider that dropped aws:assumeRole did) stops the deployment, saying
// why and what to do, before the certificate is requested.
func TestAProviderInAnotherAccountStopsTheDeployment(t *testing.T) {
	_, err := synth.Run(stackConfig(t, withConfig(map[string]string{"aws:assumeRole": `{"roleArn":"arn:aws:iam::210987654321:role/deploy"}`})), func(ctx *pulumi.Context) (pulumi.Map, error) {
		bare, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"account": edge.SameAccount(ctx, bare, pulumi.String("210987654321"), pulumi.Parent(nil))}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "acts in account 123456789012, the stack's provider in account 210987654321") || !strings.Contains(err.Error(), "aws:assumeRole") {
		t.Fatalf("want the deployment stopped on the account mismatch, got %v", err)
	}
}

// What a second provider cannot carry is refused with authDomainName,
// naming the key: custom endpoints (per region) and a chain of roles.
func TestSettingsTheUsEast1ProviderCannotCarryAreRefused(t *testing.T) {
	for key, value := range map[string]string{
		"aws:endpoints":   `[{"cognitoidp":"http://127.0.0.1:4566"}]`,
		"aws:assumeRoles": `[{"roleArn":"arn:aws:iam::210987654321:role/a"},{"roleArn":"arn:aws:iam::210987654321:role/b"}]`,
	} {
		_, err := run(t, withConfig(map[string]string{"authDomainName": "auth.app.example.com", key: value}))
		var ce *config.Error
		if !errors.As(err, &ce) || !slices.Contains(ce.Keys(), key) {
			t.Errorf("%s with authDomainName: want it refused naming the key, got %v", key, err)
		}
		if _, err := run(t, withConfig(map[string]string{key: value})); err != nil {
			t.Errorf("%s without authDomainName (no second provider) must be accepted: %v", key, err)
		}
	}
}
