package tests

import (
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/diff"
)

// `synth -diff` flags every change of who may do what, however small the
// rest of the change: the admin group, an allow-list, self sign-up, a path
// made public, a role's policy. Reordering groups flags nothing.
func TestDiffFlagsPermissionChanges(t *testing.T) {
	groups := `[{"name":"admins"},{"name":"staff"}]`
	for _, tc := range []struct {
		name          string
		before, after map[string]string
		secret        []string
		want          string // in the one permission message; "" for none
	}{
		{"admin group", map[string]string{"groups": groups, "adminGroup": "admins"}, map[string]string{"groups": groups, "adminGroup": "staff"}, nil,
			"the application's administrators (ADMIN_GROUP): `app=\"admins\"` → `app=\"staff\"`"},
		{"admin group from nothing", map[string]string{"groups": groups}, map[string]string{"groups": groups, "adminGroup": "admins"}, nil,
			"the application's administrators (ADMIN_GROUP): `app=\"\"` → `app=\"admins\"`"},
		{"reorder groups", map[string]string{"groups": groups, "adminGroup": "admins"}, map[string]string{"groups": `[{"name":"staff"},{"name":"admins"}]`, "adminGroup": "admins"}, nil, ""},
		{"allow-list", map[string]string{"identityProviders": "[" + google + "]"}, map[string]string{"identityProviders": "[" + google2 + "]"}, []string{"identityProviders"},
			"who may sign up through each identity provider (ALLOWED)"},
		{"self sign-up", nil, map[string]string{"selfSignUp": "true"}, nil, "whether only administrators may create accounts (selfSignUp): `true` → `false`"},
		{"a public path", nil, map[string]string{"publicPaths": `["/status"]`}, nil, "what anyone may reach without signing in"},
		{"a policy", nil, map[string]string{"exec": "true"}, nil, "what policy app-exec allows: (nothing) → "},
	} {
		before := synthesize(t, withConfig(tc.before), tc.secret...)
		after := synthesize(t, withConfig(tc.after), tc.secret...)
		d, err := diff.Compare(before, after)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range d.Permissions {
			found = found || strings.Contains(p.Message, tc.want)
		}
		switch {
		case tc.want == "" && len(d.Permissions) > 0:
			t.Errorf("%s: flagged %v", tc.name, d.Permissions)
		case tc.want != "" && !found:
			t.Errorf("%s: no permission change says %q; flagged %v", tc.name, tc.want, d.Permissions)
		case tc.want != "" && !strings.Contains(d.Markdown(), "This change changes who may do what"):
			t.Errorf("%s: the Markdown does not flag it:\n%s", tc.name, d.Markdown())
		}
	}
}
