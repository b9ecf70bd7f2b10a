package tests

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/cmd/synth/cli"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/infra/identity"
	"github.com/example/alb-cognito-fargate/infra/stack"
	"github.com/example/alb-cognito-fargate/infra/stackconfig"
	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/diff"
	"github.com/example/alb-cognito-fargate/tools/replay"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
	"github.com/example/alb-cognito-fargate/tools/synth"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

var update = flag.Bool("update", false, "rewrite the golden snapshots in tests/testdata/synth")

const goldenDir = "testdata/synth"

// committedStacks lists the stacks that have a Pulumi.<stack>.yaml.
func committedStacks(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../Pulumi.*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml"))
	}
	if len(out) == 0 {
		t.Fatal("no Pulumi.<stack>.yaml files")
	}
	return out
}

// checkGolden compares a synthesis with its snapshot and returns the diff
// that a failing test prints, or "" when they agree.
func checkGolden(t *testing.T, name string, res *snapshot.Stack) string {
	t.Helper()
	path := filepath.Join(goldenDir, name+".json")
	got, err := res.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		return "no snapshot " + path + ": run go test ./tests -update"
	}
	if bytes.Equal(got, want) {
		return ""
	}
	old, err := snapshot.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := diff.Compare(old, res)
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	if text == "" {
		text = "(formatting only)\n"
	}
	return "stack " + name + " differs from " + path + ":\n" + text +
		"If the change is intended, run: go test ./tests -update, and commit the snapshot."
}

// The committed snapshot of every stack is exactly what the program
// synthesizes, so a pull request that changes infrastructure changes these
// files, and its diff is the plan.
func TestGoldenSnapshots(t *testing.T) {
	stacks := committedStacks(t)
	for _, s := range stacks {
		t.Run(s, func(t *testing.T) {
			res := synthesizeStackFile(t, s)
			// A change `pulumi up` would fail on, or that destroys what must
			// be kept, is refused here too: -update does not accept it.
			if old, err := snapshot.Read(filepath.Join(goldenDir, s+".json")); err == nil {
				p, err := replay.Up(old, res)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Failures) > 0 {
					for _, f := range p.Failures {
						t.Errorf("refused: %s", f.Message)
					}
					t.Fatalf("the snapshot of %s is not updated. If this stack is not deployed, or you will destroy it first, delete %s and run go test ./tests -update", s, filepath.Join("tests", goldenDir, s+".json"))
				}
			}
			if *update {
				b, err := res.JSON()
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(goldenDir, s+".json"), b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if msg := checkGolden(t, s, res); msg != "" {
				t.Error(msg)
			}
		})
	}
	// A snapshot without a stack file is stale.
	snaps, _ := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	for _, f := range snaps {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		found := false
		for _, s := range stacks {
			found = found || s == name
		}
		if !found {
			if *update {
				_ = os.Remove(f)
			} else {
				t.Errorf("%s has no Pulumi.%s.yaml: delete it (go test ./tests -update)", f, name)
			}
		}
	}
}

// Changing a config value makes the snapshot test fail with a diff that names
// the resource and the property.
func TestAConfigChangeFailsTheSnapshotNamingResourceAndProperty(t *testing.T) {
	sc, err := synth.LoadStack("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key, value string
		want       []string
	}{
		{ns + "desiredCount", "5", []string{"aws:ecs/service:Service app-service", "inputs.desiredCount: 1 -> 5"}},
		{ns + "image", "registry.example.com/app:2", []string{"app-task", `inputs.containerDefinitions[app].image: "public.ecr.aws/docker/library/nginx:1.27-alpine" -> "registry.example.com/app:2"`}},
		{ns + "alternateDomainNames", `["www.dev.app.example.com"]`, []string{"+ aws:route53/record:Record edge-dns-www.dev.app.example.com", "inputs.callbackUrls[1]: (none) -> \"https://www.dev.app.example.com/oauth2/idpresponse\""}},
	} {
		changed := synth.StackConfig{Project: sc.Project, Stack: sc.Stack, Values: map[string]string{}}
		for k, v := range sc.Values {
			changed.Values[k] = v
		}
		changed.Values[tc.key] = tc.value
		msg := checkGolden(t, "dev", synthesizeSc(t, changed))
		if msg == "" {
			t.Fatalf("changing %s did not change the snapshot", tc.key)
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("changing %s: the failure does not show %q:\n%s", tc.key, w, msg)
			}
		}
	}
}

// A change to a component's property (here: the user pool's
// usernameAttributes, as a code change would make it) is called out as a
// replacement that deletes every account.
func TestDiffWarnsWhenUsernameAttributesChange(t *testing.T) {
	before := synthesize(t, baseConfig())
	after := synthesize(t, baseConfig())
	for i, r := range after.Resources {
		if r.Type == tPool {
			after.Resources[i].Inputs["usernameAttributes"] = []any{"phone_number"}
		}
	}
	d, err := diff.Compare(before, after)
	if err != nil {
		t.Fatal(err)
	}
	md := d.Markdown()
	if !strings.Contains(md, "[!CAUTION]") || !strings.Contains(md, "REPLACED") ||
		!strings.Contains(md, "usernameAttributes") || !strings.Contains(md, "every user's account") {
		t.Fatalf("no replacement warning for a usernameAttributes change:\n%s", md)
	}
	if strings.Index(md, "[!CAUTION]") > strings.Index(md, "| ~ |") {
		t.Error("the warning must come before the table")
	}
	// An ordinary change to the pool is not a replacement.
	after = synthesize(t, withConfig(map[string]string{"mfa": "off"}))
	d, _ = diff.Compare(before, after)
	if len(d.Warnings) != 0 || len(d.Changed) == 0 {
		t.Errorf("an mfa change: warnings %v, changes %d", d.Warnings, len(d.Changed))
	}
}

// identityProgram registers only the identity component under a given name,
// optionally aliased to its old name: the way a refactoring renames it.
func identityProgram(name string, aliasTo string) synth.Program {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		cfg, err := stackconfig.Load(ctx)
		if err != nil {
			return nil, err
		}
		var opts []pulumi.ResourceOption
		if aliasTo != "" {
			opts = append(opts, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(aliasTo)}}))
		}
		id, err := identity.NewIdentity(ctx, name, &identity.Args{
			Region: cfg.Provider.Region, HostNames: cfg.HostNames(), DomainPrefix: cfg.CognitoDomainPrefix, LogoutPath: config.LogoutPath,
			Mfa: cfg.Mfa, Tier: cfg.UserPoolTier, ThreatProtection: cfg.ThreatProtection, LocalUsers: true,
		}, opts...)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"userPoolId": id.UserPoolID}, nil
	}
}

// Renaming the identity component changes the user pool's URN, which Pulumi
// carries out as delete and create: the reviewer must see it at the top. With
// an alias, the state moves and nothing is replaced.
func TestDiffWarnsWhenTheUserPoolIsRenamed(t *testing.T) {
	run := func(p synth.Program) *snapshot.Stack {
		res, err := synth.Run(stackConfig(t, baseConfig()), p)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	before := run(identityProgram("identity", ""))

	renamed, err := diff.Compare(before, run(identityProgram("users", "")))
	if err != nil {
		t.Fatal(err)
	}
	md := renamed.Markdown()
	if !strings.Contains(md, "[!CAUTION]") || !strings.Contains(md, `aws:cognito/userPool:UserPool "identity-users" would be REPLACED: its URN changes`) ||
		!strings.Contains(md, "every user's account") {
		t.Fatalf("no replacement warning for a renamed user pool:\n%s", md)
	}
	if !strings.Contains(md, "UserPoolDomain") {
		t.Errorf("the domain's replacement is not called out:\n%s", md)
	}

	aliased, err := diff.Compare(before, run(identityProgram("users", "identity")))
	if err != nil {
		t.Fatal(err)
	}
	if len(aliased.Warnings) != 0 || len(aliased.Removed) != 0 {
		t.Fatalf("with an alias nothing is replaced, got warnings %v, removed %d:\n%s", aliased.Warnings, len(aliased.Removed), aliased.Text())
	}
	if len(aliased.Renamed) == 0 {
		t.Errorf("the rename is not reported:\n%s", aliased.Text())
	}
}

// Removing the load balancer is called out too.
func TestDiffWarnsWhenTheLoadBalancerIsDeleted(t *testing.T) {
	before := synthesize(t, baseConfig())
	after := synthesize(t, baseConfig())
	kept := after.Resources[:0]
	for _, r := range after.Resources {
		if r.Type != tAlb {
			kept = append(kept, r)
		}
	}
	after.Resources = kept
	d, _ := diff.Compare(before, after)
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Message, "DELETED") {
		t.Fatalf("warnings = %v", d.Warnings)
	}
}

// The synth command: JSON by default; with -diff, Markdown against an earlier
// synthesis; a bad config prints every problem and exits 1.
func TestSynthCommand(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "../Pulumi.yaml", filepath.Join(dir, "Pulumi.yaml"))
	copyFile(t, "../Pulumi.dev.yaml", filepath.Join(dir, "Pulumi.dev.yaml"))

	var out, errOut bytes.Buffer
	if code := cli.Main([]string{"-dir", dir, "-stack", "dev"}, &out, &errOut, stack.Program); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	golden, err := os.ReadFile(filepath.Join(goldenDir, "dev.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), golden) {
		t.Error("synth -stack dev differs from the dev snapshot")
	}
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Same state: no changes.
	out.Reset()
	if code := cli.Main([]string{"-dir", dir, "-stack", "dev", "-diff", old}, &out, &errOut, stack.Program); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "No changes.") {
		t.Errorf("unchanged stack: %s", out.String())
	}

	// A renamed pool (as an older synthesis would record it) is called out.
	renamed := strings.ReplaceAll(string(golden), "identity-users", "identity-accounts")
	if err := os.WriteFile(old, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	// Replacing the pool is refused: the Markdown says why, the exit code fails the job.
	if code := cli.Main([]string{"-dir", dir, "-stack", "dev", "-diff", old}, &out, &errOut, stack.Program); code != 1 || !strings.Contains(errOut.String(), "refused") {
		t.Errorf("diff against a renamed pool: exit %d, stderr %q; want 1 and the refusal", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "### Stack `dev`") || !strings.Contains(out.String(), "[!CAUTION]") || !strings.Contains(out.String(), "never replaced") {
		t.Errorf("diff against a renamed pool:\n%s", out.String())
	}

	// A stack that did not exist before: everything is added.
	if err := os.WriteFile(old, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	cli.Main([]string{"-dir", dir, "-stack", "dev", "-diff", old}, &out, &errOut, stack.Program)
	if !strings.Contains(out.String(), "to add, 0 to change, 0 to delete") || strings.Contains(out.String(), "CAUTION") {
		t.Errorf("diff against nothing:\n%s", out.String())
	}

	// A bad config: exit 1, every problem on stderr, nothing on stdout.
	writeStack(t, dir, "bad", "domainName: app.example.org", "cpu: 300")
	out.Reset()
	errOut.Reset()
	if code := cli.Main([]string{"-dir", dir, "-stack", "bad"}, &out, &errOut, stack.Program); code != 1 {
		t.Fatalf("bad config: exit %d, want 1", code)
	}
	for _, k := range []string{ns + "domainName", ns + "cpu"} {
		if !strings.Contains(errOut.String(), k) {
			t.Errorf("stderr does not name %s: %s", k, errOut.String())
		}
	}
	if out.Len() != 0 {
		t.Errorf("stdout should be empty on error: %s", out.String())
	}
	if code := cli.Main([]string{"-dir", dir, "-stack", "missing"}, &out, &errOut, stack.Program); code != 1 {
		t.Errorf("missing stack file: exit %d, want 1", code)
	}
}

// A stack deployed from the last release (its snapshot in testdata/upgrade)
// upgrades to this version without replacing or deleting anything that holds
// state or a name: records and the VPC's resources move to their new names
// through aliases. (A task definition gets a new revision when the
// container's environment grows.)
func TestUpgradingADeployedStackReplacesNothing(t *testing.T) {
	for _, s := range []string{"dev", "prod"} {
		t.Run(s, func(t *testing.T) {
			old, err := snapshot.Read(filepath.Join("testdata", "upgrade", s+"-b9cdda0.json"))
			if err != nil {
				t.Fatal(err)
			}
			p, err := replay.Up(old, synthesizeStackFile(t, s))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range p.Failures {
				t.Errorf("would fail: %s", f.Message)
			}
			renamed := 0
			for _, st := range p.Steps {
				up := catalog.Update{}
				if entry, ok := catalog.Lookup(st.Type); ok {
					up = entry.Update
				}
				holds := up.Loses != "" || (up.Claims != nil && st.Old != nil && len(up.Claims(*st.Old)) > 0)
				switch {
				case (st.Op == replay.OpReplace || st.Op == replay.OpReplaceDeleteFirst) && holds:
					t.Errorf("%s %s, which holds state or a name, is replaced: %v", st.Type, st.Name, st.Because)
				case st.Op == replay.OpReplace || st.Op == replay.OpReplaceDeleteFirst:
					t.Logf("%s %s is replaced (%v): a new revision, nothing lost", st.Type, st.Name, st.Because)
				case st.Op == replay.OpDelete && st.Old.Custom:
					t.Errorf("%s %s is deleted", st.Type, st.Name)
				case st.Op == replay.OpDelete && st.Type != "awsx:ec2:Vpc":
					t.Errorf("component %s %s is deleted", st.Type, st.Name)
				case st.OldURN != "":
					renamed++
				}
			}
			if want := len(named(t, old, tCert, "edge-cert").Inputs["subjectAlternativeNames"].([]any)) + 1; renamed != 2*want {
				t.Errorf("%d resources move to a new name, want the %d records", renamed, 2*want)
			}
		})
	}
}

// A changed dependency names the resource by type and name: here a role
// and its policy share the name app-execution.
func TestDiffNamesDependenciesByType(t *testing.T) {
	before := synthesize(t, baseConfig())
	after := cloneResult(t, before)
	policy := named(t, after, tRolePolicy, "app-execution").URN
	for i, r := range after.Resources {
		if r.Type == tTaskDef {
			after.Resources[i].DependsOn = slices.DeleteFunc(slices.Clone(r.DependsOn), func(u string) bool { return u == policy })
		}
	}
	d, err := diff.Compare(before, after)
	if err != nil {
		t.Fatal(err)
	}
	if md := d.Markdown(); !strings.Contains(md, "| `dependsOn` | `[\"iam/rolePolicy app-execution\"]` | `[]` |") {
		t.Errorf("the dependency is not named by type and name:\n%s", md)
	}
}
