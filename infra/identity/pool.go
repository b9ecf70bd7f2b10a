package identity

import (
	"strings"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// mfaConfiguration is Cognito's word for each mfa mode.
var mfaConfiguration = map[config.Mfa]string{
	config.MfaOff:      "OFF",
	config.MfaOptional: "OPTIONAL",
	config.MfaOn:       "ON",
}

// newUserPool creates the pool. It holds every user's account: its name and
// its replacement-forcing properties (usernameAttributes, schemas, ...)
// must never change, and Protect adds Pulumi's own guard on top of AWS's.
// preSignUp, when set, is the trigger that decides who may sign up through
// an identity provider (presignup.go).
func newUserPool(ctx *pulumi.Context, name string, a Args, preSignUp pulumi.StringInput, parent pulumi.ResourceOption) (*cognito.UserPool, error) {
	deletionProtection := "INACTIVE"
	if a.Protect {
		deletionProtection = "ACTIVE"
	}
	var totp *cognito.UserPoolSoftwareTokenMfaConfigurationArgs
	if a.Mfa != config.MfaOff {
		totp = &cognito.UserPoolSoftwareTokenMfaConfigurationArgs{Enabled: pulumi.Bool(true)}
	}
	return cognito.NewUserPool(ctx, name+"-users", &cognito.UserPoolArgs{
		UsernameAttributes:     pulumi.StringArray{pulumi.String("email")},
		UsernameConfiguration:  &cognito.UserPoolUsernameConfigurationArgs{CaseSensitive: pulumi.Bool(false)},
		AutoVerifiedAttributes: pulumi.StringArray{pulumi.String("email")},
		AccountRecoverySetting: &cognito.UserPoolAccountRecoverySettingArgs{
			RecoveryMechanisms: cognito.UserPoolAccountRecoverySettingRecoveryMechanismArray{
				&cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs{Name: pulumi.String("verified_email"), Priority: pulumi.Int(1)},
			},
		},
		// Security Hub Cognito.3.
		PasswordPolicy: &cognito.UserPoolPasswordPolicyArgs{
			MinimumLength:                 pulumi.Int(12),
			RequireLowercase:              pulumi.Bool(true),
			RequireUppercase:              pulumi.Bool(true),
			RequireNumbers:                pulumi.Bool(true),
			RequireSymbols:                pulumi.Bool(true),
			TemporaryPasswordValidityDays: pulumi.Int(7),
		},
		MfaConfiguration:              pulumi.String(mfaConfiguration[a.Mfa]),
		SoftwareTokenMfaConfiguration: totp,
		AdminCreateUserConfig: &cognito.UserPoolAdminCreateUserConfigArgs{
			AllowAdminCreateUserOnly: pulumi.Bool(!a.SelfSignUp),
		},
		UserAttributeUpdateSettings: &cognito.UserPoolUserAttributeUpdateSettingsArgs{
			// A changed email stays unverified (and the old one stays the
			// sign-in name) until the user confirms the new one.
			AttributesRequireVerificationBeforeUpdates: pulumi.StringArray{pulumi.String("email")},
		},
		DeletionProtection: pulumi.String(deletionProtection),
		UserPoolTier:       pulumi.String(string(a.Tier)),
		UserPoolAddOns:     addOns(a.ThreatProtection),
		EmailConfiguration: emailConfiguration(a),
		LambdaConfig:       lambdaConfig(preSignUp),
	}, parent, pulumi.Protect(a.Protect))
}

func lambdaConfig(preSignUp pulumi.StringInput) *cognito.UserPoolLambdaConfigArgs {
	if preSignUp == nil {
		return nil
	}
	return &cognito.UserPoolLambdaConfigArgs{PreSignUp: preSignUp}
}

// addOns is threat protection (Security Hub Cognito.1) in the PLUS tier:
// Cognito's AUDIT or ENFORCED, or OFF, sent explicitly. Cognito returns the
// add-ons of every pool, so leaving them out would show an update on every
// preview and might not turn protection off.
func addOns(mode config.ThreatProtection) *cognito.UserPoolUserPoolAddOnsArgs {
	return &cognito.UserPoolUserPoolAddOnsArgs{AdvancedSecurityMode: pulumi.String(strings.ToUpper(string(mode)))}
}

// emailConfiguration sends the pool's emails through SES when a sender is
// set; Cognito's own sender allows only about 50 emails a day. Without a
// sender it says COGNITO_DEFAULT: the provider ignores a configuration
// that is left out, so a pool once sending through SES would go on
// sending through it (through an identity that may be gone).
func emailConfiguration(a Args) *cognito.UserPoolEmailConfigurationArgs {
	if a.EmailFrom == "" {
		return &cognito.UserPoolEmailConfigurationArgs{EmailSendingAccount: pulumi.String("COGNITO_DEFAULT")}
	}
	return &cognito.UserPoolEmailConfigurationArgs{
		EmailSendingAccount: pulumi.String("DEVELOPER"),
		FromEmailAddress:    pulumi.String(a.EmailFrom),
		SourceArn:           a.EmailSourceArn,
	}
}
