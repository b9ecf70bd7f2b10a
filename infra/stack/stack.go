// Package stack is the whole program: it loads the configuration and wires the
// four components together. main.go runs it under the Pulumi engine and
// cmd/synth runs the very same code under a recording mock.
package stack

import (
	"path/filepath"
	"strconv"

	"github.com/example/alb-cognito-fargate/infra/compute"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/edge"
	"github.com/example/alb-cognito-fargate/infra/encryption"
	"github.com/example/alb-cognito-fargate/infra/identity"
	"github.com/example/alb-cognito-fargate/infra/networking"
	"github.com/example/alb-cognito-fargate/infra/regions"
	"github.com/example/alb-cognito-fargate/infra/stackconfig"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Program loads and validates the configuration, builds the stack and
// returns the stack outputs. A configuration error is returned before any
// resource is registered.
func Program(ctx *pulumi.Context) (pulumi.Map, error) {
	cfg, err := stackconfig.Load(ctx)
	if err != nil {
		return nil, err
	}
	return Build(ctx, cfg)
}

// Build wires the components for a validated configuration: each
// component's outputs become the next one's inputs here and nowhere else.
func Build(ctx *pulumi.Context, cfg *config.Config) (pulumi.Map, error) {
	// The account the stack deploys to: for the SES identity, secrets named
	// by SSM parameter name, the access log bucket's policy, the key's.
	account := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}).AccountId()
	var logsKey pulumi.StringInput // nil: AWS's own encryption
	if cfg.EncryptLogs {
		key, err := encryption.NewLogKey(ctx, "logs", &encryption.Args{Region: cfg.Provider.Region, AccountID: account, Protect: cfg.Protect})
		if err != nil {
			return nil, err
		}
		logsKey = key.Arn
	}
	network, err := networking.NewNetworking(ctx, "network", networkArgs(cfg, logsKey))
	if err != nil {
		return nil, err
	}
	id, err := identity.NewIdentity(ctx, "identity", identityArgs(cfg, account, logsKey))
	if err != nil {
		return nil, err
	}
	site, err := edge.NewEdge(ctx, "edge", edgeArgs(cfg, network, id, account))
	if err != nil {
		return nil, err
	}
	// The hosted sign-in pages: on the stack's own domain, or the pool's prefix domain.
	signInURL := id.HostedUIURL
	if cfg.AuthDomainName != "" {
		signInURL = site.SignInURL
	}
	appArgs, err := computeArgs(ctx, cfg, network, id, site, signInURL, account)
	appArgs.LogsKmsKeyArn = logsKey
	if err != nil {
		return nil, err
	}
	app, err := compute.NewCompute(ctx, "app", appArgs)
	if err != nil {
		return nil, err
	}
	return pulumi.Map{
		"url":              site.URL,
		"albDnsName":       site.AlbDNSName,
		"userPoolId":       id.UserPoolID,
		"userPoolClientId": id.ClientID,
		"cognitoDomain":    signInURL,
		"clusterName":      app.ClusterName,
		"serviceName":      app.ServiceName,
		"logGroupName":     app.LogGroupName,
		"vpcId":            network.VpcID,
		"accessLogBucket":  site.AccessLogBucket,
	}, nil
}

func networkArgs(cfg *config.Config, logsKey pulumi.StringInput) *networking.Args {
	region, _ := regions.Lookup(cfg.Provider.Region)
	return &networking.Args{
		CidrBlock:            cfg.VpcCidr,
		AvailabilityZones:    cfg.AvailabilityZones,
		MaxAvailabilityZones: cfg.MaxAvailabilityZones,
		ExcludeZoneIds:       region.FargateExcludedZoneIDs,
		NatGateways:          cfg.NatGateways,
		FlowLogRetentionDays: cfg.LogRetentionDays,
		FlowLogKmsKeyArn:     logsKey,
	}
}

func identityArgs(cfg *config.Config, account pulumi.StringOutput, logsKey pulumi.StringInput) *identity.Args {
	a := &identity.Args{
		Region:       cfg.Provider.Region,
		HostNames:    cfg.HostNames(),
		DomainPrefix: cfg.CognitoDomainPrefix,
		LogoutPath:   config.LogoutPath,
		SelfSignUp:   cfg.SelfSignUp,
		Mfa:          cfg.Mfa,
		Protect:      cfg.Protect,
		Providers:    cfg.IdentityProviders,
		LocalUsers:   cfg.LocalUsers,
		Groups:       cfg.Groups,
		// With MFA optional, users enrol an authenticator app through the
		// app, with their own access token: it needs this scope.
		UserAdminScope:   cfg.Mfa == config.MfaOptional,
		Tier:             cfg.UserPoolTier,
		ThreatProtection: cfg.ThreatProtection,
		AccountID:        account,
		LogRetentionDays: cfg.LogRetentionDays,
		LogsKmsKeyArn:    logsKey,
	}
	if cfg.EmailSender != "" {
		a.EmailFrom = cfg.EmailSender
		a.EmailSourceArn = pulumi.Sprintf("arn:aws:ses:%s:%s:identity/%s", cfg.Provider.Region, account, cfg.EmailIdentity())
	}
	return a
}

func edgeArgs(cfg *config.Config, network *networking.Networking, id *identity.Identity, account pulumi.StringOutput) *edge.Args {
	return &edge.Args{
		VpcID:                 network.VpcID,
		VpcCidr:               network.VpcCidr,
		PublicSubnetIds:       network.PublicSubnetIds,
		HostedZoneName:        cfg.HostedZoneName,
		HostNames:             cfg.HostNames(),
		PublicPaths:           cfg.PublicPathsWithLogout(),
		APIPaths:              cfg.APIPaths,
		ContainerPort:         cfg.ContainerPort,
		HealthCheckPath:       cfg.HealthCheckPath,
		UserPoolArn:           id.UserPoolArn,
		UserPoolClientID:      id.ClientID,
		UserPoolDomain:        id.DomainPrefix,
		UserPoolID:            id.UserPoolID,
		Scopes:                id.Scopes,
		DirectProvider:        cfg.DirectProvider(),
		AuthDomainName:        cfg.AuthDomainName,
		Provider:              cfg.Provider,
		AccountID:             account,
		AccessLogs:            cfg.AccessLogs,
		LogRetentionDays:      cfg.LogRetentionDays,
		Waf:                   cfg.Waf,
		WafRateLimit:          cfg.WafRateLimit,
		WafIPRateLimit:        cfg.WafIPRateLimit,
		SessionTimeoutSeconds: cfg.SessionTimeoutSeconds,
		Protect:               cfg.Protect,
	}
}

func computeArgs(ctx *pulumi.Context, cfg *config.Config, network *networking.Networking, id *identity.Identity, site *edge.Edge, signInURL pulumi.StringOutput, account pulumi.StringOutput) (*compute.Args, error) {
	buildContext, imageTag, err := builtInApp(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &compute.Args{
		VpcID:              network.VpcID,
		PrivateSubnetIds:   network.PrivateSubnetIds,
		AlbSecurityGroupID: site.SecurityGroupID,
		TargetGroupArn:     site.TargetGroupArn,
		DependsOn:          site.ListenerRules,
		Region:             cfg.Provider.Region,
		Family:             cfg.NamePrefix(),
		Image:              cfg.Image,
		BuildContext:       buildContext,
		ContainerPort:      cfg.ContainerPort,
		CPU:                cfg.CPU,
		Memory:             cfg.Memory,
		DesiredCount:       cfg.DesiredCount,
		Environment:        cfg.Environment,
		// What the container needs to verify x-amzn-oidc-data and sign users
		// out (app/ reads these; any image may). config.StackEnvironment
		// names them, so that the environment key cannot.
		StackEnvironment: pulumi.StringMap{
			"ALB_ARN":                 site.AlbArn,
			"AWS_REGION":              pulumi.String(cfg.Provider.Region),
			"COGNITO_CLIENT_ID":       id.ClientID,
			"COGNITO_DOMAIN":          signInURL,
			"COGNITO_ISSUER":          id.IssuerURL,
			config.AdminGroupVariable: pulumi.String(cfg.AdminGroup),
			"LOGOUT_URL":              pulumi.String(cfg.LogoutURL()),
			"PORT":                    pulumi.String(strconv.Itoa(cfg.ContainerPort)),
		},
		ReadOnlyRootFilesystem: cfg.ReadOnlyRootFilesystem,
		WritablePaths:          cfg.WritablePaths,
		LogRetentionDays:       cfg.LogRetentionDays,
		ImageTag:               imageTag,
		ImageRetention:         cfg.ImageRetention,
		Capacity:               cfg.Capacity,
		OnDemandBase:           cfg.OnDemandBase,
		Exec:                   cfg.Exec,
		Secrets:                cfg.SecretRefs(),
		SecretsKmsKey:          cfg.SecretsKmsKey,
		AccountID:              account,
		MinCount:               cfg.MinCount,
		MaxCount:               cfg.MaxCount,
		RequestCountLabel:      site.RequestCountLabel,
	}, nil
}

// builtInApp is where the built-in app's image is built from and its tag
// (a hash of its sources), or "" and "" when the stack runs an image.
func builtInApp(ctx *pulumi.Context, cfg *config.Config) (buildContext, tag string, err error) {
	if !cfg.BuiltInApp {
		return "", "", nil
	}
	root := ctx.RootDirectory()
	if root == "" {
		root = "."
	}
	tag, err = compute.ContextTag(filepath.Join(root, "app"))
	// Pulumi runs the program in the project directory.
	return "./app", tag, err
}
