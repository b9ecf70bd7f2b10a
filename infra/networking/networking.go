// Package networking builds the VPC: public subnets for the load balancer,
// private subnets for the tasks, NAT for the tasks' outbound traffic.
//
// Every subnet's block comes from a fixed address layout (Layout): adding a
// zone adds subnets and changes none. The resources are the ones the awsx
// VPC component created in earlier versions, under the same names, and each
// says where awsx had it (an alias), so stacks deployed with awsx keep their
// VPC, subnets, routes and NAT gateways.
package networking

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:networking:Networking"

// Args configures the VPC. All values decide which resources exist, so they
// are plain Go values, validated by infra/config; none has a default here.
type Args struct {
	// CidrBlock is the VPC's IPv4 block.
	CidrBlock string
	// AvailabilityZones is how many zones get a public and a private subnet.
	AvailabilityZones int
	// MaxAvailabilityZones is how many zones the address layout has room
	// for (see Layout); it decides every subnet's block, so it must not
	// change once deployed.
	MaxAvailabilityZones int
	// ExcludeZoneIds are zone ids never to use (zones Fargate does not run in).
	ExcludeZoneIds []string
	// NatGateways: one NAT gateway for the whole VPC, or one per zone.
	NatGateways config.NatGateways
	// FlowLogRetentionDays is how long VPC flow logs (Security Hub EC2.6) are
	// kept; FlowLogKmsKeyArn encrypts them (nil: AWS's own encryption).
	FlowLogRetentionDays int
	FlowLogKmsKeyArn     pulumi.StringInput
}

// Networking is the VPC and its subnets.
type Networking struct {
	pulumi.ResourceState

	VpcID            pulumi.StringOutput      `pulumi:"vpcId"`
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
	block, err := netip.ParsePrefix(a.CidrBlock)
	if err != nil {
		return nil, fmt.Errorf("networking: CidrBlock: %w", err)
	}
	if a.AvailabilityZones < 2 {
		return nil, fmt.Errorf("networking: AvailabilityZones is %d; an ALB needs at least 2", a.AvailabilityZones)
	}
	layout, err := Layout{Block: block, MaxZones: a.MaxAvailabilityZones}.Zones(a.AvailabilityZones)
	if err != nil {
		return nil, fmt.Errorf("networking: %w", err)
	}

	c := &Networking{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	at := newPlace(ctx, c, name)

	vpc, igw, err := newVpc(at, a.CidrBlock)
	if err != nil {
		return nil, err
	}
	public, private, nats, err := newZones(at, a, layout, vpc, igw)
	if err != nil {
		return nil, err
	}
	if err := lockDefaultSecurityGroup(at, vpc); err != nil {
		return nil, err
	}
	if err := newFlowLog(at, vpc.ID(), a.FlowLogRetentionDays, a.FlowLogKmsKeyArn); err != nil {
		return nil, err
	}

	c.VpcID = vpc.ID().ToStringOutput()
	c.VpcCidr = vpc.CidrBlock
	c.PublicSubnetIds = public.ToStringArrayOutput()
	c.PrivateSubnetIds = private.ToStringArrayOutput()
	c.NatGatewayCount = nats
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vpcId":            c.VpcID,
		"vpcCidr":          c.VpcCidr,
		"publicSubnetIds":  c.PublicSubnetIds,
		"privateSubnetIds": c.PrivateSubnetIds,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// place is where the component's children go: under the component, named
// after it, and where the awsx VPC component of earlier versions had them
// (the aliases that keep deployed stacks' resources).
type place struct {
	ctx     *pulumi.Context
	name    string // the component's name
	vpcName string
	parent  pulumi.ResourceOrInvokeOption
	// awsx is the URN of the awsx VPC component earlier versions created;
	// oldVpc that of the VPC under it.
	awsx, oldVpc pulumi.URNOutput
}

func newPlace(ctx *pulumi.Context, c *Networking, name string) *place {
	at := &place{ctx: ctx, name: name, vpcName: name + "-vpc", parent: pulumi.Parent(c)}
	at.awsx = pulumi.CreateURN(pulumi.String(at.vpcName), pulumi.String("awsx:ec2:Vpc"), c.URN().ToStringOutput(), pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	at.oldVpc = at.under(at.vpcName, "aws:ec2/vpc:Vpc", at.awsx)
	return at
}

// under is the URN of a resource awsx had under parent.
func (at *place) under(name, typ string, parent pulumi.URNOutput) pulumi.URNOutput {
	return pulumi.CreateURN(pulumi.String(name), pulumi.String(typ), parent.ToStringOutput(), pulumi.String(at.ctx.Project()), pulumi.String(at.ctx.Stack()))
}

// wasUnder says a resource was once a child of oldParent (same name and type).
func wasUnder(oldParent pulumi.URNOutput) pulumi.ResourceOption {
	return pulumi.Aliases([]pulumi.Alias{{ParentURN: oldParent}})
}

// newVpc creates the VPC and its internet gateway.
func newVpc(at *place, cidr string) (*ec2.Vpc, *ec2.InternetGateway, error) {
	vpc, err := ec2.NewVpc(at.ctx, at.vpcName, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(cidr),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               pulumi.StringMap{"Name": pulumi.String(at.vpcName)},
	}, at.parent, wasUnder(at.awsx))
	if err != nil {
		return nil, nil, err
	}
	igw, err := ec2.NewInternetGateway(at.ctx, at.vpcName, &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  pulumi.StringMap{"Name": pulumi.String(at.vpcName)},
	}, at.parent, wasUnder(at.oldVpc))
	if err != nil {
		return nil, nil, err
	}
	return vpc, igw, nil
}

// lockDefaultSecurityGroup takes over the VPC's default security group and
// leaves it without rules (Security Hub EC2.2), so nothing that lands in it
// by accident can talk.
func lockDefaultSecurityGroup(at *place, vpc *ec2.Vpc) error {
	_, err := ec2.NewDefaultSecurityGroup(at.ctx, at.name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
	}, at.parent)
	return err
}
