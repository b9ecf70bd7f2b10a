package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newLoadBalancer creates the internet-facing load balancer in the public
// subnets, with the Security Hub ELB controls on, and, with AccessLogs, the
// bucket it writes its access logs to (accesslogs.go). It returns the
// bucket's name ("" without access logs).
func newLoadBalancer(ctx *pulumi.Context, name string, a Args, sg *ec2.SecurityGroup, parent pulumi.ResourceOption) (*lb.LoadBalancer, pulumi.StringOutput, error) {
	// Access logs (ELB.5): the bucket and its policy exist before the load
	// balancer turns logging on (ELB writes a test object then).
	var accessLogs *lb.LoadBalancerAccessLogsArgs
	var deps []pulumi.Resource
	bucket := pulumi.String("").ToStringOutput()
	if a.AccessLogs {
		name, policy, err := newAccessLogs(ctx, name, a.Provider.Region, a.AccountID, a.LogRetentionDays, a.Protect, parent)
		if err != nil {
			return nil, pulumi.StringOutput{}, err
		}
		accessLogs = &lb.LoadBalancerAccessLogsArgs{Bucket: name, Prefix: pulumi.String(AccessLogPrefix), Enabled: pulumi.Bool(true)}
		deps = append(deps, policy)
		bucket = name
	}
	alb, err := lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		SecurityGroups:           pulumi.StringArray{sg.ID()},
		Subnets:                  a.PublicSubnetIds,
		DropInvalidHeaderFields:  pulumi.Bool(true),          // ELB.4
		DesyncMitigationMode:     pulumi.String("defensive"), // ELB.12
		EnableDeletionProtection: pulumi.Bool(a.Protect),     // ELB.6
		EnableHttp2:              pulumi.Bool(true),
		AccessLogs:               accessLogs, // ELB.5
	}, parent, pulumi.DependsOn(deps))
	return alb, bucket, err
}
