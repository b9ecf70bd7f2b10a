package catalog

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Vpc is the VPC.
var Vpc = register(Type{
	Token:     "aws:ec2/vpc:Vpc",
	Terraform: "aws_vpc",
	Deploy: Deploy{
		Actions: []string{"ec2:CreateTags", "ec2:CreateVpc", "ec2:DeleteTags", "ec2:DeleteVpc", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcAttribute", "ec2:DescribeVpcs", "ec2:ModifyVpcAttribute"},
	},
	Update: Update{
		ReplaceOn: []string{"cidrBlock", "instanceTenancy", "ipv4IpamPoolId", "ipv4NetmaskLength"},
		Loses:     "the VPC and everything in it (subnets, NAT gateways, the load balancer, the tasks) are deleted",
		Refuse:    "replacing the VPC replaces every subnet, security group and target group in it, and the load balancer cannot move to another VPC, so the update would fail half-way. Keep vpcCidr (and maxAvailabilityZones) as deployed; to move to another block, deploy a new stack and move your users and DNS to it",
	},
	Mock: func(m *Mock) {
		m.ID = "vpc-0" + m.Hex("id", 16)
		if legacy := awsxLegacyID("aws:ec2/vpc:Vpc", m.URN); legacy != "" {
			m.ID = legacy
		}
		m.Set("arn", m.ArnPrefix("ec2")+"vpc/"+m.ID)
		m.Set("defaultSecurityGroupId", "sg-0"+m.Hex("default-sg", 16))
		m.Set("mainRouteTableId", "rtb-0"+m.Hex("main-rtb", 16))
	},
	Cost: Cost{Free: "VPCs cost nothing; what runs in them is priced"},
})

// Subnet is a public or private subnet of one zone.
var Subnet = register(Type{
	Token:     "aws:ec2/subnet:Subnet",
	Terraform: "aws_subnet",
	Deploy: Deploy{
		Actions: []string{"ec2:CreateSubnet", "ec2:CreateTags", "ec2:DeleteNetworkInterface", "ec2:DeleteSubnet", "ec2:DeleteTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DetachNetworkInterface", "ec2:ModifySubnetAttribute"},
	},
	Update: Update{
		ReplaceOn: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv6Native", "outpostArn"},
		Claims: func(r snapshot.Resource) []Claim {
			p, err := netip.ParsePrefix(fmt.Sprint(r.Inputs["cidrBlock"]))
			if err != nil {
				return nil
			}
			return []Claim{{Key: fmt.Sprintf("the addresses of VPC %v", r.Inputs["vpcId"]), From: []string{"vpcId", "cidrBlock"}, Prefix: p}}
		},
	},
	Mock: func(m *Mock) {
		m.ID = "subnet-0" + m.Hex("id", 16)
		if legacy := awsxLegacyID("aws:ec2/subnet:Subnet", m.URN); legacy != "" {
			m.ID = legacy
		}
		m.Set("arn", m.ArnPrefix("ec2")+"subnet/"+m.ID)
	},
	Cost: Cost{Free: "subnets cost nothing"},
})

// InternetGateway is the VPC's way to the internet.
var InternetGateway = register(Type{
	Token:     "aws:ec2/internetGateway:InternetGateway",
	Terraform: "aws_internet_gateway",
	Deploy: Deploy{
		Actions: []string{"ec2:AttachInternetGateway", "ec2:CreateInternetGateway", "ec2:CreateTags", "ec2:DeleteInternetGateway", "ec2:DeleteTags", "ec2:DescribeInternetGateways", "ec2:DetachInternetGateway"},
	},
	Update: Update{
		Claims: oneOf("the internet gateway of %v", "vpcId"),
	},
	Mock: func(m *Mock) {
		m.ID = "igw-0" + m.Hex("id", 16)
		m.Set("arn", m.ArnPrefix("ec2")+"internet-gateway/"+m.ID)
	},
	Cost: Cost{Free: "internet gateways cost nothing; data transfer is not estimated"},
})

// Eip is a NAT gateway's public address.
var Eip = register(Type{
	Token:     "aws:ec2/eip:Eip",
	Terraform: "aws_eip",
	Deploy: Deploy{
		Actions: []string{"ec2:AllocateAddress", "ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", "ec2:ReleaseAddress"},
	},
	Update: Update{
		ReplaceOn: []string{"domain", "vpc", "address", "networkBorderGroup", "publicIpv4Pool", "ipamPoolId"},
		Loses:     "the public address is released",
	},
	Mock: func(m *Mock) {
		m.ID = "eipalloc-0" + m.Hex("id", 16)
		m.Set("allocationId", m.ID)
		m.Set("publicIp", fmt.Sprintf("203.0.113.%d", 1+int(HexOf(m.URN+"/ip", 2)[0])%250))
		m.Set("domain", "vpc")
	},
	Cost: Cost{Priced: "public IPv4 addresses"},
})

// NatGateway lets the private subnets reach the internet.
var NatGateway = register(Type{
	Token:     "aws:ec2/natGateway:NatGateway",
	Terraform: "aws_nat_gateway",
	Deploy: Deploy{
		Actions: []string{"ec2:CreateNatGateway", "ec2:CreateTags", "ec2:DeleteNatGateway", "ec2:DeleteTags", "ec2:DescribeNatGateways"},
	},
	Update: Update{
		ReplaceOn: []string{"allocationId", "connectivityType", "privateIp", "subnetId", "secondaryPrivateIpAddressCount"},
		Claims:    oneOf("the NAT gateway using address %v", "allocationId"),
	},
	Mock: func(m *Mock) { m.ID = "nat-0" + m.Hex("id", 16) },
	Cost: Cost{Priced: "NAT gateway hours and data processed"},
})

// RouteTable is one subnet's route table.
var RouteTable = register(Type{
	Token:     "aws:ec2/routeTable:RouteTable",
	Terraform: "aws_route_table",
	Deploy: Deploy{
		Actions: []string{"ec2:CreateRouteTable", "ec2:CreateTags", "ec2:DeleteRouteTable", "ec2:DeleteTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DisassociateRouteTable"},
	},
	Update: Update{
		ReplaceOn: []string{"vpcId"},
		Sets:      []string{"routes", "propagatingVgws"},
	},
	Mock: func(m *Mock) {
		m.ID = "rtb-0" + m.Hex("id", 16)
		m.Set("arn", m.ArnPrefix("ec2")+"route-table/"+m.ID)
	},
	Cost: Cost{Free: "route tables cost nothing"},
})

// Route is a route table's default route.
var Route = register(Type{
	Token:     "aws:ec2/route:Route",
	Terraform: "aws_route",
	Deploy: Deploy{
		Actions: []string{"ec2:CreateRoute", "ec2:DeleteRoute", "ec2:DescribeRouteTables", "ec2:ReplaceRoute"},
	},
	Update: Update{
		ReplaceOn: []string{"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"},
		Claims: func(r snapshot.Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the route to %v in %v", r.Inputs["destinationCidrBlock"], r.Inputs["routeTableId"]), From: []string{"routeTableId", "destinationCidrBlock"}}}
		},
	},
	Mock: func(m *Mock) { m.ID = "r-" + m.Input("routeTableId") + "1080289494" },
	Cost: Cost{Free: "routes cost nothing"},
})

// RouteTableAssociation ties a subnet to its route table.
var RouteTableAssociation = register(Type{
	Token:     "aws:ec2/routeTableAssociation:RouteTableAssociation",
	Terraform: "aws_route_table_association",
	Deploy: Deploy{
		Actions: []string{"ec2:AssociateRouteTable", "ec2:DescribeRouteTables", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation"},
	},
	Update: Update{
		ReplaceOn: []string{"subnetId", "gatewayId"},
		Claims:    oneOf("the route table association of %v", "subnetId"),
	},
	Mock: func(m *Mock) { m.ID = "rtbassoc-0" + m.Hex("id", 16) },
	Cost: Cost{Free: "associations cost nothing"},
})

// securityGroupMock answers for both kinds of security group.
func securityGroupMock(m *Mock) {
	m.ID = "sg-0" + m.Hex("id", 16)
	m.Set("arn", m.ArnPrefix("ec2")+"security-group/"+m.ID)
}

// SecurityGroup is the load balancer's or the tasks' security group.
var SecurityGroup = register(Type{
	Token:     "aws:ec2/securityGroup:SecurityGroup",
	Terraform: "aws_security_group",
	Deploy: Deploy{
		Actions: []string{"ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ec2:CreateTags", "ec2:DeleteNetworkInterface", "ec2:DeleteSecurityGroup", "ec2:DeleteTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DetachNetworkInterface", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "description", "vpcId"},
		Sets:      []string{"ingress", "egress", "ingress.securityGroups", "egress.securityGroups"},
		Claims:    namedClaim("security group", "name"),
	},
	Mock: securityGroupMock,
	Cost: Cost{Free: "security groups cost nothing"},
	Checks: []Check{{
		Source: "EC2 CreateSecurityGroup: GroupDescription up to 255 characters of a-z A-Z 0-9 spaces ._-:/()#,@[]+=&;{}!$*",
		Check: func(r snapshot.Resource) []Finding {
			d, _ := r.Inputs["description"].(string)
			if !awsfacts.Ec2DescriptionRe.MatchString(d) {
				return finding("description", "EC2 accepts only a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{}!$* in a security group description, at most 255 characters: %q", d)
			}
			return nil
		},
	}},
})

// DefaultSecurityGroup is the VPC's default security group, emptied.
var DefaultSecurityGroup = register(Type{
	Token:     "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
	Terraform: "aws_default_security_group",
	Deploy: Deploy{
		Actions: []string{"ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"},
	},
	Update: Update{
		ReplaceOn: []string{"vpcId"},
		Sets:      []string{"ingress", "egress"},
	},
	Mock: securityGroupMock,
	Cost: Cost{Free: "security groups cost nothing"},
})

// FlowLog sends the VPC's flow logs to CloudWatch Logs.
var FlowLog = register(Type{
	Token:     "aws:ec2/flowLog:FlowLog",
	Terraform: "aws_flow_log",
	Deploy: Deploy{
		Actions:     []string{"ec2:CreateFlowLogs", "ec2:CreateTags", "ec2:DeleteFlowLogs", "ec2:DeleteTags", "ec2:DescribeFlowLogs"},
		PassesRoles: map[string]string{"iamRoleArn": "vpc-flow-logs.amazonaws.com"},
	},
	Update: Update{
		ReplaceOn: []string{"vpcId", "subnetId", "eniId", "transitGatewayId", "transitGatewayAttachmentId", "trafficType", "logDestination", "logDestinationType", "logFormat", "iamRoleArn", "deliverCrossAccountRole", "maxAggregationInterval", "destinationOptions", "logGroupName"},
		Claims: func(r snapshot.Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("flow log of %v (%v) to %v", r.Inputs["vpcId"], r.Inputs["trafficType"], r.Inputs["logDestination"]), From: []string{"vpcId", "logDestination"}}}
		},
	},
	Mock: func(m *Mock) { m.ID = "fl-0" + m.Hex("id", 16) },
	Cost: Cost{Free: "its log group is priced"},
})

// awsxLegacyID: stacks deployed with earlier versions got their VPC from
// the awsx component, whose vpcId and subnet ids the mock derived from the
// component's URN. A VPC or subnet aliased to awsx's child (seed is that
// child's URN) answers with the same id, as the real VPC and subnets keep
// theirs when their state moves.
func awsxLegacyID(typ, seed string) string {
	const marker = "$awsx:ec2:Vpc$aws:ec2/vpc:Vpc"
	i := strings.Index(seed, marker)
	if i < 0 {
		return ""
	}
	name := lastSegment(seed)
	component := func(vpcName string) string { return seed[:i] + "$awsx:ec2:Vpc::" + vpcName }
	switch typ {
	case "aws:ec2/vpc:Vpc":
		return "vpc-0" + HexOf(component(name)+"/vpc", 16)
	case "aws:ec2/subnet:Subnet":
		for _, kind := range []string{"public", "private"} {
			if j := strings.LastIndex(name, "-"+kind+"-"); j > 0 {
				k, err := strconv.Atoi(name[j+len(kind)+2:])
				if err != nil {
					return ""
				}
				return "subnet-0" + HexOf(component(name[:j])+"/"+fmt.Sprintf("%s-%d", kind, k-1), 16)
			}
		}
	}
	return ""
}
