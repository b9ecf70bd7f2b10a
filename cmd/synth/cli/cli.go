// Package cli is the synth command: it runs the program under the recording
// mock (tools/synth) and prints the snapshot, its diff against an earlier
// one (tools/diff, with the cost change from tools/cost), its provider
// check (tools/providercheck), its cost estimate, or the IAM policy of whoever
// deploys it (tools/deploypolicy).
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/tools/cost"
	"github.com/example/alb-cognito-fargate/tools/deploypolicy"
	"github.com/example/alb-cognito-fargate/tools/diff"
	"github.com/example/alb-cognito-fargate/tools/providercheck"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
	"github.com/example/alb-cognito-fargate/tools/synth"
)

const usage = "usage: synth -stack <name> [-dir .] [-diff old.json | -check | -cost | -deploy-policy] | synth -tools"

// Main runs the command and returns its exit code: 0 on success, 1 when
// the configuration or the program fails (errors on stderr) or, with -diff,
// when the change would fail or is refused (the Markdown says why), 2 on
// bad usage.
func Main(args []string, stdout, stderr io.Writer, program synth.Program) int {
	flags := flag.NewFlagSet("synth", flag.ContinueOnError)
	flags.SetOutput(stderr)
	stackName := flags.String("stack", "", "stack name: reads Pulumi.<stack>.yaml (required)")
	dir := flags.String("dir", ".", "directory holding Pulumi.yaml and the stack files")
	diffFrom := flags.String("diff", "", "an earlier snapshot (JSON); print the changes since then as Markdown, with the cost change")
	check := flags.Bool("check", false, "run the AWS provider's validation (Terraform and hashicorp/aws) on the stack")
	tools := flags.Bool("tools", false, "say where the provider check finds Terraform and the provider, or how to install them")
	estimate := flags.Bool("cost", false, "print the stack's estimated monthly cost (list prices and stated assumptions) as Markdown")
	policy := flags.Bool("deploy-policy", false, "print the least-privilege IAM policy (JSON) of whoever runs pulumi up on the stack")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *tools {
		return printTools(stdout, stderr)
	}
	modes := 0
	for _, on := range []bool{*diffFrom != "", *check, *estimate, *policy} {
		if on {
			modes++
		}
	}
	if *stackName == "" || flags.NArg() > 0 || modes > 1 {
		fmt.Fprintln(stderr, usage)
		return 2
	}

	sc, err := synth.LoadStack(*dir, *stackName)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	s, err := synth.Run(sc, program)
	if err != nil {
		fmt.Fprintln(stderr, err.Error())
		return 1
	}
	switch {
	case *check:
		return runCheck(stdout, stderr, *stackName, sc.Values[config.RegionKey], s)
	case *estimate:
		_, _ = io.WriteString(stdout, cost.EstimateOf(s).Markdown())
		return 0
	case *diffFrom != "":
		return printDiff(stdout, stderr, *stackName, *diffFrom, s)
	case *policy:
		return printPolicy(stdout, stderr, s)
	}
	out, err := s.JSON()
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	_, _ = stdout.Write(out)
	return 0
}

// printDiff prints what changes since the snapshot at path, headed by the
// cost change; it fails when the change is refused.
func printDiff(stdout, stderr io.Writer, stack, path string, s *snapshot.Stack) int {
	old, err := snapshot.Read(path)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	d, err := diff.Compare(old, s)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	d.Cost = cost.Change(cost.EstimateOf(old), cost.EstimateOf(s))
	_, _ = io.WriteString(stdout, d.Markdown())
	if len(d.Failures) > 0 {
		fmt.Fprintf(stderr, "synth: stack %s: the change is refused (%d problem(s)); see the caution box\n", stack, len(d.Failures))
		return 1
	}
	return 0
}

// printTools says where the provider check finds its tools.
func printTools(stdout, stderr io.Writer) int {
	t, err := providercheck.Locate()
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "terraform: %s\nhashicorp/aws %s mirror: %s\n", t.Terraform, providercheck.ProviderVersion, t.Mirror)
	return 0
}

// runCheck runs the provider check on one stack: the API checks of the
// catalog, then Terraform's validation and plan.
func runCheck(stdout, stderr io.Writer, name, region string, s *snapshot.Stack) int {
	problems, err := check(name, region, s)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "synth: stack %s: the AWS provider rejects %d value(s)\n", name, len(problems))
		return 1
	}
	fmt.Fprintf(stdout, "stack %s: the AWS provider accepts all %d resources\n", name, len(s.Resources))
	return 0
}

func check(name, region string, s *snapshot.Stack) ([]providercheck.Problem, error) {
	tools, err := providercheck.Locate()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "providercheck-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	ws, err := tools.NewWorkspace(ctx, dir)
	if err != nil {
		return nil, err
	}
	schema, err := ws.Schema(ctx)
	if err != nil {
		return nil, err
	}
	stacks := []providercheck.Stack{{Name: name, Region: region, Snapshot: s}}
	cfg, rep := providercheck.Convert(schema, stacks)
	problems := append(rep.Problems, providercheck.APIChecks(stacks)...)
	more, err := ws.Plan(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return append(problems, more...), nil
}

// printPolicy prints the deploying principal's policy; it fails when the
// policy would not fit one managed policy.
func printPolicy(stdout, stderr io.Writer, s *snapshot.Stack) int {
	doc, err := deploypolicy.For(s)
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	out, err := doc.JSON()
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	_, _ = stdout.Write(append(out, '\n'))
	if n := doc.Size(); n > deploypolicy.MaxManagedPolicySize {
		fmt.Fprintf(stderr, "synth: the policy is %d characters, over the %d of one managed policy: attach it as an inline policy of the role (up to 10,240 characters), or split its statements over two managed policies\n", n, deploypolicy.MaxManagedPolicySize)
	}
	return 0
}
