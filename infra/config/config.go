// Package config loads and validates the stack configuration once, before any
// resource is registered. It never touches AWS and does not import the AWS SDK,
// so its rules are cheap to test.
//
// Every key of the project's namespace has one home: its entry in
// Pulumi.yaml's config schema, which gives its type, default and
// description. The Pulumi CLI applies the schema (defaults and type checks)
// before the program runs, and the offline tools apply the same schema
// with the same SDK function, so this package holds no default values: a
// Config field names its key in a `key` tag, and a test keeps every tagged
// field and every key of the schema in step, types included.
package config

import (
	"net/mail"
	"slices"
	"strings"
)

// Namespace is the project's config namespace (`pulumi config set alb-cognito-fargate:<key>`).
const Namespace = "alb-cognito-fargate"

// Config is the typed, validated configuration of one stack.
type Config struct {
	Project string
	Stack   string
	// Provider is what the stack's AWS provider is configured with (the
	// aws: namespace).
	Provider Provider

	DomainName           string   `key:"domainName"`
	HostedZoneName       string   `key:"hostedZoneName"`
	AlternateDomainNames []string `key:"alternateDomainNames"`

	AvailabilityZones int `key:"availabilityZones"`
	// MaxAvailabilityZones is how many zones the VPC's address layout has
	// room for; it decides every subnet's block.
	MaxAvailabilityZones int         `key:"maxAvailabilityZones"`
	NatGateways          NatGateways `key:"natGateways"`
	VpcCidr              string      `key:"vpcCidr"`

	// BuiltInApp builds app/ and deploys it instead of Image.
	BuiltInApp bool `key:"builtInApp"`
	// Image, ContainerPort and HealthCheckPath are resolved by Parse: the
	// empty image, port 0 and the empty path stand for the mode's default
	// (image.go).
	Image                  string            `key:"image"`
	ContainerPort          int               `key:"containerPort"`
	CPU                    int               `key:"cpu"`
	Memory                 int               `key:"memory"`
	DesiredCount           int               `key:"desiredCount"`
	HealthCheckPath        string            `key:"healthCheckPath"`
	Environment            map[string]string `key:"environment"`
	ReadOnlyRootFilesystem bool              `key:"readOnlyRootFilesystem"`
	// WritablePaths includes the default image's own when Image was empty.
	WritablePaths    []string `key:"writablePaths"`
	LogRetentionDays int      `key:"logRetentionDays"`

	PublicPaths           []string `key:"publicPaths"`
	SelfSignUp            bool     `key:"selfSignUp"`
	Mfa                   Mfa      `key:"mfa"`
	SessionTimeoutSeconds int      `key:"sessionTimeoutSeconds"`
	// CognitoDomainPrefix is the configured prefix or, when none is set, the
	// derived one (DeriveDomainPrefix). It is never empty after Parse.
	CognitoDomainPrefix string `key:"cognitoDomainPrefix"`

	// Who may sign in, and how (identity.go).
	IdentityProviders []IdentityProvider `key:"identityProviders"`
	LocalUsers        bool               `key:"localUsers"`
	Groups            []Group            `key:"groups"`
	// AdminGroup is the group the built-in app's /admin page admits (the
	// container's ADMIN_GROUP); "" admits nobody.
	AdminGroup string   `key:"adminGroup"`
	APIPaths   []string `key:"apiPaths"`
	// AuthDomainName is the custom sign-in domain ("" for the prefix domain).
	AuthDomainName               string           `key:"authDomainName"`
	AuthDomainParentRecordExists bool             `key:"authDomainParentRecordExists"`
	UserPoolTier                 Tier             `key:"userPoolTier"`
	ThreatProtection             ThreatProtection `key:"threatProtection"`
	EmailSender                  string           `key:"emailSender"`
	EmailSenderIdentity          string           `key:"emailSenderIdentity"`

	// Production settings (operations.go). MinCount and MaxCount turn on
	// autoscaling (both 0: off).
	MinCount int `key:"minCount"`
	MaxCount int `key:"maxCount"`
	// Secrets are container variables ECS reads from SSM Parameter Store or
	// Secrets Manager, name to reference; SecretRefs says what each grants.
	Secrets       map[string]string `key:"secrets"`
	SecretsKmsKey string            `key:"secretsKmsKey"`
	AccessLogs    bool              `key:"accessLogs"`
	Waf           Waf               `key:"waf"`
	WafRateLimit  int               `key:"wafRateLimit"`
	// WafIPRateLimit is the per-address backstop, sized for an office.
	WafIPRateLimit int      `key:"wafIpRateLimit"`
	Capacity       Capacity `key:"capacity"`
	OnDemandBase   int      `key:"onDemandBase"`
	Exec           bool     `key:"exec"`
	// ImageRetention is how many images of the built-in app ECR keeps.
	ImageRetention int `key:"imageRetention"`

	Protect bool `key:"protect"`
	// EncryptLogs encrypts the log groups with a key of the stack.
	EncryptLogs bool `key:"encryptLogs"`

	// identityProvidersSecret: the identityProviders key is a secret (it
	// holds client secrets).
	identityProvidersSecret bool
}

// Autoscaling reports whether the service scales between MinCount and MaxCount.
func (c *Config) Autoscaling() bool { return c.MinCount > 0 && c.MaxCount > 0 }

// SignInDomain is the host name of the hosted sign-in pages: the custom
// domain, or the prefix domain.
func (c *Config) SignInDomain() string {
	if c.AuthDomainName != "" {
		return c.AuthDomainName
	}
	return c.CognitoDomainPrefix + ".auth." + c.Provider.Region + ".amazoncognito.com"
}

// HostNames is every host name users browse to: the domain name first, then
// the alternates in configured order.
func (c *Config) HostNames() []string {
	return append([]string{c.DomainName}, c.AlternateDomainNames...)
}

// LogoutPath is where Cognito returns users after sign-out, on every host;
// the ALB serves it without sign-in.
const LogoutPath = "/logged-out"

// LogoutURL is where users land after signing out: LogoutPath on the first host.
func (c *Config) LogoutURL() string { return "https://" + c.DomainName + LogoutPath }

// PublicPathsWithLogout is publicPaths plus LogoutPath, which is always
// public: users land there after signing out, without a session.
func (c *Config) PublicPathsWithLogout() []string {
	if slices.Contains(c.PublicPaths, LogoutPath) {
		return c.PublicPaths
	}
	return append(slices.Clone(c.PublicPaths), LogoutPath)
}

// NamePrefix is a stable, AWS-safe prefix for resources that need a
// physical name (the task definition family).
func (c *Config) NamePrefix() string {
	return sanitizeName(c.Project + "-" + c.Stack)
}

// EmailAddress is the bare From address of emailSender.
func (c *Config) EmailAddress() string {
	if a, err := mail.ParseAddress(c.EmailSender); err == nil {
		return a.Address
	}
	return c.EmailSender
}

// EmailIdentity is the SES identity Cognito sends as: emailSenderIdentity,
// or the From address's domain.
func (c *Config) EmailIdentity() string {
	if c.EmailSenderIdentity != "" {
		return c.EmailSenderIdentity
	}
	a := c.EmailAddress()
	return a[strings.Index(a, "@")+1:]
}

// DirectProvider is the identity provider the load balancer sends users
// straight to, without Cognito's chooser: the only one, when local users
// are off; "" otherwise.
func (c *Config) DirectProvider() string {
	if !c.LocalUsers && len(c.IdentityProviders) == 1 {
		return c.IdentityProviders[0].Name
	}
	return ""
}
