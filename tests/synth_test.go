package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/synth"
)

// stackDir is a project directory with the repository's Pulumi.yaml and a
// stack file of the given lines.
func stackDir(t *testing.T, lines ...string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile("../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	body := "config:\n  aws:region: eu-west-1\n  alb-cognito-fargate:domainName: app.example.com\n  alb-cognito-fargate:hostedZoneName: example.com\n"
	for _, l := range lines {
		body += "  alb-cognito-fargate:" + l + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.s.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A stack file is loaded as the CLI loads it: the schema's defaults
// applied, and a value of the wrong type rejected, naming the key.
func TestLoadStackAppliesTheSchema(t *testing.T) {
	sc, err := synth.LoadStack(stackDir(t, "desiredCount: 3"), "s")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Values["alb-cognito-fargate:desiredCount"] != "3" || sc.Values["alb-cognito-fargate:cpu"] != "256" {
		t.Errorf("desiredCount %q (set), cpu %q (Pulumi.yaml's default)", sc.Values["alb-cognito-fargate:desiredCount"], sc.Values["alb-cognito-fargate:cpu"])
	}
	if _, err := synth.LoadStack(stackDir(t, "cpu: lots"), "s"); err == nil || !strings.Contains(err.Error(), "cpu") {
		t.Fatalf("want a type error naming cpu, got %v", err)
	}
}

// An in-memory configuration gets the schema's defaults; a required key
// left out is left to the program to report.
func TestWithProjectAppliesTheDefaults(t *testing.T) {
	sc, err := synth.WithProject("..", "s", map[string]string{"aws:region": "eu-west-1"}, "alb-cognito-fargate:identityProviders")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Values["alb-cognito-fargate:mfa"] != "on" || sc.Values["alb-cognito-fargate:groups"] != "[]" {
		t.Errorf("defaults not applied: mfa %q, groups %q", sc.Values["alb-cognito-fargate:mfa"], sc.Values["alb-cognito-fargate:groups"])
	}
	if _, ok := sc.Values["alb-cognito-fargate:domainName"]; ok {
		t.Error("a required key without a value appeared")
	}
	if len(sc.SecretKeys) != 1 || sc.SecretKeys[0] != "alb-cognito-fargate:identityProviders" {
		t.Errorf("secret keys %v", sc.SecretKeys)
	}
}
