package cost

// HoursPerMonth is the month every hourly price is multiplied by: 730 hours
// (8,760 hours a year / 12), as AWS's own pricing examples use.
const HoursPerMonth = 730.0

// PriceDate is when the list prices in the table were read.
const PriceDate = "2026-09"

// FallbackRegion's prices stand in for any region the table lacks; the
// estimate says so.
const FallbackRegion = "us-east-1"

// CognitoFreeMau is how many monthly active users the LITE and ESSENTIALS
// tiers leave free each month; PLUS has no free tier.
const CognitoFreeMau = 10000.0

// Prices are one region's list prices in USD: on-demand, Linux, before tax,
// free tier credits, Savings Plans and other discounts.
type Prices struct {
	NatHour, NatGb                 float64 // NAT gateway: per hour, per GB processed
	AlbHour, AlbLcuHour            float64 // Application Load Balancer: per hour, per LCU-hour
	FargateVcpuHour, FargateGbHour float64 // Fargate Linux/x86 on-demand: per vCPU-hour, per GB-hour
	SpotVcpuHour, SpotGbHour       float64 // Fargate Spot Linux/x86: per vCPU-hour, per GB-hour
	IPv4Hour                       float64 // public IPv4 address (Elastic IP or assigned), per hour
	LogsIngestGb                   float64 // CloudWatch Logs standard ingestion, per GB
	CognitoMau                     map[string]float64
	WafWebACLMonth, WafRuleMonth   float64 // AWS WAF: per web ACL-month, per rule-month
	WafMillionRequests             float64 // AWS WAF: per million requests inspected
	S3GbMonth                      float64 // S3 Standard storage, per GB-month (first 50 TB)
	SecretMonth                    float64 // Secrets Manager, per secret-month
	AlarmMonth                     float64 // CloudWatch standard-resolution metric alarm, per alarm-month
	EcrGbMonth                     float64 // ECR private repository storage, per GB-month
	KmsKeyMonth                    float64 // KMS customer managed key, per key-month
	Ec2Hour                        map[string]float64
}

// table holds the list prices this estimate uses, read in PriceDate. Each
// figure says where it was checked: "checked" means it matched a public
// source read for this table (named); "unverified" means it is AWS's list
// price as we know it but no source for it could be read here. AWS's own
// pricing pages are the authority: aws.amazon.com/<service>/pricing.
var table = map[string]Prices{
	"us-east-1": {
		NatHour: 0.045, NatGb: 0.045, // checked: VPC pricing as quoted by cloudburn.io and basavytix.com (2026)
		AlbHour: 0.0225, AlbLcuHour: 0.008, // checked: cloud-horizons.com (May 2026)
		FargateVcpuHour: 0.04048, FargateGbHour: 0.004445, // checked: vantage.sh, wring.co (March 2026)
		SpotVcpuHour: 0.0126, SpotGbHour: 0.00139, // unverified: Spot prices vary with demand, roughly 70% off on-demand
		IPv4Hour:       0.005,                                              // checked: AWS's public IPv4 charge since February 2024, every region (doit.com)
		LogsIngestGb:   0.50,                                               // checked: c3x.dev (June 2026)
		CognitoMau:     cognitoTiers,                                       // see cognitoTiers
		WafWebACLMonth: 5.00, WafRuleMonth: 1.00, WafMillionRequests: 0.60, // checked: c3x.dev; the same in every region (AWS networking blog)
		S3GbMonth:   0.023,                                  // unverified
		SecretMonth: 0.40,                                   // unverified
		AlarmMonth:  0.10,                                   // unverified
		EcrGbMonth:  0.10,                                   // unverified
		KmsKeyMonth: 1.00,                                   // checked: aws.amazon.com/kms/pricing, cloudburn.io (March 2026); the same in every region
		Ec2Hour:     map[string]float64{"t3.small": 0.0208}, // unverified
	},
	"eu-west-1": {
		NatHour: 0.048, NatGb: 0.048, // checked: within the Europe range cloudpipelines.pages.dev gives (2026)
		AlbHour: 0.0252, AlbLcuHour: 0.008, // checked: the hourly price as a calculator page quotes it; LCU unverified
		FargateVcpuHour: 0.04048, FargateGbHour: 0.004445, // checked: tomgregory.com (eu-west-1, same as us-east-1)
		SpotVcpuHour: 0.0126, SpotGbHour: 0.00138, // unverified: Spot prices vary with demand, roughly 70% off on-demand
		IPv4Hour:       0.005,                                              // checked: as us-east-1
		LogsIngestGb:   0.57,                                               // unverified
		CognitoMau:     cognitoTiers,                                       // see cognitoTiers
		WafWebACLMonth: 5.00, WafRuleMonth: 1.00, WafMillionRequests: 0.60, // checked: as us-east-1
		S3GbMonth:   0.023,                                  // unverified
		SecretMonth: 0.40,                                   // unverified
		AlarmMonth:  0.10,                                   // unverified
		EcrGbMonth:  0.10,                                   // unverified
		KmsKeyMonth: 1.00,                                   // checked: as us-east-1
		Ec2Hour:     map[string]float64{"t3.small": 0.0228}, // unverified
	},
}

// cognitoTiers are Cognito's prices per monthly active user by feature tier
// (userPoolTier), the same in both regions: LITE and ESSENTIALS beyond
// CognitoFreeMau, PLUS from the first. Checked against docs/costs.md's "What
// sign-in costs" (AWS pricing as read in 2026); LITE's price falls beyond
// 100,000 MAU, which this estimate does not reach.
var cognitoTiers = map[string]float64{"LITE": 0.0055, "ESSENTIALS": 0.015, "PLUS": 0.020}

// PricesFor returns the prices for a region and the region they are for:
// the region itself, or FallbackRegion when the table lacks it.
func PricesFor(region string) (Prices, string) {
	if p, ok := table[region]; ok {
		return p, region
	}
	return table[FallbackRegion], FallbackRegion
}

// Usage the synthesized resources cannot say. Each is printed with every
// estimate; change one here and every estimate follows.
const (
	// NatDataGb is the data each NAT gateway processes a month: image
	// pulls, log shipping and calls to AWS APIs and Cognito from the tasks.
	NatDataGb = 10.0
	// AlbLcus is each load balancer's average LCUs, all month. One LCU is
	// 25 new connections a second, 3,000 active connections or 1 GB an
	// hour, whichever is highest: a small site stays within one.
	AlbLcus = 1.0
	// ContainerLogGbPerTask is the container log output of each running task a month.
	ContainerLogGbPerTask = 0.5
	// FlowLogGbPerVpc is the VPC flow log volume of each VPC a month
	// (one flow-log group per VPC).
	FlowLogGbPerVpc = 1.0
	// CognitoMau is each user pool's monthly active users.
	CognitoMau = 1000.0
	// WafMillionRequests is the requests each web ACL inspects a month, in millions.
	WafMillionRequests = 1.0
	// AccessLogGb is the access logs each S3 bucket holds.
	AccessLogGb = 1.0
	// EcrImageGb is the images each ECR repository holds.
	EcrImageGb = 1.0
	// AlarmsPerTargetTracking is how many CloudWatch alarms each target
	// tracking scaling policy creates (one to scale out, one to scale in).
	AlarmsPerTargetTracking = 2
)

// Assumptions are the usage assumptions in words, as printed.
func Assumptions() []string {
	return []string{
		"a month is 730 hours; everything runs all month",
		"each NAT gateway processes " + num(NatDataGb) + " GB a month",
		"each load balancer averages " + num(AlbLcus) + " LCU all month",
		"each running task writes " + num(ContainerLogGbPerTask) + " GB of container logs a month",
		"each VPC writes " + num(FlowLogGbPerVpc) + " GB of flow logs a month",
		"each user pool has " + num(CognitoMau) + " monthly active users (on LITE and ESSENTIALS only 50 of those who sign in through a SAML or OIDC provider are free)",
		"each web ACL inspects " + num(WafMillionRequests) + " million requests a month",
		"each S3 bucket holds " + num(AccessLogGb) + " GB of access logs",
		"each ECR repository holds " + num(EcrImageGb) + " GB of images",
		"each target tracking scaling policy creates " + num(AlarmsPerTargetTracking) + " CloudWatch alarms (what Application Auto Scaling does today)",
		"Fargate Spot prices vary with demand; the table's are roughly 70% off on-demand",
	}
}

// NotEstimated is what the estimate leaves out, as printed.
func NotEstimated() []string {
	return []string{
		"data transfer out to the internet and between zones (the first 100 GB a month out is free)",
		"NAT gateway data and load balancer LCUs beyond the assumptions above",
		"Route 53: the hosted zone is not created by this stack; alias queries to the load balancer are free",
		"ACM public certificates (free)",
		"CloudWatch Logs storage after ingestion ($0.03/GB-month), Logs Insights queries, Container Insights and custom metrics",
		"Fargate ephemeral storage beyond the free 20 GB a task",
		"emails sent through SES, SMS for MFA, and API calls (Secrets Manager, KMS beyond its 20,000 free requests a month)",
		"Lambda: the pre sign-up trigger runs once per new federated user, within Lambda's free tier",
		"tax, support plans, free tier credits and discounts (Savings Plans)",
	}
}
