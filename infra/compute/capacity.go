package compute

import (
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newCapacityProviders lets the cluster run tasks on Fargate and Fargate
// Spot. The cluster has both whatever the service uses, so switching
// capacity changes only the service.
func newCapacityProviders(ctx *pulumi.Context, name string, cluster *ecs.Cluster, parent pulumi.ResourceOption) (pulumi.Resource, error) {
	return ecs.NewClusterCapacityProviders(ctx, name+"-capacity", &ecs.ClusterCapacityProvidersArgs{
		ClusterName:       cluster.Name,
		CapacityProviders: pulumi.StringArray{pulumi.String("FARGATE"), pulumi.String("FARGATE_SPOT")},
		DefaultCapacityProviderStrategies: ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArray{
			&ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs{CapacityProvider: pulumi.String("FARGATE"), Weight: pulumi.Int(1)},
		},
	}, parent)
}

// capacityStrategy is the service's capacity provider strategy, or nil for
// on-demand Fargate, which keeps the FARGATE launch type (as services
// deployed before capacity existed have it: they are not replaced). A
// strategy and a launch type exclude each other.
func capacityStrategy(capacity config.Capacity, onDemandBase int) ecs.ServiceCapacityProviderStrategyArray {
	switch capacity {
	case config.CapacitySpot:
		return ecs.ServiceCapacityProviderStrategyArray{
			&ecs.ServiceCapacityProviderStrategyArgs{CapacityProvider: pulumi.String("FARGATE_SPOT"), Weight: pulumi.Int(1)},
		}
	case config.CapacityMixed:
		// The first onDemandBase tasks on demand, every further one on Spot.
		return ecs.ServiceCapacityProviderStrategyArray{
			&ecs.ServiceCapacityProviderStrategyArgs{CapacityProvider: pulumi.String("FARGATE"), Base: pulumi.Int(onDemandBase), Weight: pulumi.Int(0)},
			&ecs.ServiceCapacityProviderStrategyArgs{CapacityProvider: pulumi.String("FARGATE_SPOT"), Weight: pulumi.Int(1)},
		}
	}
	return nil
}
