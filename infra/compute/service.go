package compute

import (
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newTaskSecurityGroup: the tasks accept traffic only from the load
// balancer, and send only HTTPS (image pulls, logs, AWS APIs) out through
// the NAT gateway.
func newTaskSecurityGroup(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name+"-task-sg", &ec2.SecurityGroupArgs{
		Description: pulumi.String("Tasks: the container port from the load balancer only; HTTPS out"),
		VpcId:       a.VpcID,
		Ingress: ec2.SecurityGroupIngressArray{
			&ec2.SecurityGroupIngressArgs{
				Description: pulumi.String("The container port, from the load balancer"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(a.ContainerPort), ToPort: pulumi.Int(a.ContainerPort),
				SecurityGroups: pulumi.StringArray{a.AlbSecurityGroupID},
			},
		},
		Egress: ec2.SecurityGroupEgressArray{
			&ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("HTTPS: image pulls, logs and AWS APIs"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
				CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			},
		},
	}, parent)
}

// newService runs DesiredCount tasks in the private subnets, without public
// addresses, behind the target group, on the latest platform (Security Hub
// ECS.2, ECS.10), rolling back a deployment whose tasks do not become
// healthy. It waits for the listener rules (ECS rejects a target group no
// rule forwards to) and the cluster's capacity providers.
func newService(ctx *pulumi.Context, name string, a Args, cluster *ecs.Cluster, capacity pulumi.Resource, taskDef *ecs.TaskDefinition, taskSg *ec2.SecurityGroup, parent pulumi.ResourceOption) (*ecs.Service, error) {
	svcArgs := &ecs.ServiceArgs{
		Cluster:         cluster.Arn,
		TaskDefinition:  taskDef.Arn,
		DesiredCount:    pulumi.Int(a.DesiredCount),
		PlatformVersion: pulumi.String("LATEST"), // ECS.10
		NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
			Subnets:        a.PrivateSubnetIds,
			SecurityGroups: pulumi.StringArray{taskSg.ID()},
			AssignPublicIp: pulumi.Bool(false), // ECS.2
		},
		LoadBalancers: ecs.ServiceLoadBalancerArray{
			&ecs.ServiceLoadBalancerArgs{
				TargetGroupArn: a.TargetGroupArn,
				ContainerName:  pulumi.String(ContainerName),
				ContainerPort:  pulumi.Int(a.ContainerPort),
			},
		},
		HealthCheckGracePeriodSeconds: pulumi.Int(60),
		DeploymentCircuitBreaker: &ecs.ServiceDeploymentCircuitBreakerArgs{
			Enable: pulumi.Bool(true), Rollback: pulumi.Bool(true),
		},
		DeploymentMinimumHealthyPercent: pulumi.Int(100),
		DeploymentMaximumPercent:        pulumi.Int(200),
		WaitForSteadyState:              pulumi.Bool(true),
		EnableEcsManagedTags:            pulumi.Bool(true),
		PropagateTags:                   pulumi.String("SERVICE"),
		EnableExecuteCommand:            pulumi.Bool(a.Exec),
	}
	if strategy := capacityStrategy(a.Capacity, a.OnDemandBase); strategy != nil {
		// With forceNewDeployment, moving between two strategies updates
		// the service in place (the provider replaces it otherwise).
		svcArgs.CapacityProviderStrategies = strategy
		svcArgs.ForceNewDeployment = pulumi.Bool(true)
	} else {
		svcArgs.LaunchType = pulumi.String("FARGATE")
	}
	svcOpts := []pulumi.ResourceOption{parent, pulumi.DependsOn(append(slices.Clone(a.DependsOn), capacity))}
	if a.MinCount > 0 {
		// Autoscaling owns the task count: desiredCount is only where the
		// service starts, and a later pulumi up must not reset it.
		svcOpts = append(svcOpts, pulumi.IgnoreChanges([]string{"desiredCount"}))
	}
	return ecs.NewService(ctx, name+"-service", svcArgs, svcOpts...)
}
