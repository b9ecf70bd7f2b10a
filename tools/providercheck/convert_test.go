package providercheck_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/providercheck"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

const miniSchema = `{"provider_schemas":{"registry.terraform.io/hashicorp/aws":{"resource_schemas":{
  "aws_lb_target_group":{"block":{
    "attributes":{"name":{"type":"string","optional":true},"port":{"type":"number","optional":true}},
    "block_types":{"health_check":{"nesting_mode":"list","max_items":1,"block":{"attributes":{"path":{"type":"string","optional":true}}}}}}}
}}}}`

func sorted(s []string) []string { out := slices.Clone(s); slices.Sort(out); return out }

// What the provider's schema has no place for is a problem, named by
// resource and property, before Terraform runs: a resource type without a
// mapping, a property no argument matches. Needs no Terraform.
func TestTheProviderCheckRefusesWhatItCannotMap(t *testing.T) {
	schema, err := providercheck.ParseSchema([]byte(miniSchema))
	if err != nil {
		t.Fatal(err)
	}
	res := &snapshot.Stack{Resources: []snapshot.Resource{
		{URN: "urn:a", Type: "aws:lb/targetGroup:TargetGroup", Name: "tg", Custom: true, Inputs: map[string]any{
			"port": 80.0, "healthCheck": map[string]any{"path": "/", "pathh": "/x"}, "stickyness": true,
		}},
		{URN: "urn:b", Type: "aws:sqs/queue:Queue", Name: "queue", Custom: true, Inputs: map[string]any{}},
		{URN: "urn:c", Type: "docker:index/container:Container", Name: "c", Custom: true, Inputs: map[string]any{}},
	}}
	cfg, rep := providercheck.Convert(schema, []providercheck.Stack{{Name: "s", Region: "eu-west-1", Snapshot: res}})
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.Name+" "+p.Property)
	}
	want := []string{"tg healthCheck.pathh", "tg stickyness", "queue ", "c "}
	if !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("problems = %q, want %q", got, want)
	}
	// What could be mapped is written: the target group with its port,
	// health check block and Pulumi's auto-name.
	js := string(cfg.JSON)
	for _, w := range []string{`"aws_lb_target_group"`, `"port": 80`, `"health_check": [`, `"name": "tg-`} {
		if !strings.Contains(js, w) {
			t.Errorf("configuration lacks %s:\n%s", w, js)
		}
	}
}
