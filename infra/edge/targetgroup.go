package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newTargetGroup is where the listener rules forward: the tasks, by IP
// address (Fargate's awsvpc tasks register that way), health-checked on
// HealthCheckPath.
func newTargetGroup(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*lb.TargetGroup, error) {
	return lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
		TargetType:          pulumi.String("ip"),
		Protocol:            pulumi.String("HTTP"),
		Port:                pulumi.Int(a.ContainerPort),
		VpcId:               a.VpcID,
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Path:               pulumi.String(a.HealthCheckPath),
			Matcher:            pulumi.String("200-399"),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(3),
		},
	}, parent)
}
