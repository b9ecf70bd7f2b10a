package networking

import (
	"fmt"
	"net/netip"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newZones gives each zone of the layout a public subnet (routed to the
// internet gateway) and a private one (routed to a NAT gateway: the first
// zone's, or the zone's own with NAT per zone). It returns the subnet ids
// in zone order and how many NAT gateways it made.
func newZones(at *place, a Args, layout []Zone, vpc *ec2.Vpc, igw *ec2.InternetGateway) (public, private pulumi.StringArray, nats int, err error) {
	// The first n zone names of the region in name order, local and
	// wavelength zones (which need an opt-in) and zones Fargate skips left
	// out: the same zones on every run.
	zones := aws.GetAvailabilityZonesOutput(at.ctx, aws.GetAvailabilityZonesOutputArgs{
		ExcludeZoneIds: pulumi.ToStringArray(a.ExcludeZoneIds),
		Filters: aws.GetAvailabilityZonesFilterArray{aws.GetAvailabilityZonesFilterArgs{
			Name: pulumi.String("opt-in-status"), Values: pulumi.StringArray{pulumi.String("opt-in-not-required")},
		}},
	}, at.parent).Names()

	var nat *ec2.NatGateway
	for i, z := range layout {
		k := i + 1
		az := zoneName(zones, i)
		pub, err := newSubnetWithRoutes(at, fmt.Sprintf("%s-public-%d", at.vpcName, k), "Public", z.Public, az, vpc)
		if err != nil {
			return nil, nil, 0, err
		}
		if i == 0 || a.NatGateways == config.NatPerAz {
			if nat, err = newNatGateway(at, k, pub, igw); err != nil {
				return nil, nil, 0, err
			}
			nats++
		}
		if _, err := pub.route("0.0.0.0/0", &ec2.RouteArgs{GatewayId: igw.ID()}); err != nil {
			return nil, nil, 0, err
		}
		priv, err := newSubnetWithRoutes(at, fmt.Sprintf("%s-private-%d", at.vpcName, k), "Private", z.Private, az, vpc)
		if err != nil {
			return nil, nil, 0, err
		}
		if _, err := priv.route("0.0.0.0/0", &ec2.RouteArgs{NatGatewayId: nat.ID()}); err != nil {
			return nil, nil, 0, err
		}
		public = append(public, pub.subnet.ID())
		private = append(private, priv.subnet.ID())
	}
	return public, private, nats, nil
}

// newNatGateway puts a NAT gateway, with its Elastic IP, in zone k's public
// subnet (awsx had both under that subnet).
func newNatGateway(at *place, k int, pub *subnetWithRoutes, igw *ec2.InternetGateway) (*ec2.NatGateway, error) {
	oldPub := at.under(pub.name, "aws:ec2/subnet:Subnet", at.oldVpc)
	natName := fmt.Sprintf("%s-%d", at.vpcName, k)
	eip, err := ec2.NewEip(at.ctx, natName, &ec2.EipArgs{
		Tags: pulumi.StringMap{"Name": pulumi.String(natName)},
	}, at.parent, wasUnder(oldPub))
	if err != nil {
		return nil, err
	}
	return ec2.NewNatGateway(at.ctx, natName, &ec2.NatGatewayArgs{
		SubnetId:     pub.subnet.ID(),
		AllocationId: eip.AllocationId,
		Tags:         pulumi.StringMap{"Name": pulumi.String(natName)},
	}, at.parent, wasUnder(oldPub), pulumi.DependsOn([]pulumi.Resource{igw}))
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
	at     *place
	name   string
	subnet *ec2.Subnet
	table  *ec2.RouteTable
	opts   []pulumi.ResourceOption
}

// newSubnetWithRoutes creates a subnet, its route table and their
// association, each aliased to where awsx had it (the table under the
// subnet, the association and routes under the table).
func newSubnetWithRoutes(at *place, name, kind string, block netip.Prefix, az pulumi.StringOutput, vpc *ec2.Vpc) (*subnetWithRoutes, error) {
	tags := pulumi.StringMap{"Name": pulumi.String(name), "SubnetType": pulumi.String(kind)}
	s := &subnetWithRoutes{at: at, name: name}
	var err error
	s.subnet, err = ec2.NewSubnet(at.ctx, name, &ec2.SubnetArgs{
		VpcId:            vpc.ID(),
		CidrBlock:        pulumi.String(block.String()),
		AvailabilityZone: az,
		// Nothing in this VPC needs an automatic public address: the
		// load balancer and the NAT gateways bring their own (EC2.15).
		MapPublicIpOnLaunch: pulumi.Bool(false),
		Tags:                tags,
	}, at.parent, wasUnder(at.oldVpc))
	if err != nil {
		return nil, err
	}
	oldSubnet := at.under(name, "aws:ec2/subnet:Subnet", at.oldVpc)
	s.table, err = ec2.NewRouteTable(at.ctx, name, &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  tags,
	}, at.parent, wasUnder(oldSubnet))
	if err != nil {
		return nil, err
	}
	oldTable := at.under(name, "aws:ec2/routeTable:RouteTable", oldSubnet)
	s.opts = []pulumi.ResourceOption{at.parent, wasUnder(oldTable)}
	if _, err := ec2.NewRouteTableAssociation(at.ctx, name, &ec2.RouteTableAssociationArgs{
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
	return ec2.NewRoute(s.at.ctx, s.name, args, s.opts...)
}
