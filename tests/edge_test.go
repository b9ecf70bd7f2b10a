package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

var fivePaths = []string{"/healthz", "/static/*", "/favicon.ico", "/robots.txt", "/public/*"}

func manyHostsAndPaths() map[string]string {
	cfg := withConfig(fiveHosts)
	cfg[ns+"publicPaths"] = `["/healthz","/static/*","/favicon.ico","/robots.txt","/public/*"]`
	return cfg
}

// aws-facts: the ALB itself calls Cognito's token and userInfo endpoints, so
// its security group must allow outbound 443; inbound only 80 and 443
// (EC2.18/19); and the container port out to the VPC only.
func TestAlbSecurityGroup(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"containerPort": "8080"}))
	sg := named(t, res, tSg, "edge-alb-sg")

	cognito := false
	for _, e := range list(t, sg.Inputs["egress"]) {
		from, to, cidrs := num(t, at(t, e, "fromPort")), num(t, at(t, e, "toPort")), strs(t, at(t, e, "cidrBlocks"))
		switch {
		case from == 443 && to == 443 && slices.Contains(cidrs, "0.0.0.0/0"):
			cognito = true
		case from == 8080 && to == 8080:
			if !slices.Equal(cidrs, []string{"10.0.0.0/16"}) {
				t.Errorf("the container port must be open only to the VPC, got %v", cidrs)
			}
		default:
			t.Errorf("unexpected egress rule %v", e)
		}
	}
	if !cognito {
		t.Error("no egress to 0.0.0.0/0 on 443: sign-in fails with HTTP 500 when the ALB cannot reach Cognito")
	}
	ports := []int{}
	for _, in := range list(t, sg.Inputs["ingress"]) {
		if num(t, at(t, in, "fromPort")) != num(t, at(t, in, "toPort")) {
			t.Errorf("ingress is a port range: %v", in)
		}
		ports = append(ports, num(t, at(t, in, "fromPort")))
	}
	if !slices.Equal(sorted(intsToStrings(ports)), []string{"443", "80"}) {
		t.Errorf("ALB ingress ports = %v, want 80 and 443 only", ports)
	}
	if alb := one(t, res, tAlb); !slices.Equal(strs(t, alb.Inputs["securityGroups"]), []string{sg.ID}) {
		t.Errorf("ALB security groups = %v, want [%s]", alb.Inputs["securityGroups"], sg.ID)
	}
}

// The ALB: internet-facing in the public subnets (2+ zones), invalid headers
// dropped (ELB.4), desync mitigation (ELB.12), auto-named within 32 characters.
func TestLoadBalancer(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"availabilityZones": "3"}))
	alb := one(t, res, tAlb)
	in := alb.Inputs
	if in["internal"] != false || in["loadBalancerType"] != "application" {
		t.Errorf("want an internet-facing application load balancer: %v %v", in["internal"], in["loadBalancerType"])
	}
	public := subnetIDs(t, res, "public")
	if len(public) != 3 || !slices.Equal(strs(t, in["subnets"]), public) {
		t.Errorf("ALB subnets = %v, want the VPC's 3 public subnets %v", in["subnets"], public)
	}
	if in["dropInvalidHeaderFields"] != true {
		t.Error("dropInvalidHeaderFields must be true (ELB.4)")
	}
	if m := in["desyncMitigationMode"]; m != "defensive" && m != "strictest" {
		t.Errorf("desyncMitigationMode = %v (ELB.12)", m)
	}
	// Pulumi auto-naming adds 8 characters; ALB and target group names are at most 32.
	for _, r := range []snapshot.Resource{alb, one(t, res, tTg)} {
		if _, explicit := r.Inputs["name"]; !explicit && len(r.Name)+8 > 32 {
			t.Errorf("%s %q: auto-named it would exceed 32 characters", r.Type, r.Name)
		}
	}
}

// aws-facts: the HTTPS listener uses the certificate only once it is
// validated, with a TLS 1.3 policy (ELB.17/18); unknown hosts get a 404; HTTP
// redirects to HTTPS with a 301 (ELB.1).
func TestListeners(t *testing.T) {
	res := synthesize(t, baseConfig())
	var https, http snapshot.Resource
	for _, l := range res.ByType(tListener) {
		switch num(t, l.Inputs["port"]) {
		case 443:
			https = l
		case 80:
			http = l
		}
	}
	if https.URN == "" || http.URN == "" {
		t.Fatal("want an HTTPS listener on 443 and an HTTP listener on 80")
	}
	validation, cert := one(t, res, tCertValid), one(t, res, tCert)
	if https.Inputs["protocol"] != "HTTPS" {
		t.Errorf("443 protocol = %v", https.Inputs["protocol"])
	}
	if got := https.PropertyDependencies["certificateArn"]; !slices.Equal(got, []string{validation.URN}) {
		t.Errorf("the listener's certificate comes from %v, want the CertificateValidation %s", got, validation.URN)
	}
	if https.Inputs["certificateArn"] != cert.ID {
		t.Errorf("listener certificate %v, want %v", https.Inputs["certificateArn"], cert.ID)
	}
	if p, _ := https.Inputs["sslPolicy"].(string); !strings.HasPrefix(p, "ELBSecurityPolicy-TLS13-") {
		t.Errorf("sslPolicy = %v, want a TLS 1.3 policy", p)
	}
	def := at(t, https.Inputs, "defaultActions", 0)
	if at(t, def, "type") != "fixed-response" || at(t, def, "fixedResponse", "statusCode") != "404" {
		t.Errorf("HTTPS default action = %v, want a fixed 404", def)
	}
	red := at(t, http.Inputs, "defaultActions", 0)
	if at(t, red, "type") != "redirect" || at(t, red, "redirect", "protocol") != "HTTPS" ||
		at(t, red, "redirect", "port") != "443" || at(t, red, "redirect", "statusCode") != "HTTP_301" {
		t.Errorf("HTTP default action = %v, want a 301 redirect to HTTPS 443", red)
	}
	if len(list(t, http.Inputs["defaultActions"])) != 1 {
		t.Error("the HTTP listener must do nothing but redirect")
	}
}

// aws-facts: the certificate is in the ALB's region (same provider), covers
// every host, and is validated by DNS records in the public zone, one per
// host, whose names and values are the ones ACM asked for.
func TestCertificateAndDNSCoverEveryHost(t *testing.T) {
	res := synthesize(t, withConfig(fiveHosts))
	cert, alb := one(t, res, tCert), one(t, res, tAlb)
	if cert.Provider != alb.Provider {
		t.Errorf("certificate provider %q differs from the ALB's %q: it must be in the ALB's region", cert.Provider, alb.Provider)
	}
	names := append([]string{fmt.Sprint(cert.Inputs["domainName"])}, strs(t, cert.Inputs["subjectAlternativeNames"])...)
	if !equalSets(names, fiveHostNames) || cert.Inputs["domainName"] != "app.example.com" {
		t.Errorf("certificate names = %v, want %v with app.example.com first", names, fiveHostNames)
	}
	if cert.Inputs["validationMethod"] != "DNS" {
		t.Errorf("validationMethod = %v", cert.Inputs["validationMethod"])
	}

	zone := lookedUpZone(t, res, "example.com")
	// ACM's answer (the mock returns it sorted by name, not in request order).
	asked := map[string][2]string{}
	for _, o := range list(t, cert.Outputs["domainValidationOptions"]) {
		asked[fmt.Sprint(at(t, o, "domainName"))] = [2]string{fmt.Sprint(at(t, o, "resourceRecordName")), fmt.Sprint(at(t, o, "resourceRecordValue"))}
	}
	validation := one(t, res, tCertValid)
	var fqdns []string
	aliases := map[string]bool{}
	for _, r := range res.ByType(tRecord) {
		if r.Inputs["zoneId"] != zone {
			t.Errorf("record %s is in zone %v, want %v", r.Name, r.Inputs["zoneId"], zone)
		}
		switch r.Inputs["type"] {
		case "CNAME":
			fqdns = append(fqdns, fmt.Sprint(r.Outputs["fqdn"]))
		case "A":
			aliases[fmt.Sprint(r.Inputs["name"])] = true
			a := at(t, r.Inputs, "aliases", 0)
			if at(t, a, "name") != alb.Outputs["dnsName"] || at(t, a, "zoneId") != alb.Outputs["zoneId"] {
				t.Errorf("record %s aliases %v, want the ALB", r.Inputs["name"], a)
			}
		}
	}
	for _, h := range fiveHostNames {
		want, ok := asked[h]
		if !ok {
			t.Fatalf("ACM asked for no record for %s", h)
		}
		found := false
		for _, r := range res.ByType(tRecord) {
			if r.Inputs["name"] == want[0] && slices.Equal(strs(t, r.Inputs["records"]), []string{want[1]}) {
				found = true
			}
		}
		if !found {
			t.Errorf("no validation record %s -> %s for %s", want[0], want[1], h)
		}
		if !aliases[h] {
			t.Errorf("no A alias record for %s", h)
		}
	}
	if !equalSets(strs(t, validation.Inputs["validationRecordFqdns"]), fqdns) || len(fqdns) != len(fiveHostNames) {
		t.Errorf("CertificateValidation waits for %v, want every validation record %v", validation.Inputs["validationRecordFqdns"], fqdns)
	}
	if validation.Inputs["certificateArn"] != cert.ID {
		t.Errorf("CertificateValidation is for %v, want %v", validation.Inputs["certificateArn"], cert.ID)
	}
}

// aws-facts: Fargate target groups register tasks by IP.
func TestTargetGroup(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"containerPort": "8080", "healthCheckPath": "/healthz"}))
	tg, vpc := one(t, res, tTg), one(t, res, tVpc)
	in := tg.Inputs
	if in["targetType"] != "ip" {
		t.Errorf("targetType = %v, want ip (awsvpc)", in["targetType"])
	}
	if num(t, in["port"]) != 8080 || in["protocol"] != "HTTP" || in["vpcId"] != vpc.ID {
		t.Errorf("target group port/protocol/vpc = %v %v %v", in["port"], in["protocol"], in["vpcId"])
	}
	if at(t, in, "healthCheck", "path") != "/healthz" {
		t.Errorf("health check path = %v", at(t, in, "healthCheck", "path"))
	}
	if d := num(t, in["deregistrationDelay"]); d <= 0 || d > 60 {
		t.Errorf("deregistrationDelay = %d, want a short delay", d)
	}
}

// No request reaches the app without authenticate-cognito before forward,
// except requests for the configured public paths; every rule stays within
// the ALB's condition limits; every host is covered. Checked with 5 hosts and
// 5 public paths, which need several rules; each invariant is a named check.
func TestListenerRulesAuthenticateAndStayWithinLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]string
	}{
		{"one host", baseConfig()},
		{"five hosts", withConfig(fiveHosts)},
		{"five hosts and five public paths", manyHostsAndPaths()},
		{"one host and five public paths", withConfig(map[string]string{"publicPaths": `["/healthz","/static/*","/favicon.ico","/robots.txt","/public/*"]`})},
		{"API paths", withConfig(map[string]string{"alternateDomainNames": `["www.app.example.com"]`, "apiPaths": `["/api/*","/graphql"]`})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := synthesize(t, tc.cfg)
			site := siteOf(t, res, tc.cfg)
			rules := rulesOf(t, res)
			for _, inv := range ruleInvariants {
				t.Run(inv.name, func(t *testing.T) { inv.check(t, rules, site) })
			}
		})
	}
}

// site is what the rules must serve: the stack's hosts and paths, and the
// resources the rules refer to.
type site struct {
	hosts, public, api []string
	httpsListener      string // its id
	targetGroup        string // its ARN
	pool, client       string // the pool's ARN, the client's id
}

func siteOf(t *testing.T, res *snapshot.Stack, cfg map[string]string) site {
	return site{
		hosts: append([]string{cfg[ns+"domainName"]}, strs(t, decodeJSON(t, orJSON(cfg[ns+"alternateDomainNames"])))...),
		// /logged-out is always public: users land there after signing out.
		public:        append(strs(t, decodeJSON(t, orJSON(cfg[ns+"publicPaths"]))), "/logged-out"),
		api:           strs(t, decodeJSON(t, orJSON(cfg[ns+"apiPaths"]))),
		httpsListener: named(t, res, tListener, "edge-https").ID,
		targetGroup:   fmt.Sprint(one(t, res, tTg).Outputs["arn"]),
		pool:          fmt.Sprint(one(t, res, tPool).Outputs["arn"]),
		client:        one(t, res, tClient).ID,
	}
}

// rule is one listener rule as the checks read it.
type rule struct {
	name, listener string
	priority       int
	hosts, paths   []string
	// conditionValues counts the values of each condition.
	conditionValues map[string]int
	// auth is the authenticate-cognito action (nil without one); its order
	// and the forward's.
	auth                    any
	authOrder, forwardOrder int
	forwardTo               any
	otherActions            []any
}

func (r rule) authenticated() bool { return r.auth != nil && r.authOrder < r.forwardOrder }
func (r rule) denies() bool {
	return r.auth != nil && r.auth.(map[string]any)["onUnauthenticatedRequest"] == "deny"
}

func rulesOf(t *testing.T, res *snapshot.Stack) []rule {
	var out []rule
	for _, r := range res.ByType(tRule) {
		v := rule{name: r.Name, listener: fmt.Sprint(r.Inputs["listenerArn"]), priority: num(t, r.Inputs["priority"]), conditionValues: map[string]int{}}
		for _, c := range list(t, r.Inputs["conditions"]) {
			for field, cond := range c.(map[string]any) {
				values := strs(t, at(t, cond, "values"))
				v.conditionValues[field] += len(values)
				switch field {
				case "hostHeader":
					v.hosts = append(v.hosts, values...)
				case "pathPattern":
					v.paths = append(v.paths, values...)
				}
			}
		}
		for _, a := range list(t, r.Inputs["actions"]) {
			switch at(t, a, "type") {
			case "authenticate-cognito":
				v.auth, v.authOrder = at(t, a, "authenticateCognito"), num(t, at(t, a, "order"))
			case "forward":
				v.forwardTo, v.forwardOrder = at(t, a, "targetGroupArn"), num(t, at(t, a, "order"))
			default:
				v.otherActions = append(v.otherActions, a)
			}
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		t.Fatal("no listener rules")
	}
	return out
}

// ruleInvariants are what every layout of rules must hold.
var ruleInvariants = []struct {
	name  string
	check func(t *testing.T, rules []rule, s site)
}{
	{"on the HTTPS listener, each with its own priority", func(t *testing.T, rules []rule, s site) {
		seen := map[int]string{}
		for _, r := range rules {
			if r.listener != s.httpsListener {
				t.Errorf("rule %s is not on the HTTPS listener", r.name)
			}
			if other, dup := seen[r.priority]; dup {
				t.Errorf("rules %s and %s share priority %d", r.name, other, r.priority)
			}
			seen[r.priority] = r.name
		}
	}},
	// The ALB's limits, written out here (ALB quotas docs: 3 values per
	// condition, 5 per rule) independently of awsfacts, so that a slip
	// there is caught.
	{"within the ALB's condition limits", func(t *testing.T, rules []rule, _ site) {
		const perCondition, perRule = 3, 5
		for _, r := range rules {
			total := 0
			for field, n := range r.conditionValues {
				if field != "hostHeader" && field != "pathPattern" {
					t.Errorf("rule %s: unexpected condition %s", r.name, field)
				}
				if n > perCondition {
					t.Errorf("rule %s: condition %s has %d values; the ALB allows %d", r.name, field, n, perCondition)
				}
				total += n
			}
			if total > perRule {
				t.Errorf("rule %s has %d condition values; the ALB allows %d", r.name, total, perRule)
			}
		}
	}},
	{"only the stack's hosts, so others get the 404", func(t *testing.T, rules []rule, s site) {
		for _, r := range rules {
			if len(r.hosts) == 0 {
				t.Errorf("rule %s matches any host; unknown hosts must get the 404", r.name)
			}
			for _, h := range r.hosts {
				if !slices.Contains(s.hosts, h) {
					t.Errorf("rule %s matches host %s, which is not configured", r.name, h)
				}
			}
		}
	}},
	{"forward to the target group, signing in with this pool", func(t *testing.T, rules []rule, s site) {
		for _, r := range rules {
			if r.forwardOrder == 0 || r.forwardTo != s.targetGroup || len(r.otherActions) > 0 {
				t.Errorf("rule %s forwards to %v (other actions %v)", r.name, r.forwardTo, r.otherActions)
			}
			if r.auth == nil {
				continue
			}
			if at(t, r.auth, "userPoolArn") != s.pool || at(t, r.auth, "userPoolClientId") != s.client {
				t.Errorf("rule %s signs in with %v, want this stack's pool and client", r.name, r.auth)
			}
			if on := at(t, r.auth, "onUnauthenticatedRequest"); on != "authenticate" && on != "deny" {
				t.Errorf("rule %s: onUnauthenticatedRequest = %v", r.name, on)
			}
			if !strings.Contains(fmt.Sprint(at(t, r.auth, "scope")), "openid") {
				t.Errorf("rule %s: scope %v lacks openid", r.name, at(t, r.auth, "scope"))
			}
		}
	}},
	{"only public paths skip sign-in", func(t *testing.T, rules []rule, s site) {
		for _, r := range rules {
			if r.authenticated() {
				continue
			}
			if len(r.paths) == 0 {
				t.Errorf("rule %s forwards every path without sign-in", r.name)
			}
			for _, p := range r.paths {
				if !slices.Contains(s.public, p) {
					t.Errorf("rule %s serves %s without sign-in, but it is not a public path", r.name, p)
				}
			}
		}
	}},
	{"401 only on API paths", func(t *testing.T, rules []rule, s site) {
		for _, r := range rules {
			if !r.denies() {
				continue
			}
			if len(r.paths) == 0 {
				t.Errorf("rule %s denies every path without a session: browsers could never sign in", r.name)
			}
			for _, p := range r.paths {
				if !slices.Contains(s.api, p) {
					t.Errorf("rule %s answers 401 on %s, which is not an API path", r.name, p)
				}
			}
		}
	}},
	{"every host and path covered", func(t *testing.T, rules []rule, s site) {
		covered := map[string]bool{}
		for _, r := range rules {
			kind := "sign-in"
			switch {
			case !r.authenticated():
				kind = "public"
			case r.denies():
				kind = "api"
			case len(r.paths) > 0:
				t.Errorf("authenticated rule %s is limited to paths %v; it must cover every path", r.name, r.paths)
			}
			for _, h := range r.hosts {
				covered[kind+" "+h] = true
				for _, p := range r.paths {
					covered[kind+" "+h+p] = true
				}
			}
		}
		for _, h := range s.hosts {
			if !covered["sign-in "+h] {
				t.Errorf("host %s has no authenticated rule: its requests get the 404", h)
			}
			for _, p := range s.public {
				if !covered["public "+h+p] {
					t.Errorf("public path %s on %s is not served without sign-in", p, h)
				}
			}
			for _, p := range s.api {
				if !covered["api "+h+p] {
					t.Errorf("API path %s on %s has no rule that answers 401 without a session", p, h)
				}
			}
		}
	}},
	{"public and API rules before the catch-all sign-in rules", func(t *testing.T, rules []rule, _ site) {
		firstSignIn := 1 << 30
		for _, r := range rules {
			if r.authenticated() && !r.denies() {
				firstSignIn = min(firstSignIn, r.priority)
			}
		}
		for _, r := range rules {
			if (!r.authenticated() || r.denies()) && r.priority >= firstSignIn {
				t.Errorf("rule %s (priority %d) comes after a catch-all sign-in rule (from %d): it would never match", r.name, r.priority, firstSignIn)
			}
		}
	}},
}

func orJSON(s string) any {
	if s == "" {
		return "[]"
	}
	return s
}

func lookedUpZone(t *testing.T, res *snapshot.Stack, zone string) string {
	t.Helper()
	for _, inv := range res.Invokes {
		if inv.Token == "aws:route53/getZone:getZone" && inv.Args["name"] == zone {
			if inv.Args["privateZone"] != false {
				t.Errorf("the zone lookup must ask for the public zone: %v", inv.Args)
			}
			return fmt.Sprint(inv.Result["zoneId"])
		}
	}
	t.Fatalf("the program never looked up the hosted zone %s", zone)
	return ""
}

func intsToStrings(v []int) []string {
	out := make([]string, len(v))
	for i, n := range v {
		out[i] = fmt.Sprint(n)
	}
	return out
}

// Adding a host name must not touch the records of the hosts already there:
// each host keeps its validation and alias records (same logical name, same
// inputs), so DNS for a live site never churns. ACM returns its validation
// records as a set, so this also fails if records were taken by position.
func TestAddingAHostLeavesExistingRecordsAlone(t *testing.T) {
	before := synthesize(t, withConfig(map[string]string{"alternateDomainNames": `["www.app.example.com"]`}))
	after := synthesize(t, withConfig(map[string]string{"alternateDomainNames": `["www.app.example.com","aaa.example.com"]`}))
	for _, r := range before.ByType(tRecord) {
		a, ok := after.ByURN(r.URN)
		if !ok {
			t.Errorf("record %s disappeared when a host was added", r.Name)
			continue
		}
		if fmt.Sprint(a.Inputs) != fmt.Sprint(r.Inputs) {
			t.Errorf("record %s changed when a host was added:\nbefore %v\nafter  %v", r.Name, r.Inputs, a.Inputs)
		}
	}
	if got, want := len(after.ByType(tRecord)), len(before.ByType(tRecord))+2; got != want {
		t.Errorf("want %d records after adding a host, got %d", want, got)
	}
}
