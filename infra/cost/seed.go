package cost

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/infra/synth"
)

// Seed estimates the layout the project's seed walkthrough builds by hand
// (the AWS blog "Securing Amazon Elastic Container Service applications
// using Application Load Balancer and Amazon Cognito"), priced with the same
// table and assumptions as a stack: a VPC with two NAT gateways and their
// two Elastic IPs, one internet-facing ALB in two public subnets, and an ECS
// cluster of two t3.small instances running all month.
func Seed(region string) *Estimate {
	r := &synth.Result{Stack: "seed", Region: region}
	add := func(typ, name string, inputs map[string]any) {
		r.Resources = append(r.Resources, synth.Resource{
			URN: fmt.Sprintf("urn:pulumi:seed::walkthrough::%s::%s", typ, name), Type: typ, Name: name, Custom: true, Inputs: inputs,
		})
	}
	for i := 1; i <= 2; i++ {
		add(tEIP, fmt.Sprintf("nat-eip-%d", i), map[string]any{"domain": "vpc"})
		add(tNAT, fmt.Sprintf("nat-%d", i), map[string]any{"subnetId": fmt.Sprintf("public-subnet-%d", i)})
		add(tInstance, fmt.Sprintf("ecs-instance-%d", i), map[string]any{"instanceType": "t3.small", "subnetId": fmt.Sprintf("private-subnet-%d", i)})
	}
	add(tLB, "alb", map[string]any{"internal": false, "loadBalancerType": "application", "subnets": []any{"public-subnet-1", "public-subnet-2"}})
	e := EstimateOf(r)
	e.Title = "the seed walkthrough's hand-built layout (2 NAT gateways, an internet-facing ALB, 2 × t3.small ECS instances)"
	e.Notes = append(e.Notes, "The walkthrough's Cognito user pool is left out: at the assumed 1,000 MAU it is free on the ESSENTIALS tier, the default for new pools.",
		"The instances' EBS root volumes and CloudWatch Logs are not estimated.")
	return e
}
