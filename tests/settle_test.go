package tests

import (
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/diff"
	"github.com/example/alb-cognito-fargate/tools/replay"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// A stack settles: every committed stack and test configuration, deployed,
// read back as AWS keeps it (each type's catalog ReadBack) and planned
// again, has nothing to do.
func TestEveryStackSettlesAfterItsOwnDeploy(t *testing.T) {
	for _, s := range providerStacks(t) {
		unsettled, err := replay.Settle(s.Snapshot)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range unsettled {
			t.Errorf("%s: %s", s.Name, f.Message)
		}
	}
}

// The read-back model sees what each fix prevents: without Google's
// constants, without the ignored OIDC and SAML details (or with them in the
// bracket form the bridge never matches), without the user name mapping,
// and without the pool's add-ons, the stack would update on every run, and
// `synth -diff` says so.
func TestSettleSeesWhatAwsAddsOnRead(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"identityProviders": threeProviders, "threatProtection": "off"}), "identityProviders")
	for _, tc := range []struct {
		name  string
		spoil func(r *snapshot.Resource) bool
		want  string
	}{
		{"Google without the constants", func(r *snapshot.Resource) bool {
			if r.Type != tIdp || r.Inputs["providerType"] != "Google" {
				return false
			}
			delete(r.Inputs["providerDetails"].(map[string]any), "token_url")
			return true
		}, "providerDetails.token_url = https://www.googleapis.com/oauth2/v4/token"},
		{"OIDC endpoints not ignored", func(r *snapshot.Resource) bool {
			if r.Type != tIdp || r.Inputs["providerType"] != "OIDC" {
				return false
			}
			r.IgnoreChanges = nil
			return true
		}, "providerDetails.jwks_uri = (discovered from the issuer)"},
		{"SAML details ignored in bracket form", func(r *snapshot.Resource) bool {
			if r.Type != tIdp || r.Inputs["providerType"] != "SAML" {
				return false
			}
			for i, p := range r.IgnoreChanges {
				r.IgnoreChanges[i] = strings.Replace(p, "providerDetails.", `providerDetails["`, 1) + `"]`
			}
			return true
		}, "providerDetails.SSORedirectBindingURI = (derived from the metadata)"},
		{"no user name mapping", func(r *snapshot.Resource) bool {
			if r.Type != tIdp || r.Inputs["providerType"] != "Google" {
				return false
			}
			delete(r.Inputs["attributeMapping"].(map[string]any), "username")
			return true
		}, "attributeMapping.username = sub"},
		{"add-ons left out", func(r *snapshot.Resource) bool {
			if r.Type != tPool {
				return false
			}
			delete(r.Inputs, "userPoolAddOns")
			return true
		}, "userPoolAddOns.advancedSecurityMode = OFF"},
	} {
		broken, err := snapshot.Normalize(res) // a deep copy
		if err != nil {
			t.Fatal(err)
		}
		hit := false
		for i := range broken.Resources {
			hit = tc.spoil(&broken.Resources[i]) || hit
		}
		if !hit {
			t.Fatalf("%s: nothing to break", tc.name)
		}
		unsettled, err := replay.Settle(broken)
		if err != nil {
			t.Fatal(err)
		}
		if len(unsettled) != 1 || !strings.Contains(unsettled[0].Message, tc.want) || !strings.Contains(unsettled[0].Message, "would update on every `pulumi up`") {
			t.Errorf("%s: settle found %v, want one resource updating for %s", tc.name, unsettled, tc.want)
		}
		d, err := diff.Compare(res, broken)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Markdown(), tc.want) {
			t.Errorf("%s: the diff does not report it:\n%s", tc.name, d.Markdown())
		}
	}
}
