// Package encryption is the stack's customer managed KMS key for its log
// groups (encryptLogs): the container's, the VPC flow logs' and the sign-up
// trigger's. CloudWatch Logs may use it for those log groups only.
package encryption

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:encryption:LogKey"

// DeletionWindowDays is how long a deleted key can still be recovered (and
// the logs it encrypted still read): AWS's longest.
const DeletionWindowDays = 30

// Args configures the key.
type Args struct {
	// Region and AccountID scope CloudWatch Logs' use of the key to this
	// account's log groups in the stack's region. Required.
	Region    string
	AccountID pulumi.StringInput
	// Protect keeps the key (Pulumi's protect): deleting it makes every log
	// it encrypted unreadable once the deletion window ends.
	Protect bool
}

// LogKey is the key.
type LogKey struct {
	pulumi.ResourceState

	Arn pulumi.StringOutput `pulumi:"arn"`
}

// NewLogKey creates the key, rotated every year.
func NewLogKey(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LogKey, error) {
	if args == nil || args.Region == "" || args.AccountID == nil {
		return nil, errors.New("encryption: Region and AccountID are required")
	}
	c := &LogKey{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the stack's CloudWatch Logs log groups"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(DeletionWindowDays),
		Policy: args.AccountID.ToStringOutput().ApplyT(func(account string) (string, error) {
			return KeyPolicy(args.Region, account), nil
		}).(pulumi.StringOutput),
	}, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	c.Arn = key.Arn
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"arn": c.Arn}); err != nil {
		return nil, err
	}
	return c, nil
}

// KeyPolicy: the account administers the key (as for every KMS key, so IAM
// policies decide who else may), and CloudWatch Logs in the region may
// use it for this account's log groups only (the encryption context names
// the log group).
func KeyPolicy(region, account string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[`+
		`{"Sid":"AccountAdministers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%[2]s:root"},"Action":"kms:*","Resource":"*"},`+
		`{"Sid":"CloudWatchLogsEncrypts","Effect":"Allow","Principal":{"Service":"logs.%[1]s.amazonaws.com"},`+
		`"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*",`+
		`"Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:%[1]s:%[2]s:log-group:*"}}}]}`, region, account)
}
