// Package stack is the whole program: it loads the configuration and wires the
// four components together. main.go runs it under the Pulumi engine and
// cmd/synth runs the very same code under a recording mock.
package stack

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/compute"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/edge"
	"github.com/example/alb-cognito-fargate/infra/identity"
	"github.com/example/alb-cognito-fargate/infra/networking"
	"github.com/example/alb-cognito-fargate/infra/regions"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// mfaModes maps the config's mfa values to Cognito's.
var mfaModes = map[string]string{
	config.MfaOff:      identity.MfaOff,
	config.MfaOptional: identity.MfaOptional,
	config.MfaOn:       identity.MfaOn,
}

// Program loads and validates the configuration, builds the stack and
// returns the stack outputs. A configuration error is returned before any
// resource is registered.
func Program(ctx *pulumi.Context) (pulumi.Map, error) {
	cfg, err := config.Load(ctx)
	if err != nil {
		return nil, err
	}
	return Build(ctx, cfg)
}

// Build wires the components for a validated configuration.
func Build(ctx *pulumi.Context, cfg *config.Config) (pulumi.Map, error) {
	hosts := cfg.HostNames()
	// Users land on LogoutPath after signing out, so it must work without
	// signing in.
	publicPaths := cfg.PublicPaths
	if !slices.Contains(publicPaths, config.LogoutPath) {
		publicPaths = append(slices.Clone(publicPaths), config.LogoutPath)
	}

	region, _ := regions.Lookup(cfg.Region)
	network, err := networking.NewNetworking(ctx, "network", &networking.Args{
		CidrBlock:            cfg.VpcCidr,
		AvailabilityZones:    cfg.AvailabilityZones,
		MaxAvailabilityZones: cfg.MaxAvailabilityZones,
		ExcludeZoneIds:       region.FargateExcludedZoneIDs,
		NatPerAz:             cfg.NatGateways == config.NatPerAz,
		FlowLogRetentionDays: cfg.LogRetentionDays,
	})
	if err != nil {
		return nil, err
	}

	idArgs := &identity.Args{
		Region:       cfg.Region,
		HostNames:    hosts,
		DomainPrefix: cfg.CognitoDomainPrefix,
		LogoutPath:   config.LogoutPath,
		SelfSignUp:   cfg.SelfSignUp,
		Mfa:          mfaModes[cfg.Mfa],
		Protect:      cfg.Protect,
		Providers:    providers(cfg.IdentityProviders),
		NoLocalUsers: !cfg.LocalUsers,
		// With MFA optional, users enrol an authenticator app through the
		// app, with their own access token: it needs this scope.
		UserAdminScope:   cfg.Mfa == config.MfaOptional,
		Tier:             cfg.UserPoolTier,
		ThreatProtection: strings.ToUpper(cfg.ThreatProtection),
	}
	for _, g := range cfg.Groups {
		idArgs.Groups = append(idArgs.Groups, identity.Group{Name: g.Name, Description: g.Description})
	}
	// The account the stack deploys to: for the SES identity, secrets named
	// by SSM parameter name, and the access log bucket's policy.
	account := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}).AccountId()
	if cfg.EmailSender != "" {
		idArgs.EmailFrom = cfg.EmailSender
		idArgs.EmailSourceArn = pulumi.Sprintf("arn:aws:ses:%s:%s:identity/%s", cfg.Region, account, cfg.EmailIdentity())
	}
	id, err := identity.NewIdentity(ctx, "identity", idArgs)
	if err != nil {
		return nil, err
	}
	directProvider := ""
	if !cfg.LocalUsers && len(cfg.IdentityProviders) == 1 {
		directProvider = cfg.IdentityProviders[0].Name
	}

	site, err := edge.NewEdge(ctx, "edge", &edge.Args{
		VpcId:                 network.VpcId,
		VpcCidr:               network.VpcCidr,
		PublicSubnetIds:       network.PublicSubnetIds,
		HostedZoneName:        cfg.HostedZoneName,
		HostNames:             hosts,
		PublicPaths:           publicPaths,
		APIPaths:              cfg.APIPaths,
		ContainerPort:         cfg.ContainerPort,
		HealthCheckPath:       cfg.HealthCheckPath,
		UserPoolArn:           id.UserPoolArn,
		UserPoolClientId:      id.ClientId,
		UserPoolDomain:        id.DomainPrefix,
		UserPoolId:            id.UserPoolId,
		Scopes:                id.Scopes,
		DirectProvider:        directProvider,
		AuthDomainName:        cfg.AuthDomainName,
		AwsProfile:            cfg.AwsProfile,
		Region:                cfg.Region,
		AccountId:             account,
		AccessLogs:            cfg.AccessLogs,
		LogRetentionDays:      cfg.LogRetentionDays,
		Waf:                   wafMode(cfg.Waf),
		WafRateLimit:          cfg.WafRateLimit,
		SessionTimeoutSeconds: cfg.SessionTimeoutSeconds,
		Protect:               cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	// The hosted sign-in pages: on the stack's own domain, or the pool's prefix domain.
	signInURL := id.HostedUiUrl
	if cfg.AuthDomainName != "" {
		signInURL = site.SignInUrl
	}

	buildContext, imageTag := "", ""
	if cfg.BuiltInApp {
		buildContext = "./app" // Pulumi runs the program in the project directory
		root := ctx.RootDirectory()
		if root == "" {
			root = "."
		}
		tag, err := compute.ContextTag(filepath.Join(root, "app"))
		if err != nil {
			return nil, err
		}
		imageTag = tag
	}
	var secrets []compute.Secret
	for _, s := range cfg.Secrets {
		secrets = append(secrets, compute.Secret{Name: s.Name, ValueFrom: s.ValueFrom, Action: s.Action, Resources: s.Resources})
	}
	app, err := compute.NewCompute(ctx, "app", &compute.Args{
		VpcId:              network.VpcId,
		PrivateSubnetIds:   network.PrivateSubnetIds,
		AlbSecurityGroupId: site.SecurityGroupId,
		TargetGroupArn:     site.TargetGroupArn,
		DependsOn:          site.ListenerRules,
		Region:             cfg.Region,
		Family:             cfg.NamePrefix(),
		Image:              cfg.Image,
		BuildContext:       buildContext,
		ContainerPort:      cfg.ContainerPort,
		Cpu:                cfg.Cpu,
		Memory:             cfg.Memory,
		DesiredCount:       cfg.DesiredCount,
		Environment:        cfg.Environment,
		// What the container needs to verify x-amzn-oidc-data and sign users
		// out (app/ reads these; any image may).
		StackEnvironment: pulumi.StringMap{
			"ALB_ARN":           site.AlbArn,
			"AWS_REGION":        pulumi.String(cfg.Region),
			"COGNITO_CLIENT_ID": id.ClientId,
			"COGNITO_DOMAIN":    signInURL,
			"COGNITO_ISSUER":    id.IssuerUrl,
			"ADMIN_GROUP":       pulumi.String(cfg.AdminGroup()),
			"LOGOUT_URL":        pulumi.String("https://" + cfg.DomainName + config.LogoutPath),
			"PORT":              pulumi.String(strconv.Itoa(cfg.ContainerPort)),
		},
		ReadOnlyRootFilesystem: cfg.ReadOnlyRootFilesystem,
		WritablePaths:          cfg.WritablePaths,
		LogRetentionDays:       cfg.LogRetentionDays,
		ImageTag:               imageTag,
		ImageRetention:         cfg.ImageRetention,
		Capacity:               cfg.Capacity,
		OnDemandBase:           cfg.OnDemandBase,
		Exec:                   cfg.Exec,
		Secrets:                secrets,
		SecretsKmsKey:          cfg.SecretsKmsKey,
		AccountId:              account,
		MinCount:               cfg.MinCount,
		MaxCount:               cfg.MaxCount,
		RequestCountLabel:      site.RequestCountLabel,
	})
	if err != nil {
		return nil, err
	}

	return pulumi.Map{
		"url":              site.Url,
		"albDnsName":       site.AlbDnsName,
		"userPoolId":       id.UserPoolId,
		"userPoolClientId": id.ClientId,
		"cognitoDomain":    signInURL,
		"clusterName":      app.ClusterName,
		"serviceName":      app.ServiceName,
		"logGroupName":     app.LogGroupName,
		"vpcId":            network.VpcId,
		"accessLogBucket":  site.AccessLogBucket,
	}, nil
}

// wafMode is the edge's WAF mode: "" for none.
func wafMode(waf string) string {
	if waf == config.WafOff {
		return ""
	}
	return waf
}

// providers turns the configured identity providers into Cognito's terms.
func providers(in []config.IdentityProvider) []identity.Provider {
	var out []identity.Provider
	for _, p := range in {
		idp := identity.Provider{Name: p.Name, Details: map[string]string{}, ClientSecret: p.ClientSecret, AttributeMapping: p.AttributeMapping}
		scopes := p.Scopes
		if scopes == "" {
			scopes = "openid email profile"
		}
		switch p.Type {
		case config.IdPOIDC:
			idp.Type = identity.ProviderOIDC
			method := p.AttributesRequestMethod
			if method == "" {
				method = "GET"
			}
			idp.Details = map[string]string{"oidc_issuer": p.Issuer, "client_id": p.ClientID, "authorize_scopes": scopes, "attributes_request_method": method}
		case config.IdPGoogle:
			idp.Type = identity.ProviderGoogle
			idp.Details = map[string]string{"client_id": p.ClientID, "authorize_scopes": scopes}
		case config.IdPSAML:
			idp.Type = identity.ProviderSAML
			if p.MetadataURL != "" {
				idp.Details["MetadataURL"] = p.MetadataURL
			} else {
				idp.Details["MetadataFile"] = p.MetadataFile
			}
			idp.Details["IDPSignout"] = strconv.FormatBool(p.SignOut)
		}
		if idp.AttributeMapping == nil && p.Type != config.IdPSAML {
			idp.AttributeMapping = map[string]string{"email": "email"}
		}
		out = append(out, idp)
	}
	return out
}
