package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/config"
)

// googleCorp is a Google provider for corp.example.org only.
const googleCorp = `[{"name":"Google","type":"google","clientId":"1234.apps.googleusercontent.com","clientSecret":"g-s3cret","allowedEmailDomains":["corp.example.org"]}]`

// The synthesized pre sign-up trigger, run with Python on Cognito's
// federated sign-up events: it admits alice@corp.example.org through Google
// and refuses mallory@gmail.com, a lookalike domain, a missing address and
// an address Google has not said it verified (the stack maps Google's
// email_verified even when attributeMapping leaves it out); it leaves users
// the pool creates itself to the pool's settings.
func TestTheSynthesizedTriggerAdmitsOnlyTheAllowedDomain(t *testing.T) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is not installed; CI runs the trigger")
		}
		t.Skip("python3 is not installed")
	}
	res := synthesize(t, withConfig(map[string]string{"identityProviders": googleCorp}), "identityProviders")
	fn := one(t, res, "aws:lambda/function:Function")
	code, ok := at(t, fn.Inputs, "code", "archive", "index.py", "text").(string)
	if !ok || at(t, fn.Inputs, "handler") != "index.handler" {
		t.Fatalf("the function's code is not an inline index.py with index.handler: %v", fn.Inputs["code"])
	}
	allowed := fmt.Sprint(at(t, fn.Inputs, "environment", "variables", config.AllowListVariable))
	if !strings.Contains(code, `os.environ.get("`+config.AllowListVariable+`"`) {
		t.Errorf("the trigger does not read %s, where the stack puts its allow-list", config.AllowListVariable)
	}

	cases := []struct {
		source, user string
		attributes   map[string]string
		admitted     bool
	}{
		{"PreSignUp_ExternalProvider", "Google_1001", map[string]string{"email": "alice@corp.example.org", "email_verified": "true"}, true},
		{"PreSignUp_ExternalProvider", "Google_1002", map[string]string{"email": "Alice@CORP.example.org", "email_verified": "true"}, true},
		{"PreSignUp_ExternalProvider", "Google_1003", map[string]string{"email": "mallory@gmail.com", "email_verified": "true"}, false},
		{"PreSignUp_ExternalProvider", "Google_1004", map[string]string{"email": "eve@evilcorp.example.org.attacker.net", "email_verified": "true"}, false},
		{"PreSignUp_ExternalProvider", "Google_1005", map[string]string{"email": "eve@notcorp.example.org", "email_verified": "true"}, false},
		{"PreSignUp_ExternalProvider", "Google_1006", map[string]string{"email": "eve@corp.example.org@attacker.net", "email_verified": "true"}, false},
		{"PreSignUp_ExternalProvider", "Google_1007", map[string]string{}, false},
		{"PreSignUp_ExternalProvider", "Google_1008", map[string]string{"email": "bob@corp.example.org", "email_verified": "false"}, false},
		{"PreSignUp_ExternalProvider", "Google_1010", map[string]string{"email": "bob@corp.example.org"}, false},
		{"PreSignUp_ExternalProvider", "Unknown_1009", map[string]string{"email": "alice@corp.example.org"}, false},
		{"PreSignUp_AdminCreateUser", "carol@elsewhere.example", map[string]string{"email": "carol@elsewhere.example"}, true},
	}
	var events []map[string]any
	for _, tc := range cases {
		events = append(events, map[string]any{
			"version": "1", "triggerSource": tc.source, "region": "eu-west-1", "userPoolId": "eu-west-1_AbCdEf123", "userName": tc.user,
			"request":  map[string]any{"userAttributes": tc.attributes},
			"response": map[string]any{"autoConfirmUser": false},
		})
	}
	outcomes := runTrigger(t, python, code, allowed, events)
	for i, tc := range cases {
		if admitted := outcomes[i] == "admitted"; admitted != tc.admitted {
			t.Errorf("%s %s %v: %s, want admitted %v", tc.source, tc.user, tc.attributes, outcomes[i], tc.admitted)
		}
	}
}

// The trigger's code and its allow-list are what the stack says: the
// providers in lower case, each with its lists, a provider without lists
// admitting everyone its IdP signs in.
func TestTheTriggerIsConfiguredFromTheStack(t *testing.T) {
	providers := `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b","allowedEmailDomains":["corp.example.org"],"allowedEmails":["contractor@gmail.com"]},` +
		`{"name":"EntraID","type":"saml","metadataUrl":"https://x.example.com/m","attributeMapping":{"email":"email"}}]`
	res := synthesize(t, withConfig(map[string]string{"identityProviders": providers}), "identityProviders")
	fn := one(t, res, "aws:lambda/function:Function")
	var allowed map[string]any
	if err := json.Unmarshal([]byte(fmt.Sprint(at(t, fn.Inputs, "environment", "variables", "ALLOWED"))), &allowed); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(allowed) != "map[entraid:map[any:true] google:map[domains:[corp.example.org] emails:[contractor@gmail.com] verified:true]]" {
		t.Errorf("ALLOWED = %v", allowed)
	}
	if fn.Inputs["runtime"] != "python3.13" || num(t, fn.Inputs["timeout"]) > 5 {
		t.Errorf("runtime %v timeout %v", fn.Inputs["runtime"], fn.Inputs["timeout"])
	}
	// Google's email_verified is mapped even when attributeMapping leaves
	// it out: the trigger requires it.
	own := synthesize(t, withConfig(map[string]string{"identityProviders": strings.Replace(googleCorp, `"allowedEmailDomains"`, `"attributeMapping":{"email":"email","name":"name"},"allowedEmailDomains"`, 1)}), "identityProviders")
	if m := one(t, own, tIdp).Inputs["attributeMapping"]; at(t, m, "email_verified") != "email_verified" || at(t, m, "name") != "name" {
		t.Errorf("Google's attribute mapping = %v, want email_verified added to the stack's own", m)
	}
	// Without an allow-list anywhere, there is no trigger.
	open := synthesize(t, withConfig(map[string]string{"identityProviders": `[{"name":"Google","type":"google","clientId":"a","clientSecret":"b","allowAnyAccount":true}]`}), "identityProviders")
	if len(open.ByType("aws:lambda/function:Function")) != 0 {
		t.Error("allowAnyAccount alone must not create a trigger")
	}
	if _, set := lookup(one(t, open, tPool).Inputs, "lambdaConfig"); set {
		t.Error("the pool names a trigger it does not have")
	}
}

// The trigger runs with the least it needs: its role may only write its own
// log group (the stack's retention); only this pool, in this account, may
// invoke it; the pool names it as its pre sign-up trigger.
func TestTheTriggerHasOnlyWhatItNeeds(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"identityProviders": googleCorp, "logRetentionDays": "30"}), "identityProviders")
	fn, pool := one(t, res, "aws:lambda/function:Function"), one(t, res, tPool)
	if at(t, pool.Inputs, "lambdaConfig", "preSignUp") != fn.Outputs["arn"] {
		t.Errorf("the pool's pre sign-up trigger is %v, want the function", at(t, pool.Inputs, "lambdaConfig", "preSignUp"))
	}
	perm := one(t, res, "aws:lambda/permission:Permission")
	if perm.Inputs["principal"] != "cognito-idp.amazonaws.com" || perm.Inputs["action"] != "lambda:InvokeFunction" ||
		perm.Inputs["sourceArn"] != pool.Outputs["arn"] || perm.Inputs["sourceAccount"] != "123456789012" || perm.Inputs["function"] != fn.Outputs["name"] {
		t.Errorf("permission = %v", perm.Inputs)
	}
	var logs string
	for _, lg := range res.ByType(tLogGroup) {
		if strings.Contains(lg.Name, "presignup") {
			logs = fmt.Sprint(lg.Outputs["arn"])
			if num(t, lg.Inputs["retentionInDays"]) != 30 {
				t.Errorf("the trigger's logs are kept %v days, want the stack's 30", lg.Inputs["retentionInDays"])
			}
			if at(t, fn.Inputs, "loggingConfig", "logGroup") != lg.Outputs["name"] {
				t.Errorf("the function logs to %v, not its log group", fn.Inputs["loggingConfig"])
			}
		}
	}
	var policies []string
	for _, p := range res.ByType(tRolePolicy) {
		if strings.Contains(p.Name, "presignup") {
			doc := decodeJSON(t, p.Inputs["policy"])
			for _, st := range list(t, at(t, doc, "Statement")) {
				policies = append(policies, fmt.Sprint(at(t, st, "Effect"), " ", at(t, st, "Action"), " ", at(t, st, "Resource")))
			}
		}
	}
	if want := []string{"Allow [logs:CreateLogStream logs:PutLogEvents] " + logs + ":*"}; !slices.Equal(policies, want) {
		t.Errorf("the trigger's role may %v, want only %v", policies, want)
	}
}

// runTrigger runs the trigger's handler on each event, in one Python
// process, and says for each whether it admitted the user (returned the
// event unchanged) or refused (raised), with why.
func runTrigger(t *testing.T, python, code, allowed string, events []map[string]any) []string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.py"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	driver := `import json, sys, index
out = []
for event in json.load(sys.stdin):
    try:
        out.append("admitted" if index.handler(event, None) == event else "changed the event")
    except Exception as e:
        out.append("refused: %s" % e)
print(json.dumps(out))
`
	cmd := exec.Command(python, "-c", driver)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(string(in))
	cmd.Env = append(os.Environ(), config.AllowListVariable+"="+allowed, "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the trigger failed to run: %v\n%s", err, out)
	}
	var outcomes []string
	if err := json.Unmarshal(out, &outcomes); err != nil || len(outcomes) != len(events) {
		t.Fatalf("the trigger's outcomes: %s (%v)", out, err)
	}
	return outcomes
}
