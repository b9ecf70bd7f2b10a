// Package identity builds the Cognito user pool, the app client the ALB signs
// users in with, and the hosted sign-in domain.
package identity

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:identity:Identity"

// OAuthScopes are the scopes the app client allows and the ALB requests:
// openid is required for the ALB's OIDC flow; email and profile put the
// user's email and name into x-amzn-oidc-data.
var OAuthScopes = []string{"openid", "email", "profile"}

// UserAdminScope lets the user's own access token call Cognito's user APIs
// (GetUser, AssociateSoftwareToken, VerifySoftwareToken,
// SetUserMFAPreference): what an app needs to let users enrol an
// authenticator app themselves.
const UserAdminScope = "aws.cognito.signin.user.admin"

// HostedUIVersion pins the sign-in pages: 1 is the classic hosted UI, which
// needs no branding resource and walks users through setting up an
// authenticator app when MFA is required. (2, managed login, shows nothing
// until a branding style is assigned to the client.)
const HostedUIVersion = 1

// Feature tiers and threat protection modes, as Cognito names them.
const (
	TierLite       = "LITE"
	TierEssentials = "ESSENTIALS"
	TierPlus       = "PLUS"

	ThreatOff      = "OFF"
	ThreatAudit    = "AUDIT"
	ThreatEnforced = "ENFORCED"
)

// MFA settings.
const (
	MfaOff      = "OFF"
	MfaOptional = "OPTIONAL"
	MfaOn       = "ON"
)

// Args configures the user pool. Host names decide the callback URLs and the
// switches decide resource settings, so all are plain Go values.
type Args struct {
	// Region is the pool's region, used to build the hosted UI URL. Required.
	Region string
	// HostNames are every host users browse to; each gets a callback URL
	// https://<host>/oauth2/idpresponse. Required, at least one.
	HostNames []string
	// DomainPrefix is the hosted UI prefix: https://<prefix>.auth.<region>.amazoncognito.com. Required.
	DomainPrefix string
	// LogoutPath is where Cognito may send users after sign-out, on every host. Default "/".
	LogoutPath string
	// SelfSignUp lets anyone create an account; false means administrators invite users. Default false.
	SelfSignUp bool
	// Mfa is OFF, OPTIONAL or ON (TOTP authenticator apps). Default OPTIONAL.
	Mfa string
	// Protect turns on Cognito deletion protection and Pulumi's protect on the
	// pool, which holds every user's account. Default false.
	Protect bool

	// Providers are federated identity providers (federation.go). Default none.
	Providers []Provider
	// NoLocalUsers drops Cognito's own username/password sign-in: only the
	// providers remain. Default false.
	NoLocalUsers bool
	// Groups are the pool's groups (groups.go). Default none.
	Groups []Group
	// UserAdminScope adds aws.cognito.signin.user.admin to the client's
	// scopes, so an app can let users enrol MFA with their own token.
	// Default false.
	UserAdminScope bool
	// Tier is the feature tier: LITE, ESSENTIALS or PLUS. Default ESSENTIALS.
	Tier string
	// ThreatProtection is OFF, AUDIT or ENFORCED (needs PLUS). Default OFF.
	ThreatProtection string
	// EmailFrom, when set, sends the pool's emails through SES as this
	// address, with the verified identity EmailSourceArn. Default: Cognito's
	// own sender (about 50 emails a day).
	EmailFrom      string
	EmailSourceArn pulumi.StringInput
}

// Identity is the user pool, its app client and its domain.
type Identity struct {
	pulumi.ResourceState

	UserPoolId   pulumi.StringOutput `pulumi:"userPoolId"`
	UserPoolArn  pulumi.StringOutput `pulumi:"userPoolArn"`
	ClientId     pulumi.StringOutput `pulumi:"clientId"`
	DomainPrefix pulumi.StringOutput `pulumi:"domainPrefix"`
	// HostedUiUrl is the base URL of the hosted sign-in pages.
	HostedUiUrl pulumi.StringOutput `pulumi:"hostedUiUrl"`
	// IssuerUrl is the pool's OIDC issuer.
	IssuerUrl pulumi.StringOutput `pulumi:"issuerUrl"`

	// Scopes are the OAuth scopes the client allows, for the ALB to request.
	Scopes []string
	// ProviderNames are the identity providers users may sign in with
	// (COGNITO for local users first), in order.
	ProviderNames []string
}

// CallbackURL is where Cognito sends the browser back to the ALB after sign-in.
func CallbackURL(host string) string { return fmt.Sprintf("https://%s/oauth2/idpresponse", host) }

// NewIdentity creates the user pool, app client and domain.
func NewIdentity(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Identity, error) {
	if args == nil {
		return nil, errors.New("identity: args are required")
	}
	a := *args
	if a.Mfa == "" {
		a.Mfa = MfaOptional
	}
	if a.LogoutPath == "" {
		a.LogoutPath = "/"
	}
	if a.Tier == "" {
		a.Tier = TierEssentials
	}
	if a.ThreatProtection == "" {
		a.ThreatProtection = ThreatOff
	}
	switch {
	case a.Region == "":
		return nil, errors.New("identity: Region is required")
	case len(a.HostNames) == 0:
		return nil, errors.New("identity: at least one host name is required")
	case a.DomainPrefix == "":
		return nil, errors.New("identity: DomainPrefix is required")
	case a.Mfa != MfaOff && a.Mfa != MfaOptional && a.Mfa != MfaOn:
		return nil, fmt.Errorf("identity: Mfa is %q; use OFF, OPTIONAL or ON", a.Mfa)
	case a.NoLocalUsers && len(a.Providers) == 0:
		return nil, errors.New("identity: without local users at least one provider is required")
	case a.ThreatProtection != ThreatOff && a.Tier != TierPlus:
		return nil, fmt.Errorf("identity: threat protection %s needs the PLUS tier", a.ThreatProtection)
	case a.EmailFrom != "" && a.EmailSourceArn == nil:
		return nil, errors.New("identity: EmailFrom needs EmailSourceArn")
	}

	c := &Identity{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	deletionProtection := "INACTIVE"
	if a.Protect {
		deletionProtection = "ACTIVE"
	}
	var totp *cognito.UserPoolSoftwareTokenMfaConfigurationArgs
	if a.Mfa != MfaOff {
		totp = &cognito.UserPoolSoftwareTokenMfaConfigurationArgs{Enabled: pulumi.Bool(true)}
	}
	// The pool holds every user's account. Its name and its
	// replacement-forcing properties (usernameAttributes, schemas, ...)
	// must never change; Protect adds Pulumi's own guard on top of AWS's.
	pool, err := cognito.NewUserPool(ctx, name+"-users", &cognito.UserPoolArgs{
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
		MfaConfiguration:              pulumi.String(a.Mfa),
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
		UserPoolTier:       pulumi.String(a.Tier),
		UserPoolAddOns:     addOns(a.ThreatProtection),
		EmailConfiguration: emailConfiguration(a),
	}, parent, pulumi.Protect(a.Protect))
	if err != nil {
		return nil, err
	}

	idps, err := newProviders(ctx, name, pool, a.Providers, parent)
	if err != nil {
		return nil, err
	}
	if err := newGroups(ctx, name, pool, a.Groups, parent); err != nil {
		return nil, err
	}

	callbacks := make(pulumi.StringArray, len(a.HostNames))
	logouts := make(pulumi.StringArray, len(a.HostNames))
	for i, h := range a.HostNames {
		callbacks[i] = pulumi.String(CallbackURL(h))
		logouts[i] = pulumi.String("https://" + h + a.LogoutPath)
	}
	scopes := slices.Clone(OAuthScopes)
	if a.UserAdminScope {
		scopes = append(scopes, UserAdminScope)
	}
	var providerNames []string
	if !a.NoLocalUsers {
		providerNames = append(providerNames, LocalProvider)
	}
	for _, p := range a.Providers {
		providerNames = append(providerNames, p.Name)
	}
	// The client lists exactly the providers users may sign in with, and is
	// created (or updated) after them: Cognito rejects a client that names a
	// provider the pool does not have.
	client, err := cognito.NewUserPoolClient(ctx, name+"-alb-client", &cognito.UserPoolClientArgs{
		UserPoolId: pool.ID(),
		// The ALB is a confidential client: it must have a secret.
		GenerateSecret:                  pulumi.Bool(true),
		AllowedOauthFlowsUserPoolClient: pulumi.Bool(true),
		AllowedOauthFlows:               pulumi.StringArray{pulumi.String("code")},
		AllowedOauthScopes:              pulumi.ToStringArray(scopes),
		SupportedIdentityProviders:      pulumi.ToStringArray(providerNames),
		CallbackUrls:                    callbacks,
		LogoutUrls:                      logouts,
		ExplicitAuthFlows:               pulumi.StringArray{pulumi.String("ALLOW_USER_SRP_AUTH"), pulumi.String("ALLOW_REFRESH_TOKEN_AUTH")},
		PreventUserExistenceErrors:      pulumi.String("ENABLED"),
		EnableTokenRevocation:           pulumi.Bool(true),
		AccessTokenValidity:             pulumi.Int(60),
		IdTokenValidity:                 pulumi.Int(60),
		RefreshTokenValidity:            pulumi.Int(30),
		AuthSessionValidity:             pulumi.Int(3),
		TokenValidityUnits: &cognito.UserPoolClientTokenValidityUnitsArgs{
			AccessToken:  pulumi.String("minutes"),
			IdToken:      pulumi.String("minutes"),
			RefreshToken: pulumi.String("days"),
		},
	}, parent, pulumi.DependsOn(idps))
	if err != nil {
		return nil, err
	}

	// The domain depends on the pool, so Pulumi deletes it first: Cognito
	// refuses to delete a pool that still has a domain. A pool has one
	// prefix domain and a prefix cannot be renamed, so a new prefix means
	// deleting the old domain before creating the new one (Pulumi's default,
	// create first, would fail): sign-in pauses for the minute Cognito
	// takes to create a domain.
	domain, err := cognito.NewUserPoolDomain(ctx, name+"-domain", &cognito.UserPoolDomainArgs{
		Domain:              pulumi.String(a.DomainPrefix),
		UserPoolId:          pool.ID(),
		ManagedLoginVersion: pulumi.Int(HostedUIVersion),
	}, parent, pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return nil, err
	}

	c.UserPoolId = pool.ID().ToStringOutput()
	c.UserPoolArn = pool.Arn
	c.ClientId = client.ID().ToStringOutput()
	c.DomainPrefix = domain.Domain
	c.HostedUiUrl = pulumi.Sprintf("https://%s.auth.%s.amazoncognito.com", domain.Domain, a.Region)
	c.IssuerUrl = pulumi.Sprintf("https://%s", pool.Endpoint)
	c.Scopes = scopes
	c.ProviderNames = providerNames
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"userPoolId":   c.UserPoolId,
		"userPoolArn":  c.UserPoolArn,
		"clientId":     c.ClientId,
		"domainPrefix": c.DomainPrefix,
		"hostedUiUrl":  c.HostedUiUrl,
		"issuerUrl":    c.IssuerUrl,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// addOns turns on threat protection (Security Hub Cognito.1) in the PLUS tier.
func addOns(mode string) *cognito.UserPoolUserPoolAddOnsArgs {
	if mode == ThreatOff {
		return nil
	}
	return &cognito.UserPoolUserPoolAddOnsArgs{AdvancedSecurityMode: pulumi.String(mode)}
}

// emailConfiguration sends the pool's emails through SES when a sender is
// set; Cognito's own sender allows only about 50 emails a day.
func emailConfiguration(a Args) *cognito.UserPoolEmailConfigurationArgs {
	if a.EmailFrom == "" {
		return nil
	}
	return &cognito.UserPoolEmailConfigurationArgs{
		EmailSendingAccount: pulumi.String("DEVELOPER"),
		FromEmailAddress:    pulumi.String(a.EmailFrom),
		SourceArn:           a.EmailSourceArn,
	}
}
