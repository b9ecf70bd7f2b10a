package configref_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/configref"
)

var update = flag.Bool("update", false, "rewrite docs/configuration.md")

const page = "../../docs/configuration.md"

// docs/configuration.md is what Pulumi.yaml says, and documents every key.
func TestTheReferenceIsFresh(t *testing.T) {
	y, err := os.ReadFile("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := configref.Keys(y)
	if err != nil {
		t.Fatal(err)
	}
	want := configref.Markdown(keys)
	if *update {
		if err := os.WriteFile(page, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(page)
	if err != nil || string(got) != want {
		t.Fatalf("docs/configuration.md is stale (or missing: %v): Pulumi.yaml is the keys' home; run go test ./tools/configref -update", err)
	}
	for _, k := range keys {
		if !strings.Contains(want, "\n## "+k.Name+"\n") || k.Description == "" {
			t.Errorf("%s is not documented", k.Name)
		}
	}
	if len(keys) < 40 {
		t.Errorf("only %d keys read from Pulumi.yaml", len(keys))
	}
}
