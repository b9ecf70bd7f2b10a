package cost

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// The seed walkthrough's ECS instances: how many, of which type.
const (
	seedInstances    = 2
	seedInstanceType = "t3.small"
)

// Seed estimates the layout the project's seed walkthrough builds by hand
// (the AWS blog "Securing Amazon Elastic Container Service applications
// using Application Load Balancer and Amazon Cognito"), priced with the same
// table and assumptions as a stack: a VPC with two NAT gateways and their
// two Elastic IPs, one internet-facing ALB in two public subnets, and an ECS
// cluster of two t3.small instances running all month.
func Seed(region string) *Estimate {
	r := &snapshot.Stack{Name: "seed", Region: region}
	add := func(typ, name string, inputs map[string]any) {
		r.Resources = append(r.Resources, snapshot.Resource{
			URN: fmt.Sprintf("urn:pulumi:seed::walkthrough::%s::%s", typ, name), Type: typ, Name: name, Custom: true, Inputs: inputs,
		})
	}
	for i := 1; i <= 2; i++ {
		add(tEip, fmt.Sprintf("nat-eip-%d", i), map[string]any{"domain": "vpc"})
		add(tNat, fmt.Sprintf("nat-%d", i), map[string]any{"subnetId": fmt.Sprintf("public-subnet-%d", i)})
	}
	add(tLb, "alb", map[string]any{"internal": false, "loadBalancerType": "application", "subnets": []any{"public-subnet-1", "public-subnet-2"}})
	e := newEstimator(r)
	e.natGateways()
	e.loadBalancers()
	p := e.prices(region)
	e.add("EC2 "+seedInstanceType+" instance hours", seedInstances*HoursPerMonth, "h", p.Ec2Hour[seedInstanceType],
		plural(seedInstances, "instance", "instances")+" × 730 h, on-demand Linux (EBS volumes not estimated)")
	e.publicIPv4(nil)
	est := e.done()
	est.Title = "the seed walkthrough's hand-built layout (2 NAT gateways, an internet-facing ALB, 2 × t3.small ECS instances)"
	est.Notes = append(est.Notes, "The walkthrough's Cognito user pool is left out: at the assumed 1,000 MAU it is free on the ESSENTIALS tier, the default for new pools.",
		"The instances' EBS root volumes and CloudWatch Logs are not estimated.")
	return est
}
