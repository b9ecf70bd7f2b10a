// Package networking builds the VPC: public subnets for the load balancer,
// private subnets for the tasks, NAT for the tasks' outbound traffic.
package networking

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	awsxec2 "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:networking:Networking"

// Args configures the VPC. All values decide which resources exist, so they
// are plain Go values.
type Args struct {
	// CidrBlock is the VPC's IPv4 block. Default 10.0.0.0/16.
	CidrBlock string
	// AvailabilityZones is how many zones get a public and a private subnet. Default 2.
	AvailabilityZones int
	// NatPerAz puts a NAT gateway in every zone (survives a zone outage)
	// instead of one for the whole VPC. Default false.
	NatPerAz bool
	// FlowLogRetentionDays is how long VPC flow logs (Security Hub EC2.6) are kept. Default 30.
	FlowLogRetentionDays int
}

// Networking is the VPC and its subnets.
type Networking struct {
	pulumi.ResourceState

	VpcId            pulumi.StringOutput      `pulumi:"vpcId"`
	VpcCidr          pulumi.StringOutput      `pulumi:"vpcCidr"`
	PublicSubnetIds  pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	PrivateSubnetIds pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
}

// NewNetworking creates the VPC.
func NewNetworking(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Networking, error) {
	if args == nil {
		return nil, errors.New("networking: args are required")
	}
	a := *args
	if a.CidrBlock == "" {
		a.CidrBlock = "10.0.0.0/16"
	}
	if a.AvailabilityZones == 0 {
		a.AvailabilityZones = 2
	}
	if a.FlowLogRetentionDays == 0 {
		a.FlowLogRetentionDays = 30
	}
	if a.AvailabilityZones < 2 {
		return nil, fmt.Errorf("networking: AvailabilityZones is %d; an ALB needs at least 2", a.AvailabilityZones)
	}

	c := &Networking{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	strategy := awsxec2.NatGatewayStrategySingle
	if a.NatPerAz {
		strategy = awsxec2.NatGatewayStrategyOnePerAz
	}
	subnetStrategy := awsxec2.SubnetAllocationStrategyAuto
	vpc, err := awsxec2.NewVpc(ctx, name+"-vpc", &awsxec2.VpcArgs{
		CidrBlock:                 pulumi.StringRef(a.CidrBlock),
		NumberOfAvailabilityZones: pulumi.IntRef(a.AvailabilityZones),
		SubnetStrategy:            &subnetStrategy,
		SubnetSpecs: []awsxec2.SubnetSpecArgs{
			{Type: awsxec2.SubnetTypePublic},
			{Type: awsxec2.SubnetTypePrivate},
		},
		NatGateways:        &awsxec2.NatGatewayConfigurationArgs{Strategy: strategy},
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, err
	}

	// Security Hub EC2.2: take over the VPC's default security group and
	// leave it without rules, so nothing that lands in it by accident can talk.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.VpcId,
	}, parent); err != nil {
		return nil, err
	}

	if err := newFlowLog(ctx, name, vpc.VpcId, a.FlowLogRetentionDays, parent); err != nil {
		return nil, err
	}

	c.VpcId = vpc.VpcId
	c.VpcCidr = pulumi.String(a.CidrBlock).ToStringOutput()
	c.PublicSubnetIds = vpc.PublicSubnetIds
	c.PrivateSubnetIds = vpc.PrivateSubnetIds
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vpcId":            c.VpcId,
		"vpcCidr":          c.VpcCidr,
		"publicSubnetIds":  c.PublicSubnetIds,
		"privateSubnetIds": c.PrivateSubnetIds,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// newFlowLog sends the VPC's flow logs to CloudWatch Logs (Security Hub EC2.6).
func newFlowLog(ctx *pulumi.Context, name string, vpcID pulumi.StringInput, retentionDays int, parent pulumi.ResourceOption) error {
	logs, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(retentionDays),
	}, parent)
	if err != nil {
		return err
	}
	role, err := iam.NewRole(ctx, name+"-flow-logs", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
	}, parent)
	if err != nil {
		return err
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: pulumi.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogStreams"],"Resource":"%s:*"}]}`, logs.Arn),
	}, parent); err != nil {
		return err
	}
	_, err = ec2.NewFlowLog(ctx, name+"-flow-log", &ec2.FlowLogArgs{
		VpcId:              vpcID,
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination:     logs.Arn,
		IamRoleArn:         role.Arn,
	}, parent)
	return err
}
