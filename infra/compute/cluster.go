package compute

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newCluster creates the cluster with Container Insights (Security Hub
// ECS.12) and its capacity providers (capacity.go), which the service
// must wait for.
func newCluster(ctx *pulumi.Context, name string, parent pulumi.ResourceOption) (*ecs.Cluster, pulumi.Resource, error) {
	cluster, err := ecs.NewCluster(ctx, name+"-cluster", &ecs.ClusterArgs{
		Settings: ecs.ClusterSettingArray{
			&ecs.ClusterSettingArgs{Name: pulumi.String("containerInsights"), Value: pulumi.String("enabled")},
		},
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	capacity, err := newCapacityProviders(ctx, name, cluster, parent)
	if err != nil {
		return nil, nil, err
	}
	return cluster, capacity, nil
}

// newLogGroup is the container's log group (and, with ECS Exec, its
// sessions').
func newLogGroup(ctx *pulumi.Context, name string, retentionDays int, kmsKeyArn pulumi.StringInput, parent pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	return cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(retentionDays),
		KmsKeyId:        kmsKeyArn,
	}, parent)
}
