package replay_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/replay"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

func urn(typ, name string) string { return "urn:pulumi:test::p::" + typ + "::" + name }

func res(typ, name string, inputs map[string]any) snapshot.Resource {
	return snapshot.Resource{URN: urn(typ, name), Type: typ, Name: name, Custom: true, Inputs: inputs}
}

func stack(rs ...snapshot.Resource) *snapshot.Stack {
	return &snapshot.Stack{Name: "test", Region: "eu-west-1", Resources: rs}
}

func up(t *testing.T, old, new *snapshot.Stack) *replay.Plan {
	t.Helper()
	p, err := replay.Up(old, new)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func failsWith(p *replay.Plan, parts ...string) bool {
	return slices.ContainsFunc(p.Failures, func(f replay.Failure) bool {
		for _, s := range parts {
			if !strings.Contains(f.Message, s) {
				return false
			}
		}
		return true
	})
}

// A change of a replacement-forcing input replaces; of another, updates;
// a set reordered changes nothing.
func TestInputsDecideReplaceOrUpdate(t *testing.T) {
	tg := func(port float64, hosts ...any) snapshot.Resource {
		return res(catalog.TargetGroup.Token, "tg", map[string]any{"port": port, "protocol": "HTTP", "tags": hosts})
	}
	if got := up(t, stack(tg(80)), stack(tg(8080))).Names(replay.OpReplace); !slices.Equal(got, []string{"lb/targetGroup tg"}) {
		t.Errorf("port 80 -> 8080 replaces %v", got)
	}
	if got := up(t, stack(tg(80, "a")), stack(tg(80, "b"))).Names(replay.OpUpdate); !slices.Equal(got, []string{"lb/targetGroup tg"}) {
		t.Errorf("another input updates: %v", got)
	}
	cert := func(sans ...any) snapshot.Resource {
		return res(catalog.Certificate.Token, "cert", map[string]any{"domainName": "a.example.com", "subjectAlternativeNames": sans})
	}
	if p := up(t, stack(cert("b.example.com", "c.example.com")), stack(cert("c.example.com", "b.example.com"))); len(p.Names(replay.OpSame)) != 1 {
		t.Errorf("a reordered set changes something: %+v", p.Steps)
	}
}

// A replacement carries to the resources whose replacement-forcing inputs
// come from it; deleteBeforeReplace makes it delete first.
func TestReplacementPropagatesAndDeletesFirst(t *testing.T) {
	pool := func(attr string) snapshot.Resource {
		r := res(catalog.UserPool.Token, "pool", map[string]any{"usernameAttributes": []any{attr}})
		r.ID, r.Outputs = "eu-west-1_"+attr, map[string]any{"arn": "arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_" + attr}
		return r
	}
	domain := func(pool snapshot.Resource) snapshot.Resource {
		r := res(catalog.UserPoolDomain.Token, "domain", map[string]any{"domain": "login", "userPoolId": pool.ID})
		r.PropertyDependencies = map[string][]string{"userPoolId": {pool.URN}}
		r.DeleteBeforeReplace = true
		return r
	}
	old, new := pool("email"), pool("phone_number")
	p := up(t, stack(old, domain(old)), stack(new, domain(new)))
	if got := p.Names(replay.OpReplaceDeleteFirst); !slices.Equal(got, []string{"cognito/userPoolDomain domain"}) {
		t.Errorf("the domain follows the pool, delete-first: %v", got)
	}
	if !failsWith(p, "UserPool", "never replaced") {
		t.Errorf("replacing the pool is refused: %v", p.Failures)
	}
}

// An alias carries a renamed resource's state: nothing is replaced.
func TestAnAliasRenamesWithoutReplacing(t *testing.T) {
	old := res(catalog.LogGroup.Token, "logs", map[string]any{"retentionInDays": 30.0})
	new := res(catalog.LogGroup.Token, "app-logs", map[string]any{"retentionInDays": 30.0})
	new.Aliases = []string{old.URN}
	p := up(t, stack(old), stack(new))
	if len(p.Replaced()) != 0 || len(p.Names(replay.OpSame)) != 1 {
		t.Errorf("a rename by alias: %+v", p.Steps)
	}
}

// A new resource may not take a name an old one holds until the end of the
// update.
func TestANameTakenBeforeItIsFreedIsRefused(t *testing.T) {
	rec := func(name string) snapshot.Resource {
		return res(catalog.Record.Token, name, map[string]any{"zoneId": "Z1", "name": "app.example.com", "type": "A"})
	}
	p := up(t, stack(rec("dns-0")), stack(rec("dns-app")))
	if !failsWith(p, `"dns-app" would be created`, "record app.example.com A in zone Z1") {
		t.Errorf("the record's name is held by the old one: %v", p.Failures)
	}
}

// A resource type the catalog does not know is a failure that names the
// file to add its entry to.
func TestATypeWithoutAnEntryIsRefused(t *testing.T) {
	p := up(t, stack(), stack(res("aws:sqs/queue:Queue", "q", map[string]any{})))
	if !failsWith(p, "aws:sqs/queue:Queue", "no entry", "tools/catalog/sqs.go") {
		t.Errorf("want the unknown type reported with its file; failures %v", p.Failures)
	}
}
