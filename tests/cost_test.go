package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/cost"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/infra/synth"
)

// Resource types only the cost tests build (named for this file, so a
// test of these resources elsewhere cannot collide with them).
const (
	costTTarget = "aws:appautoscaling/target:Target"
	costTPolicy = "aws:appautoscaling/policy:Policy"
	costTWebACL = "aws:wafv2/webAcl:WebAcl"
	costTBucket = "aws:s3/bucketV2:BucketV2"
	costTECR    = "aws:ecr/repository:Repository"
	costTKMSKey = "aws:kms/key:Key"
	costHours   = 730.0
)

// costRes builds one synthesized resource the way the recorder writes it.
func costRes(typ, name string, inputs map[string]any, dependsOn ...string) synth.Resource {
	return synth.Resource{URN: costURN(typ, name), Type: typ, Name: name, Custom: true, Inputs: inputs, DependsOn: dependsOn}
}

func costURN(typ, name string) string {
	return "urn:pulumi:test::alb-cognito-fargate::" + typ + "::" + name
}

func costResult(region string, rs ...synth.Resource) *synth.Result {
	return &synth.Result{Stack: testStackName, Region: region, Resources: rs}
}

// lineItem returns the estimate's only item whose name starts with prefix.
func lineItem(t *testing.T, e *cost.Estimate, prefix string) cost.Item {
	t.Helper()
	var found []cost.Item
	for _, it := range e.Items {
		if strings.HasPrefix(it.Item, prefix) {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one item %q, got %d in:\n%s", prefix, len(found), e.Text())
	}
	return found[0]
}

func hasItem(e *cost.Estimate, prefix string) bool {
	for _, it := range e.Items {
		if strings.HasPrefix(it.Item, prefix) {
			return true
		}
	}
	return false
}

func costNear(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func wantUSD(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !costNear(got, want) {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

// A Fargate task definition of 0.25 vCPU and 0.5 GB, optionally with containers.
func fargateTaskDef(containers ...map[string]any) synth.Resource {
	inputs := map[string]any{"cpu": "256", "memory": "512", "family": "app", "requiresCompatibilities": []any{"FARGATE"}}
	if len(containers) > 0 {
		b, _ := json.Marshal(containers)
		inputs["containerDefinitions"] = string(b)
	}
	return costRes(tTaskDef, "app-task", inputs)
}

// The committed stacks: every line item a reviewer expects, at eu-west-1's
// list prices, and nothing the estimate could not price.
func TestCostOfTheCommittedStacks(t *testing.T) {
	const (
		nat, alb, lcu, vcpu, gbh, ipv4, logs = 0.048, 0.0252, 0.008, 0.04048, 0.004445, 0.005, 0.57
		spotVCPU, spotGBH, s3GB              = 0.0126, 0.00138, 0.023
	)
	h := costHours
	for _, tc := range []struct {
		stack string
		// items: every line item and its monthly cost (the minimum, for an
		// autoscaled service); maxTotal: with autoscaling at maxCapacity.
		items    map[string]float64
		maxTotal float64
		notes    int
	}{
		// dev: one NAT gateway, two zones, one 0.25 vCPU / 0.5 GB task on
		// Fargate Spot, ESSENTIALS (1,000 MAU are within the 10,000 free),
		// access logs, no WAF.
		{stack: "dev", notes: 1, items: map[string]float64{
			"NAT gateway hours":                                   1 * h * nat,
			"NAT gateway data processed":                          1 * cost.NATDataGB * nat,
			"Load balancer `edge-alb` hours":                      h * alb,
			"Load balancer `edge-alb` LCUs":                       cost.ALBLCUs * h * lcu,
			"Fargate Spot vCPU, service `app-service`":            1 * 0.25 * h * spotVCPU,
			"Fargate Spot memory, service `app-service`":          1 * 0.5 * h * spotGBH,
			"Public IPv4 addresses":                               (1 + 2) * h * ipv4,
			"CloudWatch Logs ingestion, container logs":           1 * cost.ContainerLogGBPerTask * logs,
			"CloudWatch Logs ingestion, VPC flow logs":            cost.FlowLogGBPerVPC * logs,
			"Cognito user pool `identity-users`, ESSENTIALS tier": 0,
			"S3 Standard storage (access logs)":                   1 * s3GB,
		}},
		// prod: a NAT gateway per zone in three zones, 3 to 12 tasks of
		// 0.5 vCPU / 1 GB on demand (autoscaling: two target tracking
		// policies), PLUS from the first MAU, WAF with four rules, access
		// logs, one Secrets Manager secret (the SSM parameter is free).
		{stack: "prod", items: map[string]float64{
			"NAT gateway hours":                             3 * h * nat,
			"NAT gateway data processed":                    3 * cost.NATDataGB * nat,
			"Load balancer `edge-alb` hours":                h * alb,
			"Load balancer `edge-alb` LCUs":                 cost.ALBLCUs * h * lcu,
			"Fargate vCPU, service `app-service`":           3 * 0.5 * h * vcpu,
			"Fargate memory, service `app-service`":         3 * 1 * h * gbh,
			"Public IPv4 addresses":                         (3 + 3) * h * ipv4,
			"CloudWatch Logs ingestion, container logs":     3 * cost.ContainerLogGBPerTask * logs,
			"CloudWatch Logs ingestion, VPC flow logs":      cost.FlowLogGBPerVPC * logs,
			"CloudWatch alarms":                             2 * 2 * 0.10,
			"Cognito user pool `identity-users`, PLUS tier": 1000 * 0.020,
			"WAF web ACL `edge-waf`":                        5,
			"WAF web ACL `edge-waf` rules":                  4 * 1,
			"WAF web ACL `edge-waf` requests":               1 * 0.60,
			"S3 Standard storage (access logs)":             1 * s3GB,
			"Secrets Manager secrets":                       1 * 0.40,
		}, maxTotal: 12 * (0.5*h*vcpu + 1*h*gbh + cost.ContainerLogGBPerTask*logs)},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			e := cost.EstimateOf(synthesizeStackFile(t, tc.stack))
			if e.Region != "eu-west-1" || e.Fallback() || e.PriceDate != "2026-09" {
				t.Fatalf("priced as %s for %s on %s", e.PricedAs, e.Region, e.PriceDate)
			}
			sum, got := 0.0, map[string]bool{}
			for _, it := range e.Items {
				got[it.Item] = true
				sum += it.Monthly
				want, ok := tc.items[it.Item]
				switch {
				case !ok:
					t.Errorf("unexpected line item %q ($%.2f)", it.Item, it.Monthly)
				case !costNear(it.Monthly, want):
					t.Errorf("%s = %.6f, want %.6f", it.Item, it.Monthly, want)
				}
				if !costNear(it.Monthly, it.Quantity*it.UnitPrice) {
					t.Errorf("%s: %v × %v ≠ %v", it.Item, it.Quantity, it.UnitPrice, it.Monthly)
				}
			}
			for item := range tc.items {
				if !got[item] {
					t.Errorf("no line item %q:\n%s", item, e.Text())
				}
			}
			if e.Total <= 0 || !costNear(e.Total, sum) {
				t.Errorf("total %v, items sum to %v", e.Total, sum)
			}
			if tc.maxTotal > 0 {
				// At maxCapacity the tasks and their logs grow; the rest stays.
				perTaskAtMin := 3 * (0.5*h*vcpu + 1*h*gbh + cost.ContainerLogGBPerTask*logs)
				if !costNear(e.MaxTotal, e.Total-perTaskAtMin+tc.maxTotal) {
					t.Errorf("max total %v, want %v", e.MaxTotal, e.Total-perTaskAtMin+tc.maxTotal)
				}
			} else if e.MaxTotal != e.Total {
				t.Errorf("max total %v without autoscaling, want %v", e.MaxTotal, e.Total)
			}
			// Every resource has a price or is known to be free; dev's one note
			// says Spot prices vary and tasks may be stopped.
			if len(e.Notes) != tc.notes {
				t.Errorf("notes = %q, want %d", e.Notes, tc.notes)
			}
			md := e.Markdown()
			for _, want := range []string{"### Estimated monthly cost of stack `" + tc.stack + "`: $", "Prices: eu-west-1 list prices as of 2026-09", "| **Total** |", "**Assumptions**", "**Not estimated**", "data transfer out"} {
				if !strings.Contains(md, want) {
					t.Errorf("the Markdown lacks %q:\n%s", want, md)
				}
			}
			t.Logf("%s: %.2f USD a month", tc.stack, e.Total)
		})
	}
}

// Arithmetic on hand-built syntheses, one rule at a time.
func TestCostArithmetic(t *testing.T) {
	t.Run("three NAT gateways and their Elastic IPs", func(t *testing.T) {
		for region, price := range map[string]float64{"us-east-1": 0.045, "eu-west-1": 0.048} {
			var rs []synth.Resource
			for _, n := range []string{"a", "b", "c"} {
				rs = append(rs, costRes(tNat, "nat-"+n, map[string]any{}), costRes(tEip, "eip-"+n, map[string]any{"domain": "vpc"}))
			}
			e := cost.EstimateOf(costResult(region, rs...))
			wantUSD(t, region+" NAT hours", lineItem(t, e, "NAT gateway hours").Monthly, 3*730*price)
			wantUSD(t, region+" NAT data", lineItem(t, e, "NAT gateway data processed").Monthly, 3*cost.NATDataGB*price)
			wantUSD(t, region+" IPv4", lineItem(t, e, "Public IPv4 addresses").Monthly, 3*730*0.005)
			wantUSD(t, region+" total", e.Total, 3*730*price+3*cost.NATDataGB*price+3*730*0.005)
		}
	})

	t.Run("an internet-facing ALB pays for an address per subnet, an internal one none", func(t *testing.T) {
		subnets := []any{"subnet-1", "subnet-2", "subnet-3"}
		e := cost.EstimateOf(costResult("us-east-1", costRes(tALB, "alb", map[string]any{"internal": false, "loadBalancerType": "application", "subnets": subnets})))
		wantUSD(t, "ALB hours", lineItem(t, e, "Load balancer `alb` hours").Monthly, 730*0.0225)
		wantUSD(t, "ALB LCUs", lineItem(t, e, "Load balancer `alb` LCUs").Monthly, 730*0.008)
		wantUSD(t, "IPv4", lineItem(t, e, "Public IPv4 addresses").Monthly, 3*730*0.005)
		// Subnets not known before deployment: an ALB spans at least two zones.
		e = cost.EstimateOf(costResult("us-east-1", costRes(tALB, "alb", map[string]any{"subnets": "[unknown]"})))
		wantUSD(t, "IPv4, subnets unknown", lineItem(t, e, "Public IPv4 addresses").Monthly, 2*730*0.005)
		e = cost.EstimateOf(costResult("us-east-1", costRes(tALB, "alb", map[string]any{"internal": true, "subnets": subnets})))
		if hasItem(e, "Public IPv4") {
			t.Errorf("an internal ALB has no public addresses:\n%s", e.Text())
		}
	})

	t.Run("capacity providers: base on FARGATE, the rest on Spot by weight", func(t *testing.T) {
		svc := costRes(tService, "svc", map[string]any{
			"desiredCount": 3.0,
			"capacityProviderStrategies": []any{
				map[string]any{"capacityProvider": "FARGATE", "base": 1.0, "weight": 0.0},
				map[string]any{"capacityProvider": "FARGATE_SPOT", "weight": 1.0},
			},
		}, costURN(tTaskDef, "app-task"))
		e := cost.EstimateOf(costResult("us-east-1", fargateTaskDef(), svc))
		wantUSD(t, "on-demand vCPU", lineItem(t, e, "Fargate vCPU").Monthly, 1*0.25*730*0.04048)
		wantUSD(t, "on-demand memory", lineItem(t, e, "Fargate memory").Monthly, 1*0.5*730*0.004445)
		wantUSD(t, "Spot vCPU", lineItem(t, e, "Fargate Spot vCPU").Monthly, 2*0.25*730*0.0126)
		wantUSD(t, "Spot memory", lineItem(t, e, "Fargate Spot memory").Monthly, 2*0.5*730*0.00139)
		if !strings.Contains(strings.Join(e.Notes, " "), "Spot: its price varies") {
			t.Errorf("no word that Spot prices vary: %v", e.Notes)
		}

		// Without a base, 4 tasks weighted 1:3 are 1 on-demand and 3 on Spot.
		svc.Inputs = map[string]any{"desiredCount": 4.0, "capacityProviderStrategies": []any{
			map[string]any{"capacityProvider": "FARGATE", "weight": 1.0},
			map[string]any{"capacityProvider": "FARGATE_SPOT", "weight": 3.0},
		}}
		e = cost.EstimateOf(costResult("us-east-1", fargateTaskDef(), svc))
		wantUSD(t, "weighted on-demand vCPU-h", lineItem(t, e, "Fargate vCPU").Quantity, 1*0.25*730)
		wantUSD(t, "weighted Spot vCPU-h", lineItem(t, e, "Fargate Spot vCPU").Quantity, 3*0.25*730)

		// launchType FARGATE: all on-demand.
		svc.Inputs = map[string]any{"desiredCount": 2.0, "launchType": "FARGATE"}
		e = cost.EstimateOf(costResult("eu-west-1", fargateTaskDef(), svc))
		wantUSD(t, "FARGATE vCPU-h", lineItem(t, e, "Fargate vCPU").Quantity, 2*0.25*730)
		if hasItem(e, "Fargate Spot") {
			t.Errorf("launchType FARGATE has no Spot tasks:\n%s", e.Text())
		}
	})

	t.Run("autoscaling: priced at minCapacity, reported up to maxCapacity", func(t *testing.T) {
		svc := costRes(tService, "svc", map[string]any{"desiredCount": 1.0, "launchType": "FARGATE",
			"networkConfiguration": map[string]any{"assignPublicIp": true}})
		target := costRes(costTTarget, "svc-scaling", map[string]any{"minCapacity": 2.0, "maxCapacity": 6.0,
			"serviceNamespace": "ecs", "scalableDimension": "ecs:service:DesiredCount", "resourceId": "service/cluster-1234567/svc-89abcde"}, svc.URN)
		cpu := costRes(costTPolicy, "svc-cpu", map[string]any{"policyType": "TargetTrackingScaling"}, target.URN)
		mem := costRes(costTPolicy, "svc-memory", map[string]any{"policyType": "TargetTrackingScaling"}, target.URN)
		logs := costRes(tLogGroup, "app-logs", map[string]any{"retentionInDays": 14.0})
		e := cost.EstimateOf(costResult("us-east-1", fargateTaskDef(), svc, target, cpu, mem, logs))

		perTask := 0.25*730*0.04048 + 0.5*730*0.004445 + 730*0.005 /* assignPublicIp */ + cost.ContainerLogGBPerTask*0.50
		alarms := 2 * 2 * 0.10
		wantUSD(t, "total at minCapacity", e.Total, 2*perTask+alarms)
		wantUSD(t, "total at maxCapacity", e.MaxTotal, 6*perTask+alarms)
		v := lineItem(t, e, "Fargate vCPU")
		if !v.Ranged() || !costNear(v.Quantity, 2*0.25*730) || !costNear(v.MaxQuantity, 6*0.25*730) {
			t.Errorf("vCPU item: %+v", v)
		}
		a := lineItem(t, e, "CloudWatch alarms")
		if a.Quantity != 4 || !strings.Contains(a.Assumption, "assumed") {
			t.Errorf("two target tracking policies are 4 alarms, said to be assumed: %+v", a)
		}
		md := e.Markdown()
		if !strings.Contains(md, "(up to $") || !strings.Contains(md, "2–6 tasks (autoscaling min–max)") {
			t.Errorf("the range is not shown:\n%s", md)
		}

		// Linked by resourceId when the service has a name and no dependency says so.
		svc.Inputs["name"] = "web"
		target.DependsOn = nil
		target.Inputs["resourceId"] = "service/cluster-1234567/web"
		other := costRes(tService, "other", map[string]any{"desiredCount": 1.0, "launchType": "FARGATE", "name": "worker"})
		e = cost.EstimateOf(costResult("us-east-1", fargateTaskDef(), svc, other, target))
		if it := lineItem(t, e, "Fargate vCPU, service `svc`"); it.Quantity != 2*0.25*730 || it.MaxQuantity != 6*0.25*730 {
			t.Errorf("target not applied to the service it names: %+v", it)
		}
		if it := lineItem(t, e, "Fargate vCPU, service `other`"); it.Ranged() {
			t.Errorf("target applied to the wrong service: %+v", it)
		}

		// Auto-named services (the program's): linked by the dependency
		// resourceId's service name creates.
		delete(svc.Inputs, "name")
		delete(other.Inputs, "name")
		target.Inputs["resourceId"] = "service/cluster-1234567/other-89abcde"
		target.DependsOn = []string{other.URN}
		e = cost.EstimateOf(costResult("us-east-1", fargateTaskDef(), svc, other, target))
		if it := lineItem(t, e, "Fargate vCPU, service `other`"); !it.Ranged() || lineItem(t, e, "Fargate vCPU, service `svc`").Ranged() {
			t.Errorf("target not applied to the service it depends on:\n%s", e.Text())
		}
	})

	t.Run("Cognito tiers", func(t *testing.T) {
		for _, tc := range []struct {
			tier, label string
			want        float64
		}{
			{"PLUS", "PLUS", cost.CognitoMAU * 0.020}, // from the first MAU
			{"ESSENTIALS", "ESSENTIALS", 0},           // 1,000 MAU are within the 10,000 free
			{"LITE", "LITE", 0},
			{"", "ESSENTIALS", 0}, // absent: ESSENTIALS
		} {
			inputs := map[string]any{}
			if tc.tier != "" {
				inputs["userPoolTier"] = tc.tier
			}
			e := cost.EstimateOf(costResult("eu-west-1", costRes(tPool, "users", inputs)))
			wantUSD(t, "tier "+tc.tier, lineItem(t, e, "Cognito user pool `users`, "+tc.label+" tier").Monthly, tc.want)
		}
		if cost.CognitoMAU > cost.CognitoFreeMAU {
			t.Fatal("the assumed MAU exceed the free tier: the expectations above no longer hold")
		}
	})

	t.Run("a WAF with 4 rules", func(t *testing.T) {
		rules := []any{}
		for _, n := range []string{"common", "bad-inputs", "ip-reputation", "rate-limit"} {
			rules = append(rules, map[string]any{"name": n})
		}
		e := cost.EstimateOf(costResult("eu-west-1", costRes(costTWebACL, "acl", map[string]any{"scope": "REGIONAL", "rules": rules})))
		wantUSD(t, "WAF total", e.Total, 5+4*1+cost.WAFMillionRequests*0.60)
		wantUSD(t, "WAF rules", lineItem(t, e, "WAF web ACL `acl` rules").Monthly, 4)
	})

	t.Run("secrets: one per secret however many containers and JSON keys read it", func(t *testing.T) {
		const db = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf"
		web := map[string]any{"name": "web", "secrets": []any{
			map[string]any{"name": "DB_USER", "valueFrom": db + ":username::"},
			map[string]any{"name": "API_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/app/api-key"}, // SSM: free
		}}
		worker := map[string]any{"name": "worker", "secrets": []any{
			map[string]any{"name": "DB_PASSWORD", "valueFrom": db + ":password:AWSCURRENT:"},
		}}
		e := cost.EstimateOf(costResult("eu-west-1", fargateTaskDef(web, worker)))
		s := lineItem(t, e, "Secrets Manager secrets")
		if s.Quantity != 1 || !costNear(s.Monthly, 0.40) {
			t.Errorf("two containers reading one secret by different keys: %+v", s)
		}
		worker["secrets"] = append(worker["secrets"].([]any), map[string]any{"name": "TOKEN", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/token-XyZ123"})
		e = cost.EstimateOf(costResult("eu-west-1", fargateTaskDef(web, worker)))
		wantUSD(t, "two secrets", lineItem(t, e, "Secrets Manager secrets").Monthly, 2*0.40)
	})

	t.Run("access logs and images", func(t *testing.T) {
		e := cost.EstimateOf(costResult("us-east-1", costRes(costTBucket, "access-logs", map[string]any{}), costRes(costTECR, "app", map[string]any{})))
		wantUSD(t, "S3", lineItem(t, e, "S3 Standard storage").Monthly, cost.AccessLogGB*0.023)
		wantUSD(t, "ECR", lineItem(t, e, "ECR image storage").Monthly, cost.ECRImageGB*0.10)
	})

	t.Run("a resource on a provider in another region is priced there", func(t *testing.T) {
		prov := costRes(tProvider, "edge-us-east-1", map[string]any{"region": "us-east-1"})
		prov.Custom = true
		nat := costRes(tNat, "nat", map[string]any{})
		nat.Provider = prov.URN
		e := cost.EstimateOf(costResult("eu-west-1", prov, nat))
		wantUSD(t, "NAT in us-east-1", lineItem(t, e, "NAT gateway hours (us-east-1)").Monthly, 730*0.045)
	})

	t.Run("a type the table does not know is named, not silently free", func(t *testing.T) {
		e := cost.EstimateOf(costResult("eu-west-1", costRes(costTKMSKey, "key", map[string]any{})))
		if e.Total != 0 || !strings.Contains(strings.Join(e.Notes, "\n"), "`aws:kms/key:Key`") || !strings.Contains(e.Markdown(), "aws:kms/key:Key") {
			t.Errorf("a KMS key is not called out: %v", e.Notes)
		}
	})
}

// A region the table lacks is priced with us-east-1's prices, and the
// estimate says so.
func TestCostFallsBackToUSEast1(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"aws:region": "ap-southeast-2"}))
	e := cost.EstimateOf(res)
	if e.Region != "ap-southeast-2" || e.PricedAs != "us-east-1" || !e.Fallback() {
		t.Fatalf("region %s priced as %s", e.Region, e.PricedAs)
	}
	if got := lineItem(t, e, "NAT gateway hours").UnitPrice; got != 0.045 {
		t.Errorf("NAT gateway priced at %v, want us-east-1's 0.045", got)
	}
	asUSEast1 := *res
	asUSEast1.Region = "us-east-1"
	wantUSD(t, "total", e.Total, cost.EstimateOf(&asUSEast1).Total)
	for _, out := range []string{e.Markdown(), e.Text()} {
		if !strings.Contains(out, "us-east-1 list prices as of 2026-09 (the fallback: the price table has no prices for ap-southeast-2)") {
			t.Errorf("the fallback is not stated:\n%s", out)
		}
	}
	if e := cost.EstimateOf(synthesize(t, baseConfig())); e.Fallback() || strings.Contains(e.Markdown(), "fallback") {
		t.Errorf("eu-west-1 is in the table: %s", e.Markdown())
	}
}

// The seed walkthrough's hand-built layout, priced with the same table.
func TestSeedEstimate(t *testing.T) {
	for _, tc := range []struct {
		region string
		want   float64
	}{
		{region: "eu-west-1", want: 2*730*0.048 + 2*cost.NATDataGB*0.048 + 730*0.0252 + cost.ALBLCUs*730*0.008 + 4*730*0.005 + 2*730*0.0228},
		{region: "us-east-1", want: 2*730*0.045 + 2*cost.NATDataGB*0.045 + 730*0.0225 + cost.ALBLCUs*730*0.008 + 4*730*0.005 + 2*730*0.0208},
	} {
		e := cost.Seed(tc.region)
		wantUSD(t, "seed in "+tc.region, e.Total, tc.want)
		wantUSD(t, "t3.small in "+tc.region, lineItem(t, e, "EC2 t3.small instance hours").Quantity, 2*730)
		if ip := lineItem(t, e, "Public IPv4 addresses"); ip.Quantity != 4*730 {
			t.Errorf("2 Elastic IPs and 2 ALB addresses: %+v", ip)
		}
		if !strings.Contains(e.Markdown(), "seed walkthrough") {
			t.Errorf("the seed estimate does not say what it is:\n%s", e.Markdown())
		}
	}
	if e := cost.Seed("sa-east-1"); !e.Fallback() || !costNear(e.Total, cost.Seed("us-east-1").Total) {
		t.Errorf("sa-east-1 should fall back to us-east-1: %v", e.Total)
	}
	seed := cost.Seed("eu-west-1").Total
	t.Logf("seed %.2f, dev %.2f, prod %.2f USD a month", seed, cost.EstimateOf(synthesizeStackFile(t, "dev")).Total, cost.EstimateOf(synthesizeStackFile(t, "prod")).Total)
}

// synth -cost prints the estimate; synth -diff heads its Markdown with the
// change in estimated cost, from nothing for a new stack.
func TestSynthCostFlagAndDiffLine(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "../Pulumi.yaml", filepath.Join(dir, "Pulumi.yaml"))
	copyFile(t, "../Pulumi.dev.yaml", filepath.Join(dir, "Pulumi.dev.yaml"))
	hooks := synth.Hooks{Cost: cost.Command{}}
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := synth.Main(append([]string{"-dir", dir, "-stack", "dev"}, args...), &out, &errOut, stack.Program, hooks)
		return code, out.String(), errOut.String()
	}
	dev := cost.EstimateOf(synthesizeStackFile(t, "dev"))

	code, out, errOut := run("-cost")
	if code != 0 || out != dev.Markdown() {
		t.Fatalf("synth -cost: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	if !strings.HasPrefix(out, "### Estimated monthly cost of stack `dev`: $") {
		t.Errorf("synth -cost:\n%s", out)
	}

	line := func(md string) string {
		head, rest, _ := strings.Cut(md, "\n\n")
		if !strings.HasPrefix(head, "### Stack `dev`") {
			t.Fatalf("not a diff:\n%s", md)
		}
		l, _, _ := strings.Cut(rest, "\n")
		return l
	}
	total := fmt.Sprintf("$%.2f", dev.Total)
	old := filepath.Join(dir, "old.json")

	// A new stack: from nothing.
	if err := os.WriteFile(old, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, md, _ := run("-diff", old); line(md) != "Estimated monthly cost: $0.00 → "+total+" (+"+total+")" {
		t.Errorf("new stack: %q", line(md))
	}

	// Unchanged.
	snapshot, err := os.ReadFile(filepath.Join(goldenDir, "dev.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, snapshot, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, md, _ := run("-diff", old); line(md) != "Estimated monthly cost: "+total+" → "+total+" (+$0.00)" || !strings.Contains(md, "No changes.") {
		t.Errorf("unchanged stack: %q\n%s", line(md), md)
	}

	// One more task: one task's vCPU, memory and container logs more, at
	// Fargate Spot's price (dev runs on Spot).
	stackFile := filepath.Join(dir, "Pulumi.dev.yaml")
	b, err := os.ReadFile(stackFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stackFile, bytes.Replace(b, []byte("desiredCount: 1"), []byte("desiredCount: 2"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	oneTask := 0.25*730*0.0126 + 0.5*730*0.00138 + cost.ContainerLogGBPerTask*0.57
	want := fmt.Sprintf("Estimated monthly cost: %s → $%.2f (+$%.2f)", total, dev.Total+oneTask, oneTask)
	if _, md, _ := run("-diff", old); line(md) != want {
		t.Errorf("one more task: %q, want %q", line(md), want)
	}

	// -cost needs the estimate and stands alone.
	var o, eo bytes.Buffer
	if code := synth.Main([]string{"-dir", dir, "-stack", "dev", "-cost"}, &o, &eo, stack.Program, synth.Hooks{}); code != 2 || !strings.Contains(eo.String(), "not available") {
		t.Errorf("-cost without the estimate: exit %d, %q", code, eo.String())
	}
	if code, _, e := run("-cost", "-diff", old); code != 2 || !strings.Contains(e, "usage") {
		t.Errorf("-cost with -diff: exit %d, %q", code, e)
	}
	// Without the estimate, -diff prints no cost line (as before).
	o.Reset()
	synth.Main([]string{"-dir", dir, "-stack", "dev", "-diff", old}, &o, &eo, stack.Program, synth.Hooks{})
	if strings.Contains(o.String(), "Estimated monthly cost") {
		t.Errorf("a cost line without the estimate:\n%s", o.String())
	}
}

// The README's cost table quotes the estimates; it must not drift from them.
func TestREADMEQuotesTheEstimates(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "## What it costs\n")
	section, _, _ = strings.Cut(section, "\n## ")
	prod := cost.EstimateOf(synthesizeStackFile(t, "prod"))
	want := fmt.Sprintf("| **total a month** (eu-west-1) | **$%.2f** | **$%.2f** (up to $%.2f) | **$%.2f** |",
		cost.EstimateOf(synthesizeStackFile(t, "dev")).Total, prod.Total, prod.MaxTotal, cost.Seed("eu-west-1").Total)
	if !strings.Contains(section, want) {
		t.Errorf("README.md \"What it costs\" lacks the current totals; want the row\n%s", want)
	}
}
