package tests

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/networking"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// For MaxZones equal to the zone count awsx was given, the address plan is
// exactly the one awsx's automatic layout gave stacks deployed with earlier
// versions (awsx v2.22.0, awsx/ec2/subnetDistributorNew.ts, run for these
// blocks): they keep every subnet.
func TestLayoutKeepsTheSubnetsAwsxGaveDeployedStacks(t *testing.T) {
	awsx := map[string][]string{ // block/zones: public, private per zone
		"10.0.0.0/16 2": {"10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"},
		"10.0.0.0/16 3": {"10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19", "10.0.128.0/19", "10.0.160.0/19"},
		"10.0.0.0/16 4": {"10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19", "10.0.128.0/19", "10.0.160.0/19", "10.0.192.0/19", "10.0.224.0/19"},
		"10.0.0.0/16 5": {"10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20", "10.0.64.0/20", "10.0.80.0/20", "10.0.96.0/20", "10.0.112.0/20", "10.0.128.0/20", "10.0.144.0/20"},
		"10.0.0.0/16 6": {"10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20", "10.0.64.0/20", "10.0.80.0/20", "10.0.96.0/20", "10.0.112.0/20", "10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20", "10.0.176.0/20"},
		"10.0.0.0/20 2": {"10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22", "10.0.12.0/22"},
		"10.0.0.0/20 3": {"10.0.0.0/23", "10.0.2.0/23", "10.0.4.0/23", "10.0.6.0/23", "10.0.8.0/23", "10.0.10.0/23"},
		"10.0.0.0/20 6": {"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24", "10.0.5.0/24", "10.0.6.0/24", "10.0.7.0/24", "10.0.8.0/24", "10.0.9.0/24", "10.0.10.0/24", "10.0.11.0/24"},
	}
	for key, want := range awsx {
		var block string
		var n int
		fmt.Sscanf(key, "%s %d", &block, &n)
		zones, err := networking.Layout{Block: netip.MustParsePrefix(block), MaxZones: n}.Zones(n)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, z := range zones {
			got = append(got, z.Public.String(), z.Private.String())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s zones: %v, awsx gave %v", key, got, want)
		}
	}
}

// A zone's subnets depend on the block and MaxZones only: adding zones adds
// subnets and moves none, and no two subnets overlap or leave the block.
func TestAddingAZoneMovesNoSubnet(t *testing.T) {
	for _, block := range []string{"10.0.0.0/16", "172.16.0.0/20", "192.168.0.0/18"} {
		for max := 2; max <= 6; max++ {
			l := networking.Layout{Block: netip.MustParsePrefix(block), MaxZones: max}
			all, err := l.Zones(max)
			if err != nil {
				t.Fatal(err)
			}
			for n := 2; n <= max; n++ {
				some, _ := l.Zones(n)
				if !slices.Equal(some, all[:n]) {
					t.Errorf("%s max %d: %d zones are not the first %d of %d", block, max, n, n, max)
				}
			}
			var seen []netip.Prefix
			for _, z := range all {
				for _, p := range []netip.Prefix{z.Public, z.Private} {
					if !l.Block.Contains(p.Addr()) || p.Bits() > 28 {
						t.Errorf("%s max %d: %s is outside the block or smaller than /28", block, max, p)
					}
					for _, q := range seen {
						if p.Overlaps(q) {
							t.Errorf("%s max %d: %s overlaps %s", block, max, p, q)
						}
					}
					seen = append(seen, p)
				}
			}
			if _, err := l.Zones(max + 1); err == nil {
				t.Errorf("%s max %d: a zone beyond the plan must be refused", block, max)
			}
		}
	}
}

// The VPC: a public and a private subnet per zone, each in its own zone, in
// the order the region lists them; public subnets route to the internet
// gateway, private ones to a NAT gateway (the first zone's, or their own
// zone's with perAz), none hands out public addresses (EC2.15).
func TestSubnetsAndRoutes(t *testing.T) {
	for _, perAz := range []bool{false, true} {
		t.Run(fmt.Sprintf("perAz=%v", perAz), func(t *testing.T) {
			nat := map[bool]string{false: "single", true: "perAz"}[perAz]
			res := synthesize(t, withConfig(map[string]string{"availabilityZones": "3", "natGateways": nat}))
			vpc, igw := one(t, res, tVpc), one(t, res, tIgw)
			if vpc.Inputs["cidrBlock"] != "10.0.0.0/16" || vpc.Inputs["enableDnsHostnames"] != true || igw.Inputs["vpcId"] != vpc.ID {
				t.Errorf("vpc %v igw %v", vpc.Inputs, igw.Inputs)
			}
			byID := map[string]snapshot.Resource{}
			for _, r := range res.Resources {
				byID[r.ID] = r
			}
			routeOf := map[string]snapshot.Resource{} // subnet id -> its default route
			for _, a := range res.ByType(tRtAssoc) {
				for _, r := range res.ByType(tRoute) {
					if r.Inputs["routeTableId"] == a.Inputs["routeTableId"] {
						routeOf[fmt.Sprint(a.Inputs["subnetId"])] = r
					}
				}
			}
			nats := res.ByType(tNat)
			if len(nats) != map[bool]int{false: 1, true: 3}[perAz] {
				t.Fatalf("%d NAT gateways", len(nats))
			}
			var zones []string
			for k := 1; k <= 3; k++ {
				pub := named(t, res, tSubnet, fmt.Sprintf("network-vpc-public-%d", k))
				priv := named(t, res, tSubnet, fmt.Sprintf("network-vpc-private-%d", k))
				want := fmt.Sprintf("eu-west-1%c", 'a'+k-1)
				if pub.Inputs["availabilityZone"] != want || priv.Inputs["availabilityZone"] != want {
					t.Errorf("zone %d: subnets in %v and %v, want %s", k, pub.Inputs["availabilityZone"], priv.Inputs["availabilityZone"], want)
				}
				zones = append(zones, want)
				for _, s := range []snapshot.Resource{pub, priv} {
					if s.Inputs["vpcId"] != vpc.ID || s.Inputs["mapPublicIpOnLaunch"] != false {
						t.Errorf("%s: vpc %v, mapPublicIpOnLaunch %v", s.Name, s.Inputs["vpcId"], s.Inputs["mapPublicIpOnLaunch"])
					}
				}
				if r := routeOf[pub.ID]; r.Inputs["gatewayId"] != igw.ID || r.Inputs["destinationCidrBlock"] != "0.0.0.0/0" {
					t.Errorf("%s routes %v, want 0.0.0.0/0 to the internet gateway", pub.Name, r.Inputs)
				}
				r := routeOf[priv.ID]
				natRes := byID[fmt.Sprint(r.Inputs["natGatewayId"])]
				if natRes.Type != tNat || r.Inputs["destinationCidrBlock"] != "0.0.0.0/0" {
					t.Fatalf("%s routes %v, want 0.0.0.0/0 to a NAT gateway", priv.Name, r.Inputs)
				}
				natZone := byID[fmt.Sprint(natRes.Inputs["subnetId"])].Inputs["availabilityZone"]
				wantZone := "eu-west-1a"
				if perAz {
					wantZone = want
				}
				if natZone != wantZone {
					t.Errorf("%s goes out through the NAT gateway in %v, want %s", priv.Name, natZone, wantZone)
				}
				if !strings.Contains(fmt.Sprint(byID[fmt.Sprint(natRes.Inputs["subnetId"])].Name), "public") {
					t.Errorf("NAT gateway %s is not in a public subnet", natRes.Name)
				}
			}
			if len(res.ByType(tSubnet)) != 6 {
				t.Errorf("%d subnets, want 6", len(res.ByType(tSubnet)))
			}
			// Zones come from the region's own list, without zones that
			// need an opt-in (local and wavelength zones).
			found := false
			for _, inv := range res.Invokes {
				if inv.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" {
					found = true
					if !strings.Contains(fmt.Sprint(inv.Args["filters"]), "opt-in-not-required") {
						t.Errorf("zone lookup %v does not leave out opt-in zones", inv.Args)
					}
				}
			}
			if !found {
				t.Error("the zones were not looked up")
			}
		})
	}
}

// Zones Fargate does not run in are never chosen: Tokyo's apne1-az3.
func TestZonesFargateSkipsAreLeftOut(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"aws:region": "ap-northeast-1", "availabilityZones": "3"}))
	for _, inv := range res.Invokes {
		if inv.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" {
			if !slices.Equal(strs(t, inv.Args["excludeZoneIds"]), []string{"apne1-az3"}) {
				t.Errorf("zone lookup excludes %v, want apne1-az3", inv.Args["excludeZoneIds"])
			}
		}
	}
	for _, s := range res.ByType(tSubnet) {
		if s.Inputs["availabilityZone"] == "ap-northeast-1c" { // the mock's apne1-az3
			t.Errorf("%s is in apne1-az3, where Fargate does not run", s.Name)
		}
	}
}

// Each VPC resource names the URN awsx gave it in earlier versions, so a
// deployed stack's state moves over instead of the VPC being replaced.
func TestVpcResourcesTakeOverAwsxState(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"natGateways": "perAz"}))
	const base = "urn:pulumi:test::alb-cognito-fargate::alb-cognito-fargate:networking:Networking$awsx:ec2:Vpc"
	want := map[string]string{
		tVpc + " network-vpc":                 base + "$aws:ec2/vpc:Vpc::network-vpc",
		tIgw + " network-vpc":                 base + "$aws:ec2/vpc:Vpc$aws:ec2/internetGateway:InternetGateway::network-vpc",
		tSubnet + " network-vpc-public-1":     base + "$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::network-vpc-public-1",
		tSubnet + " network-vpc-private-2":    base + "$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::network-vpc-private-2",
		tRouteTable + " network-vpc-public-1": base + "$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable::network-vpc-public-1",
		tRtAssoc + " network-vpc-private-1":   base + "$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable$aws:ec2/routeTableAssociation:RouteTableAssociation::network-vpc-private-1",
		tRoute + " network-vpc-private-2":     base + "$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable$aws:ec2/route:Route::network-vpc-private-2",
		tEip + " network-vpc-2":               base + "$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/eip:Eip::network-vpc-2",
		tNat + " network-vpc-1":               base + "$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/natGateway:NatGateway::network-vpc-1",
	}
	for key, alias := range want {
		typ, name, _ := strings.Cut(key, " ")
		r := named(t, res, typ, name)
		if !slices.Contains(r.Aliases, alias) {
			t.Errorf("%s aliases %v, want %s", key, r.Aliases, alias)
		}
	}
	// The NAT gateway in zone 2 was awsx's child of the public subnet of zone 2.
	if a := named(t, res, tNat, "network-vpc-2").Aliases; !strings.Contains(fmt.Sprint(a), "Subnet$aws:ec2/natGateway:NatGateway::network-vpc-2") {
		t.Errorf("nat 2 aliases %v", a)
	}
}
