// Package regions is what the program knows about AWS regions: which ones
// offer what the stack needs (Cognito user pools, which the ALB's
// authenticate-cognito action signs users in with) and how many
// Availability Zones each can give the stack. Validation, the stack's
// wiring and the edge component read it; so does the tools' mock.
//
// Sources, as of 2026-08: Cognito user pools: the cognito-idp endpoints in
// botocore's endpoints.json and the China and GovCloud user guides. Zones:
// the AWS "Availability Zones" page (zone ids per region). Fargate: the ECS
// "AWS Fargate Regions" page, which lists the zone ids Fargate skips.
package regions

import "sort"

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
	// ElbLogAccount is the Elastic Load Balancing account that writes
	// access logs in regions opened before August 2022; "" means the
	// region's log delivery uses the service principal
	// logdelivery.elasticloadbalancing.amazonaws.com.
	ElbLogAccount string
}

// ElbLogDeliveryService writes ALB access logs in regions opened since
// August 2022.
const ElbLogDeliveryService = "logdelivery.elasticloadbalancing.amazonaws.com"

// elbLogAccounts: the regional Elastic Load Balancing accounts for access
// logs (ALB user guide, "Enable access logs"; terraform-provider-aws
// internal/service/elb/service_account_data_source.go).
var elbLogAccounts = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
	"af-south-1": "098369216593", "ca-central-1": "985666609251", "eu-central-1": "054676820928", "eu-west-1": "156460612806",
	"eu-west-2": "652711504416", "eu-south-1": "635631232127", "eu-west-3": "009996457667", "eu-north-1": "897822967062",
	"ap-east-1": "754344448648", "ap-northeast-1": "582318560864", "ap-northeast-2": "600734575887", "ap-northeast-3": "383597477331",
	"ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-southeast-3": "589379963580", "ap-south-1": "718504428378",
	"me-south-1": "076674570225", "sa-east-1": "507241528517",
	"us-gov-west-1": "048591011584", "us-gov-east-1": "190560391635", "cn-north-1": "638102146993", "cn-northwest-1": "037604701340",
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
	for n, r := range table {
		r.ElbLogAccount = elbLogAccounts[n]
		table[n] = r
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
