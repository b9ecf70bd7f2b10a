// Package networking builds the VPC: public subnets for the load balancer,
// private subnets for the tasks, NAT for the tasks' outbound traffic.
//
// Every subnet's block comes from a fixed address plan (Layout): adding a
// zone adds subnets and changes none. The resources are the ones the awsx
// VPC component created in earlier versions, under the same names, and each
// says where awsx had it (an alias), so stacks deployed with awsx keep their
// VPC, subnets, routes and NAT gateways.
package networking

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
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
	// MaxAvailabilityZones is how many zones the address plan has room for
	// (see Layout); it decides every subnet's block, so it must not change
	// once deployed. Default 6.
	MaxAvailabilityZones int
	// ExcludeZoneIds are zone ids never to use (zones Fargate does not run in).
	ExcludeZoneIds []string
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
	// NatGatewayCount is how many NAT gateways the VPC has.
	NatGatewayCount int
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
	if a.MaxAvailabilityZones == 0 {
		a.MaxAvailabilityZones = 6
	}
	if a.FlowLogRetentionDays == 0 {
		a.FlowLogRetentionDays = 30
	}
	block, err := netip.ParsePrefix(a.CidrBlock)
	if err != nil {
		return nil, fmt.Errorf("networking: CidrBlock: %w", err)
	}
	if a.AvailabilityZones < 2 {
		return nil, fmt.Errorf("networking: AvailabilityZones is %d; an ALB needs at least 2", a.AvailabilityZones)
	}
	plan, err := Layout{Block: block, MaxZones: a.MaxAvailabilityZones}.Zones(a.AvailabilityZones)
	if err != nil {
		return nil, fmt.Errorf("networking: %w", err)
	}

	c := &Networking{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	// Where awsx had each resource: its component, then a tree under the
	// VPC (subnets, their route tables, routes and associations; EIPs and
	// NAT gateways under the public subnets).
	vpcName := name + "-vpc"
	awsx := pulumi.CreateURN(pulumi.String(vpcName), pulumi.String("awsx:ec2:Vpc"), c.URN().ToStringOutput(), pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	under := func(parentName, parentType string, grandparent pulumi.URNOutput) pulumi.URNOutput {
		return pulumi.CreateURN(pulumi.String(parentName), pulumi.String(parentType), grandparent.ToStringOutput(), pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	}
	wasUnder := func(oldParent pulumi.URNOutput) pulumi.ResourceOption {
		return pulumi.Aliases([]pulumi.Alias{{ParentURN: oldParent}})
	}
	oldVpc := under(vpcName, "aws:ec2/vpc:Vpc", awsx)

	vpc, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(a.CidrBlock),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               pulumi.StringMap{"Name": pulumi.String(vpcName)},
	}, parent, wasUnder(awsx))
	if err != nil {
		return nil, err
	}
	igw, err := ec2.NewInternetGateway(ctx, vpcName, &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  pulumi.StringMap{"Name": pulumi.String(vpcName)},
	}, parent, wasUnder(oldVpc))
	if err != nil {
		return nil, err
	}

	// The first n zone names of the region in name order, local and
	// wavelength zones (which need an opt-in) and zones Fargate skips left
	// out: the same zones on every run.
	zones := aws.GetAvailabilityZonesOutput(ctx, aws.GetAvailabilityZonesOutputArgs{
		ExcludeZoneIds: pulumi.ToStringArray(a.ExcludeZoneIds),
		Filters: aws.GetAvailabilityZonesFilterArray{aws.GetAvailabilityZonesFilterArgs{
			Name: pulumi.String("opt-in-status"), Values: pulumi.StringArray{pulumi.String("opt-in-not-required")},
		}},
	}, pulumi.Parent(c)).Names()

	var public, private pulumi.StringArray
	var nats []*ec2.NatGateway
	for i, z := range plan {
		k := i + 1
		az := zoneName(zones, i)
		pub, err := newSubnetWithRoutes(ctx, fmt.Sprintf("%s-public-%d", vpcName, k), "Public", z.Public, az, vpc, oldVpc, parent)
		if err != nil {
			return nil, err
		}
		// One NAT gateway in the first zone, or one per zone.
		if i == 0 || a.NatPerAz {
			oldPub := under(pub.name, "aws:ec2/subnet:Subnet", oldVpc)
			natName := fmt.Sprintf("%s-%d", vpcName, k)
			eip, err := ec2.NewEip(ctx, natName, &ec2.EipArgs{
				Tags: pulumi.StringMap{"Name": pulumi.String(natName)},
			}, parent, wasUnder(oldPub))
			if err != nil {
				return nil, err
			}
			nat, err := ec2.NewNatGateway(ctx, natName, &ec2.NatGatewayArgs{
				SubnetId:     pub.subnet.ID(),
				AllocationId: eip.AllocationId,
				Tags:         pulumi.StringMap{"Name": pulumi.String(natName)},
			}, parent, wasUnder(oldPub), pulumi.DependsOn([]pulumi.Resource{igw}))
			if err != nil {
				return nil, err
			}
			nats = append(nats, nat)
		}
		if _, err := pub.route("0.0.0.0/0", &ec2.RouteArgs{GatewayId: igw.ID()}); err != nil {
			return nil, err
		}
		priv, err := newSubnetWithRoutes(ctx, fmt.Sprintf("%s-private-%d", vpcName, k), "Private", z.Private, az, vpc, oldVpc, parent)
		if err != nil {
			return nil, err
		}
		if _, err := priv.route("0.0.0.0/0", &ec2.RouteArgs{NatGatewayId: nats[len(nats)-1].ID()}); err != nil {
			return nil, err
		}
		public = append(public, pub.subnet.ID())
		private = append(private, priv.subnet.ID())
	}

	// Security Hub EC2.2: take over the VPC's default security group and
	// leave it without rules, so nothing that lands in it by accident can talk.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
	}, parent); err != nil {
		return nil, err
	}

	if err := newFlowLog(ctx, name, vpc.ID(), a.FlowLogRetentionDays, parent); err != nil {
		return nil, err
	}

	c.VpcId = vpc.ID().ToStringOutput()
	c.VpcCidr = vpc.CidrBlock
	c.PublicSubnetIds = public.ToStringArrayOutput()
	c.PrivateSubnetIds = private.ToStringArrayOutput()
	c.NatGatewayCount = len(nats)
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

// zoneName is the i-th zone name, or an error that says the region has too
// few (the configuration check knows each region's zones; an account may
// see fewer).
func zoneName(names pulumi.StringArrayOutput, i int) pulumi.StringOutput {
	return names.ApplyT(func(n []string) (string, error) {
		if i >= len(n) {
			return "", fmt.Errorf("this account sees only %d usable availability zones in the region (%v), and the stack asks for a zone number %d: lower availabilityZones", len(n), n, i+1)
		}
		return n[i], nil
	}).(pulumi.StringOutput)
}

// subnetWithRoutes is a subnet with its own route table.
type subnetWithRoutes struct {
	ctx    *pulumi.Context
	name   string
	subnet *ec2.Subnet
	table  *ec2.RouteTable
	opts   []pulumi.ResourceOption
}

func newSubnetWithRoutes(ctx *pulumi.Context, name, kind string, block netip.Prefix, az pulumi.StringOutput, vpc *ec2.Vpc, oldVpc pulumi.URNOutput, parent pulumi.ResourceOption) (*subnetWithRoutes, error) {
	tags := pulumi.StringMap{"Name": pulumi.String(name), "SubnetType": pulumi.String(kind)}
	s := &subnetWithRoutes{ctx: ctx, name: name}
	var err error
	s.subnet, err = ec2.NewSubnet(ctx, name, &ec2.SubnetArgs{
		VpcId:            vpc.ID(),
		CidrBlock:        pulumi.String(block.String()),
		AvailabilityZone: az,
		// Nothing in this VPC needs an automatic public address: the
		// load balancer and the NAT gateways bring their own (EC2.15).
		MapPublicIpOnLaunch: pulumi.Bool(false),
		Tags:                tags,
	}, parent, pulumi.Aliases([]pulumi.Alias{{ParentURN: oldVpc}}))
	if err != nil {
		return nil, err
	}
	oldSubnet := pulumi.CreateURN(pulumi.String(name), pulumi.String("aws:ec2/subnet:Subnet"), oldVpc.ToStringOutput(), pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	s.table, err = ec2.NewRouteTable(ctx, name, &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  tags,
	}, parent, pulumi.Aliases([]pulumi.Alias{{ParentURN: oldSubnet}}))
	if err != nil {
		return nil, err
	}
	oldTable := pulumi.CreateURN(pulumi.String(name), pulumi.String("aws:ec2/routeTable:RouteTable"), oldSubnet.ToStringOutput(), pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	s.opts = []pulumi.ResourceOption{parent, pulumi.Aliases([]pulumi.Alias{{ParentURN: oldTable}})}
	if _, err := ec2.NewRouteTableAssociation(ctx, name, &ec2.RouteTableAssociationArgs{
		RouteTableId: s.table.ID(),
		SubnetId:     s.subnet.ID(),
	}, s.opts...); err != nil {
		return nil, err
	}
	return s, nil
}

// route adds the subnet's default route (one per route table, named after
// the subnet as awsx named it).
func (s *subnetWithRoutes) route(destination string, args *ec2.RouteArgs) (*ec2.Route, error) {
	args.RouteTableId = s.table.ID()
	args.DestinationCidrBlock = pulumi.String(destination)
	return ec2.NewRoute(s.ctx, s.name, args, s.opts...)
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
