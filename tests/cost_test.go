package tests

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/cmd/synth/cli"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/tools/cost"
)

// lineItem returns the estimate's only item whose name starts with prefix.
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
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

// The committed stacks: every line item a reviewer expects, at eu-west-1's
// list prices, and nothing the estimate could not price.
func TestCostOfTheCommittedStacks(t *testing.T) {
	const (
		nat, alb, lcu, vcpu, gbh, ipv4, logs = 0.048, 0.0252, 0.008, 0.04048, 0.004445, 0.005, 0.57
		spotVcpu, spotGbh, s3Gb              = 0.0126, 0.00138, 0.023
	)
	h := cost.HoursPerMonth
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
			"NAT gateway data processed":                          1 * cost.NatDataGb * nat,
			"Load balancer `edge-alb` hours":                      h * alb,
			"Load balancer `edge-alb` LCUs":                       cost.AlbLcus * h * lcu,
			"Fargate Spot vCPU, service `app-service`":            1 * 0.25 * h * spotVcpu,
			"Fargate Spot memory, service `app-service`":          1 * 0.5 * h * spotGbh,
			"Public IPv4 addresses":                               (1 + 2) * h * ipv4,
			"CloudWatch Logs ingestion, container logs":           1 * cost.ContainerLogGbPerTask * logs,
			"CloudWatch Logs ingestion, VPC flow logs":            cost.FlowLogGbPerVpc * logs,
			"Cognito user pool `identity-users`, ESSENTIALS tier": 0,
			"S3 Standard storage (access logs)":                   1 * s3Gb,
		}},
		// prod: a NAT gateway per zone in three zones, 3 to 12 tasks of
		// 0.5 vCPU / 1 GB on demand (autoscaling: two target tracking
		// policies), PLUS from the first MAU, WAF with seven rules (four of
		// the stack's, three managed groups), access logs, one Secrets
		// Manager secret (the SSM parameter is free), the logs' KMS key.
		{stack: "prod", items: map[string]float64{
			"NAT gateway hours":                             3 * h * nat,
			"NAT gateway data processed":                    3 * cost.NatDataGb * nat,
			"Load balancer `edge-alb` hours":                h * alb,
			"Load balancer `edge-alb` LCUs":                 cost.AlbLcus * h * lcu,
			"Fargate vCPU, service `app-service`":           3 * 0.5 * h * vcpu,
			"Fargate memory, service `app-service`":         3 * 1 * h * gbh,
			"Public IPv4 addresses":                         (3 + 3) * h * ipv4,
			"CloudWatch Logs ingestion, container logs":     3 * cost.ContainerLogGbPerTask * logs,
			"CloudWatch Logs ingestion, VPC flow logs":      cost.FlowLogGbPerVpc * logs,
			"CloudWatch alarms":                             2 * 2 * 0.10,
			"Cognito user pool `identity-users`, PLUS tier": 1000 * 0.020,
			"WAF web ACL `edge-waf`":                        5,
			"WAF web ACL `edge-waf` rules":                  7 * 1,
			"KMS customer managed keys":                     1,
			"WAF web ACL `edge-waf` requests":               1 * 0.60,
			"S3 Standard storage (access logs)":             1 * s3Gb,
			"Secrets Manager secrets":                       1 * 0.40,
		}, maxTotal: 12 * (0.5*h*vcpu + 1*h*gbh + cost.ContainerLogGbPerTask*logs)},
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
				case !near(it.Monthly, want):
					t.Errorf("%s = %.6f, want %.6f", it.Item, it.Monthly, want)
				}
				if !near(it.Monthly, it.Quantity*it.UnitPrice) {
					t.Errorf("%s: %v × %v ≠ %v", it.Item, it.Quantity, it.UnitPrice, it.Monthly)
				}
			}
			for item := range tc.items {
				if !got[item] {
					t.Errorf("no line item %q:\n%s", item, e.Text())
				}
			}
			if e.Total <= 0 || !near(e.Total, sum) {
				t.Errorf("total %v, items sum to %v", e.Total, sum)
			}
			if tc.maxTotal > 0 {
				// At maxCapacity the tasks and their logs grow; the rest stays.
				perTaskAtMin := 3 * (0.5*h*vcpu + 1*h*gbh + cost.ContainerLogGbPerTask*logs)
				if !near(e.MaxTotal, e.Total-perTaskAtMin+tc.maxTotal) {
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

// A region the table lacks is priced with us-east-1's prices, and the
// estimate says so.
func TestCostFallsBackToUsEast1(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"aws:region": "ap-southeast-2"}))
	e := cost.EstimateOf(res)
	if e.Region != "ap-southeast-2" || e.PricedAs != "us-east-1" || !e.Fallback() {
		t.Fatalf("region %s priced as %s", e.Region, e.PricedAs)
	}
	if got := lineItem(t, e, "NAT gateway hours").UnitPrice; got != 0.045 {
		t.Errorf("NAT gateway priced at %v, want us-east-1's 0.045", got)
	}
	asUsEast1 := *res
	asUsEast1.Region = "us-east-1"
	wantUsd(t, "total", e.Total, cost.EstimateOf(&asUsEast1).Total)
	for _, out := range []string{e.Markdown(), e.Text()} {
		if !strings.Contains(out, "us-east-1 list prices as of 2026-09 (the fallback: the price table has no prices for ap-southeast-2)") {
			t.Errorf("the fallback is not stated:\n%s", out)
		}
	}
	if e := cost.EstimateOf(synthesize(t, baseConfig())); e.Fallback() || strings.Contains(e.Markdown(), "fallback") {
		t.Errorf("eu-west-1 is in the table: %s", e.Markdown())
	}
}

// synth -cost prints the estimate; synth -diff heads its Markdown with the
// change in estimated cost, from nothing for a new stack.
func TestSynthCostFlagAndDiffLine(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "../Pulumi.yaml", filepath.Join(dir, "Pulumi.yaml"))
	copyFile(t, "../Pulumi.dev.yaml", filepath.Join(dir, "Pulumi.dev.yaml"))
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := cli.Main(append([]string{"-dir", dir, "-stack", "dev"}, args...), &out, &errOut, stack.Program)
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
	oneTask := 0.25*730*0.0126 + 0.5*730*0.00138 + cost.ContainerLogGbPerTask*0.57
	want := fmt.Sprintf("Estimated monthly cost: %s → $%.2f (+$%.2f)", total, dev.Total+oneTask, oneTask)
	if _, md, _ := run("-diff", old); line(md) != want {
		t.Errorf("one more task: %q, want %q", line(md), want)
	}

	// -cost stands alone.
	if code, _, e := run("-cost", "-diff", old); code != 2 || !strings.Contains(e, "usage") {
		t.Errorf("-cost with -diff: exit %d, %q", code, e)
	}
}

// The cost page's table quotes the estimates; it must not drift from them.
func TestTheCostPageQuotesTheEstimates(t *testing.T) {
	b, err := os.ReadFile("../docs/costs.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "## What it costs\n")
	section, _, _ = strings.Cut(section, "\n## ")
	prod := cost.EstimateOf(synthesizeStackFile(t, "prod"))
	want := fmt.Sprintf("| **total a month** (eu-west-1) | **$%.2f** | **$%.2f** (up to $%.2f) | **$%.2f** |",
		cost.EstimateOf(synthesizeStackFile(t, "dev")).Total, prod.Total, prod.MaxTotal, cost.Seed("eu-west-1").Total)
	if !strings.Contains(section, want) {
		t.Errorf("docs/costs.md \"What it costs\" lacks the current totals; want the row\n%s", want)
	}
}
