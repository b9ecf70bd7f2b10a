// Package stack is the whole program: it loads the configuration and wires the
// four components together. main.go runs it under the Pulumi engine and
// cmd/synth runs the very same code under a recording mock.
package stack

import (
	"slices"
	"strconv"

	"github.com/example/alb-cognito-fargate/infra/compute"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/edge"
	"github.com/example/alb-cognito-fargate/infra/identity"
	"github.com/example/alb-cognito-fargate/infra/networking"
	"github.com/example/alb-cognito-fargate/infra/regions"
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

	id, err := identity.NewIdentity(ctx, "identity", &identity.Args{
		Region:       cfg.Region,
		HostNames:    hosts,
		DomainPrefix: cfg.CognitoDomainPrefix,
		LogoutPath:   config.LogoutPath,
		SelfSignUp:   cfg.SelfSignUp,
		Mfa:          mfaModes[cfg.Mfa],
		Protect:      cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	site, err := edge.NewEdge(ctx, "edge", &edge.Args{
		VpcId:                 network.VpcId,
		VpcCidr:               network.VpcCidr,
		PublicSubnetIds:       network.PublicSubnetIds,
		HostedZoneName:        cfg.HostedZoneName,
		HostNames:             hosts,
		PublicPaths:           publicPaths,
		ContainerPort:         cfg.ContainerPort,
		HealthCheckPath:       cfg.HealthCheckPath,
		UserPoolArn:           id.UserPoolArn,
		UserPoolClientId:      id.ClientId,
		UserPoolDomain:        id.DomainPrefix,
		SessionTimeoutSeconds: cfg.SessionTimeoutSeconds,
		Protect:               cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	buildContext := ""
	if cfg.BuiltInApp {
		buildContext = "./app" // Pulumi runs the program in the project directory
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
			"COGNITO_DOMAIN":    id.HostedUiUrl,
			"LOGOUT_URL":        pulumi.String("https://" + cfg.DomainName + config.LogoutPath),
			"PORT":              pulumi.String(strconv.Itoa(cfg.ContainerPort)),
		},
		ReadOnlyRootFilesystem: cfg.ReadOnlyRootFilesystem,
		WritablePaths:          cfg.WritablePaths,
		LogRetentionDays:       cfg.LogRetentionDays,
	})
	if err != nil {
		return nil, err
	}

	return pulumi.Map{
		"url":              site.Url,
		"albDnsName":       site.AlbDnsName,
		"userPoolId":       id.UserPoolId,
		"userPoolClientId": id.ClientId,
		"cognitoDomain":    id.HostedUiUrl,
		"clusterName":      app.ClusterName,
		"serviceName":      app.ServiceName,
		"logGroupName":     app.LogGroupName,
		"vpcId":            network.VpcId,
	}, nil
}
