package identity

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PreSignUpCode is the pre sign-up trigger (presignup.py, tested by
// presignup_test.py on Cognito's events): inline, so the stack builds
// nothing.
//
//go:embed presignup.py
var PreSignUpCode string

// PreSignUpRuntime runs the trigger.
const PreSignUpRuntime = "python3.13"

const lambdaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// AllowList is what the trigger receives in ALLOWED (config.AllowListVariable):
// each provider's name in lower case to the domains and addresses that may
// sign up through it (and, for Google, "verified": the address must be
// one Google verified), or {"any": true}.
func AllowList(providers []config.IdentityProvider) (string, error) {
	rules := map[string]any{}
	for _, p := range providers {
		key := strings.ToLower(p.Name)
		if !p.Restricted() {
			rules[key] = map[string]bool{"any": true}
			continue
		}
		rule := map[string]any{}
		if len(p.AllowedEmailDomains) > 0 {
			rule["domains"] = p.AllowedEmailDomains
		}
		if len(p.AllowedEmails) > 0 {
			rule["emails"] = p.AllowedEmails
		}
		if p.Type == config.IdpGoogle {
			rule["verified"] = true // Google always sends email_verified
		}
		rules[key] = rule
	}
	b, err := json.Marshal(rules)
	return string(b), err
}

// needsPreSignUp: a trigger is there when some provider admits only the
// addresses it lists.
func needsPreSignUp(providers []config.IdentityProvider) bool {
	for _, p := range providers {
		if p.Restricted() {
			return true
		}
	}
	return false
}

// preSignUp is the trigger's function, which the pool names, and what must
// wait for the pool.
type preSignUp struct {
	fn *lambda.Function
}

// newPreSignUp creates the trigger: its log group (the stack's retention and
// key), a role that may only write there, and the function.
func newPreSignUp(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*preSignUp, error) {
	allowed, err := AllowList(a.Providers)
	if err != nil {
		return nil, err
	}
	logArgs := &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(a.LogRetentionDays)}
	if a.LogsKmsKeyArn != nil {
		logArgs.KmsKeyId = a.LogsKmsKeyArn
	}
	logs, err := cloudwatch.NewLogGroup(ctx, name+"-presignup-logs", logArgs, parent)
	if err != nil {
		return nil, err
	}
	role, err := iam.NewRole(ctx, name+"-presignup", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(lambdaTrust),
		Description:      pulumi.String("The pre sign-up trigger writes its logs"),
	}, parent)
	if err != nil {
		return nil, err
	}
	policy, err := iam.NewRolePolicy(ctx, name+"-presignup", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: pulumi.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"%s:*"}]}`,
			logs.Arn),
	}, parent)
	if err != nil {
		return nil, err
	}
	fn, err := lambda.NewFunction(ctx, name+"-presignup", &lambda.FunctionArgs{
		Description: pulumi.String("Cognito pre sign-up: refuses federated sign-ups from addresses the stack does not allow"),
		Runtime:     pulumi.String(PreSignUpRuntime),
		Handler:     pulumi.String("index.handler"),
		Code:        pulumi.NewAssetArchive(map[string]any{"index.py": pulumi.NewStringAsset(PreSignUpCode)}),
		Role:        role.Arn,
		Timeout:     pulumi.Int(5),
		MemorySize:  pulumi.Int(128),
		Environment: &lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{config.AllowListVariable: pulumi.String(allowed)}},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{
			LogFormat: pulumi.String("Text"),
			LogGroup:  logs.Name,
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
	if err != nil {
		return nil, err
	}
	return &preSignUp{fn: fn}, nil
}

// allowCognito lets this pool, and only it, invoke the trigger.
func (t *preSignUp) allowCognito(ctx *pulumi.Context, name string, pool *cognito.UserPool, account pulumi.StringInput, parent pulumi.ResourceOption) error {
	_, err := lambda.NewPermission(ctx, name+"-presignup", &lambda.PermissionArgs{
		Action:        pulumi.String("lambda:InvokeFunction"),
		Function:      t.fn.Name,
		Principal:     pulumi.String("cognito-idp.amazonaws.com"),
		SourceArn:     pool.Arn,
		SourceAccount: account,
	}, parent)
	if err != nil {
		return fmt.Errorf("the pre sign-up trigger's permission: %w", err)
	}
	return nil
}
