package cost_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/cost"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// The types the tests build, from the catalog.
var (
	tNat      = catalog.NatGateway.Token
	tEip      = catalog.Eip.Token
	tAlb      = catalog.LoadBalancer.Token
	tService  = catalog.Service.Token
	tTaskDef  = catalog.TaskDefinition.Token
	tTarget   = catalog.ScalingTarget.Token
	tPolicy   = catalog.ScalingPolicy.Token
	tLogGroup = catalog.LogGroup.Token
	tPool     = catalog.UserPool.Token
	tWebACL   = catalog.WebACL.Token
	tBucket   = catalog.Bucket.Token
	tRepo     = catalog.Repository.Token
	tProvider = catalog.Provider.Token
)

func lineItem(t *testing.T, e *cost.Estimate, prefix string) cost.Item {
	t.Helper()
	it, err := e.Item(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func wantUsd(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !costNear(got, want) {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

// costRes builds one synthesized resource the way the recorder writes it.
func costRes(typ, name string, inputs map[string]any, dependsOn ...string) snapshot.Resource {
	return snapshot.Resource{URN: costURN(typ, name), Type: typ, Name: name, Custom: true, Inputs: inputs, DependsOn: dependsOn}
}

func costURN(typ, name string) string {
	return "urn:pulumi:test::alb-cognito-fargate::" + typ + "::" + name
}

func costResult(region string, rs ...snapshot.Resource) *snapshot.Stack {
	return &snapshot.Stack{Name: "test", Region: region, Resources: rs}
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

// A Fargate task definition of 0.25 vCPU and 0.5 GB, optionally with containers.
func fargateTaskDef(containers ...map[string]any) snapshot.Resource {
	inputs := map[string]any{"cpu": "256", "memory": "512", "family": "app", "requiresCompatibilities": []any{"FARGATE"}}
	if len(containers) > 0 {
		b, _ := json.Marshal(containers)
		inputs["containerDefinitions"] = string(b)
	}
	return costRes(tTaskDef, "app-task", inputs)
}

// Arithmetic on hand-built syntheses, one rule at a time.
func TestCostArithmetic(t *testing.T) {
	t.Run("three NAT gateways and their Elastic IPs", func(t *testing.T) {
		for region, price := range map[string]float64{"us-east-1": 0.045, "eu-west-1": 0.048} {
			var rs []snapshot.Resource
			for _, n := range []string{"a", "b", "c"} {
				rs = append(rs, costRes(tNat, "nat-"+n, map[string]any{}), costRes(tEip, "eip-"+n, map[string]any{"domain": "vpc"}))
			}
			e := cost.EstimateOf(costResult(region, rs...))
			wantUsd(t, region+" NAT hours", lineItem(t, e, "NAT gateway hours").Monthly, 3*730*price)
			wantUsd(t, region+" NAT data", lineItem(t, e, "NAT gateway data processed").Monthly, 3*cost.NatDataGb*price)
			wantUsd(t, region+" IPv4", lineItem(t, e, "Public IPv4 addresses").Monthly, 3*730*0.005)
			wantUsd(t, region+" total", e.Total, 3*730*price+3*cost.NatDataGb*price+3*730*0.005)
		}
	})

	t.Run("an internet-facing ALB pays for an address per subnet, an internal one none", func(t *testing.T) {
		subnets := []any{"subnet-1", "subnet-2", "subnet-3"}
		e := cost.EstimateOf(costResult("us-east-1", costRes(tAlb, "alb", map[string]any{"internal": false, "loadBalancerType": "application", "subnets": subnets})))
		wantUsd(t, "ALB hours", lineItem(t, e, "Load balancer `alb` hours").Monthly, 730*0.0225)
		wantUsd(t, "ALB LCUs", lineItem(t, e, "Load balancer `alb` LCUs").Monthly, 730*0.008)
		wantUsd(t, "IPv4", lineItem(t, e, "Public IPv4 addresses").Monthly, 3*730*0.005)
		// Subnets not known before deployment: an ALB spans at least two zones.
		e = cost.EstimateOf(costResult("us-east-1", costRes(tAlb, "alb", map[string]any{"subnets": "[unknown]"})))
		wantUsd(t, "IPv4, subnets unknown", lineItem(t, e, "Public IPv4 addresses").Monthly, 2*730*0.005)
		e = cost.EstimateOf(costResult("us-east-1", costRes(tAlb, "alb", map[string]any{"internal": true, "subnets": subnets})))
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
		wantUsd(t, "on-demand vCPU", lineItem(t, e, "Fargate vCPU").Monthly, 1*0.25*730*0.04048)
		wantUsd(t, "on-demand memory", lineItem(t, e, "Fargate memory").Monthly, 1*0.5*730*0.004445)
		wantUsd(t, "Spot vCPU", lineItem(t, e, "Fargate Spot vCPU").Monthly, 2*0.25*730*0.0126)
		wantUsd(t, "Spot memory", lineItem(t, e, "Fargate Spot memory").Monthly, 2*0.5*730*0.00139)
		if !strings.Contains(strings.Join(e.Notes, " "), "Spot: its price varies") {
			t.Errorf("no word that Spot prices vary: %v", e.Notes)
		}

		// Without a base, 4 tasks weighted 1:3 are 1 on-demand and 3 on Spot.
		svc.Inputs = map[string]any{"desiredCount": 4.0, "capacityProviderStrategies": []any{
			map[string]any{"capacityProvider": "FARGATE", "weight": 1.0},
			map[string]any{"capacityProvider": "FARGATE_SPOT", "weight": 3.0},
		}}
		e = cost.EstimateOf(costResult("us-east-1", fargateTaskDef(), svc))
		wantUsd(t, "weighted on-demand vCPU-h", lineItem(t, e, "Fargate vCPU").Quantity, 1*0.25*730)
		wantUsd(t, "weighted Spot vCPU-h", lineItem(t, e, "Fargate Spot vCPU").Quantity, 3*0.25*730)

		// launchType FARGATE: all on-demand.
		svc.Inputs = map[string]any{"desiredCount": 2.0, "launchType": "FARGATE"}
		e = cost.EstimateOf(costResult("eu-west-1", fargateTaskDef(), svc))
		wantUsd(t, "FARGATE vCPU-h", lineItem(t, e, "Fargate vCPU").Quantity, 2*0.25*730)
		if hasItem(e, "Fargate Spot") {
			t.Errorf("launchType FARGATE has no Spot tasks:\n%s", e.Text())
		}
	})

	t.Run("autoscaling: priced at minCapacity, reported up to maxCapacity", func(t *testing.T) {
		svc := costRes(tService, "svc", map[string]any{"desiredCount": 1.0, "launchType": "FARGATE",
			"networkConfiguration": map[string]any{"assignPublicIp": true}})
		target := costRes(tTarget, "svc-scaling", map[string]any{"minCapacity": 2.0, "maxCapacity": 6.0,
			"serviceNamespace": "ecs", "scalableDimension": "ecs:service:DesiredCount", "resourceId": "service/cluster-1234567/svc-89abcde"}, svc.URN)
		cpu := costRes(tPolicy, "svc-cpu", map[string]any{"policyType": "TargetTrackingScaling"}, target.URN)
		mem := costRes(tPolicy, "svc-memory", map[string]any{"policyType": "TargetTrackingScaling"}, target.URN)
		logs := costRes(tLogGroup, "app-logs", map[string]any{"retentionInDays": 14.0})
		e := cost.EstimateOf(costResult("us-east-1", fargateTaskDef(), svc, target, cpu, mem, logs))

		perTask := 0.25*730*0.04048 + 0.5*730*0.004445 + 730*0.005 /* assignPublicIp */ + cost.ContainerLogGbPerTask*0.50
		alarms := 2 * 2 * 0.10
		wantUsd(t, "total at minCapacity", e.Total, 2*perTask+alarms)
		wantUsd(t, "total at maxCapacity", e.MaxTotal, 6*perTask+alarms)
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
			{"PLUS", "PLUS", cost.CognitoMau * 0.020}, // from the first MAU
			{"ESSENTIALS", "ESSENTIALS", 0},           // 1,000 MAU are within the 10,000 free
			{"LITE", "LITE", 0},
			{"", "ESSENTIALS", 0}, // absent: ESSENTIALS
		} {
			inputs := map[string]any{}
			if tc.tier != "" {
				inputs["userPoolTier"] = tc.tier
			}
			e := cost.EstimateOf(costResult("eu-west-1", costRes(tPool, "users", inputs)))
			wantUsd(t, "tier "+tc.tier, lineItem(t, e, "Cognito user pool `users`, "+tc.label+" tier").Monthly, tc.want)
		}
		if cost.CognitoMau > cost.CognitoFreeMau {
			t.Fatal("the assumed MAU exceed the free tier: the expectations above no longer hold")
		}
	})

	t.Run("a WAF with 4 rules", func(t *testing.T) {
		rules := []any{}
		for _, n := range []string{"common", "bad-inputs", "ip-reputation", "rate-limit"} {
			rules = append(rules, map[string]any{"name": n})
		}
		e := cost.EstimateOf(costResult("eu-west-1", costRes(tWebACL, "acl", map[string]any{"scope": "REGIONAL", "rules": rules})))
		wantUsd(t, "WAF total", e.Total, 5+4*1+cost.WafMillionRequests*0.60)
		wantUsd(t, "WAF rules", lineItem(t, e, "WAF web ACL `acl` rules").Monthly, 4)
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
		wantUsd(t, "two secrets", lineItem(t, e, "Secrets Manager secrets").Monthly, 2*0.40)
	})

	t.Run("access logs and images", func(t *testing.T) {
		e := cost.EstimateOf(costResult("us-east-1", costRes(tBucket, "access-logs", map[string]any{}), costRes(tRepo, "app", map[string]any{})))
		wantUsd(t, "S3", lineItem(t, e, "S3 Standard storage").Monthly, cost.AccessLogGb*0.023)
		wantUsd(t, "ECR", lineItem(t, e, "ECR image storage").Monthly, cost.EcrImageGb*0.10)
	})

	t.Run("a resource on a provider in another region is priced there", func(t *testing.T) {
		prov := costRes(tProvider, "edge-us-east-1", map[string]any{"region": "us-east-1"})
		prov.Custom = true
		nat := costRes(tNat, "nat", map[string]any{})
		nat.Provider = prov.URN
		e := cost.EstimateOf(costResult("eu-west-1", prov, nat))
		wantUsd(t, "NAT in us-east-1", lineItem(t, e, "NAT gateway hours (us-east-1)").Monthly, 730*0.045)
	})

	t.Run("a type the table does not know is named, not silently free", func(t *testing.T) {
		e := cost.EstimateOf(costResult("eu-west-1", costRes("aws:sqs/queue:Queue", "queue", map[string]any{})))
		if e.Total != 0 || !strings.Contains(strings.Join(e.Notes, "\n"), "`aws:sqs/queue:Queue`") || !strings.Contains(e.Markdown(), "aws:sqs/queue:Queue") {
			t.Errorf("a queue is not called out: %v", e.Notes)
		}
	})
}

// The seed walkthrough's hand-built layout, priced with the same table.
func TestSeedEstimate(t *testing.T) {
	for _, tc := range []struct {
		region string
		want   float64
	}{
		{region: "eu-west-1", want: 2*730*0.048 + 2*cost.NatDataGb*0.048 + 730*0.0252 + cost.AlbLcus*730*0.008 + 4*730*0.005 + 2*730*0.0228},
		{region: "us-east-1", want: 2*730*0.045 + 2*cost.NatDataGb*0.045 + 730*0.0225 + cost.AlbLcus*730*0.008 + 4*730*0.005 + 2*730*0.0208},
	} {
		e := cost.Seed(tc.region)
		wantUsd(t, "seed in "+tc.region, e.Total, tc.want)
		wantUsd(t, "t3.small in "+tc.region, lineItem(t, e, "EC2 t3.small instance hours").Quantity, 2*730)
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
}
