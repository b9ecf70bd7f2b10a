// Package regions is what the program knows about AWS regions: which ones
// offer what the stack needs (Cognito user pools, which the ALB's
// authenticate-cognito action signs users in with) and how many
// Availability Zones each can give the stack. Validation, the networking
// component and the test mock read it.
//
// Sources, as of 2026-08: Cognito user pools: the cognito-idp endpoints in
// botocore's endpoints.json and the China and GovCloud user guides. Zones:
// the AWS "Availability Zones" page (zone ids per region). Fargate: the ECS
// "AWS Fargate Regions" page, which lists the zone ids Fargate skips.
package regions

import (
	"sort"
	"strings"
)

// AsOf dates the table.
const AsOf = "2026-08"

// Region is one AWS region.
type Region struct {
	Name string
	// Zones is how many Availability Zones the stack can use: the region's
	// zones that Fargate runs in.
	Zones int
	// FargateExcludedZoneIDs are zone ids (not names, which differ per
	// account) of the region's zones Fargate does not run in.
	FargateExcludedZoneIDs []string
	// Unsupported, when set, says why the stack cannot run here.
	Unsupported string
}

const (
	noUserPools = "Amazon Cognito user pools are not offered there, so the load balancer's authenticate-cognito action has no user pool to sign users in with"
	govCloud    = "in AWS GovCloud (US) Cognito user pools exist only in us-gov-west-1, behind FIPS endpoints (<prefix>.auth-fips.<region>.amazoncognito.com) and without custom domains, and this program does not wire those; use a commercial region"
)

var table = map[string]Region{}

func init() {
	add := func(zones int, names ...string) {
		for _, n := range names {
			table[n] = Region{Name: n, Zones: zones}
		}
	}
	add(3, "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
		"ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
		"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3", "il-central-1",
		"me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-2")
	add(4, "ap-northeast-2", "eu-west-2", "us-west-2")
	add(6, "us-east-1")
	// Fargate skips apne1-az3 of Tokyo's four zones, and runs in two of
	// N. California's (accounts created since 2016 see only two anyway).
	table["ap-northeast-1"] = Region{Name: "ap-northeast-1", Zones: 3, FargateExcludedZoneIDs: []string{"apne1-az3"}}
	table["us-west-1"] = Region{Name: "us-west-1", Zones: 2, FargateExcludedZoneIDs: []string{"usw1-az2"}}
	for _, n := range []string{"cn-north-1", "cn-northwest-1"} {
		table[n] = Region{Name: n, Zones: 3, Unsupported: noUserPools}
	}
	for _, n := range []string{"us-gov-west-1", "us-gov-east-1"} {
		table[n] = Region{Name: n, Zones: 3, Unsupported: govCloud}
	}
}

// Lookup returns what is known of a region.
func Lookup(name string) (Region, bool) {
	r, ok := table[name]
	return r, ok
}

// Supported lists the regions the stack can run in, sorted.
func Supported() []string {
	var out []string
	for n, r := range table {
		if r.Unsupported == "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// ZoneNames returns plausible Availability Zone names and ids for a region
// (<region>a, b, ...; <short>-az1, ...), as the test mock answers
// getAvailabilityZones. Real accounts map names to ids differently.
func ZoneNames(name string) (names, ids []string) {
	r, ok := table[name]
	n := r.Zones + len(r.FargateExcludedZoneIDs)
	if !ok {
		n = 3
	}
	short := shortName(name)
	for i := 0; i < n; i++ {
		names = append(names, name+string(rune('a'+i)))
		ids = append(ids, short+"-az"+string(rune('1'+i)))
	}
	return names, ids
}

// shortName is the zone id prefix: eu-west-1 -> euw1, ap-northeast-1 -> apne1.
func shortName(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return region
	}
	dir := map[string]string{"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
	d, ok := dir[parts[1]]
	if !ok {
		d = parts[1][:1]
	}
	return parts[0] + d + parts[len(parts)-1]
}
