package compute

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Target tracking: keep average CPU and requests per task near these, adding
// tasks within a minute and removing them no faster than every five.
const (
	ScaleCPUPercent          = 60
	ScaleRequestsPerTarget   = 1000 // requests per task per minute
	ScaleOutCooldownSeconds  = 60
	ScaleInCooldownSeconds   = 300
	scalableDimensionService = "ecs:service:DesiredCount"
)

// newScaling scales the service between min and max tasks on CPU and on the
// load balancer's requests per task (label: the ALB's and target group's ARN
// suffixes). The service ignores later changes of desiredCount, so a
// `pulumi up` does not reset the running count.
func newScaling(ctx *pulumi.Context, name string, cluster *ecs.Cluster, svc *ecs.Service, min, max int, requestCountLabel pulumi.StringInput, parent pulumi.ResourceOption) error {
	target, err := appautoscaling.NewTarget(ctx, name+"-scaling", &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("ecs"),
		ScalableDimension: pulumi.String(scalableDimensionService),
		ResourceId:        pulumi.Sprintf("service/%s/%s", cluster.Name, svc.Name),
		MinCapacity:       pulumi.Int(min),
		MaxCapacity:       pulumi.Int(max),
	}, parent)
	if err != nil {
		return err
	}
	policy := func(suffix string, metric *appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs, value float64) error {
		_, err := appautoscaling.NewPolicy(ctx, name+"-scale-on-"+suffix, &appautoscaling.PolicyArgs{
			PolicyType:        pulumi.String("TargetTrackingScaling"),
			ServiceNamespace:  target.ServiceNamespace,
			ScalableDimension: target.ScalableDimension,
			ResourceId:        target.ResourceId,
			TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
				PredefinedMetricSpecification: metric,
				TargetValue:                   pulumi.Float64(value),
				ScaleOutCooldown:              pulumi.Int(ScaleOutCooldownSeconds),
				ScaleInCooldown:               pulumi.Int(ScaleInCooldownSeconds),
			},
		}, parent)
		return err
	}
	if err := policy("cpu", &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
		PredefinedMetricType: pulumi.String("ECSServiceAverageCPUUtilization"),
	}, ScaleCPUPercent); err != nil {
		return err
	}
	return policy("requests", &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
		PredefinedMetricType: pulumi.String("ALBRequestCountPerTarget"),
		ResourceLabel:        requestCountLabel,
	}, ScaleRequestsPerTarget)
}
