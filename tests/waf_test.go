package tests

import (
	"fmt"
	"strings"
	"testing"
)

// What the synthesized web ACL does to traffic, by a model of WAF's
// evaluation of the statements this stack uses (rules in priority order; a
// block ends the evaluation; a rate rule counts the requests its scope-down
// statement and its keys apply to, and acts on those beyond its limit in
// the window; a request without a custom key's cookie is not counted by
// that rule). The managed rule groups are AWS's and are not modeled: the
// traffic below is benign.

type wafRequest struct {
	ip, path string
	headers  map[string]string // lower-case names
}

// signedIn is a request of a signed-in user: the ALB session cookie's
// first shard, plus an unrelated cookie before it.
func signedIn(ip, session string) wafRequest {
	return wafRequest{ip: ip, path: "/", headers: map[string]string{"cookie": "theme=dark; AWSELBAuthSessionCookie-0=" + session}}
}

func anonymous(ip string) wafRequest {
	return wafRequest{ip: ip, path: "/", headers: map[string]string{}}
}

type wafModel struct {
	t      *testing.T
	rules  []any
	counts map[string]int // rule name + aggregation key -> requests counted
}

func newWafModel(t *testing.T, cfg map[string]string) *wafModel {
	res := synthesize(t, withConfig(cfg))
	return &wafModel{t: t, rules: list(t, one(t, res, tWebACL).Inputs["rules"]), counts: map[string]int{}}
}

// blockedBy sends one request through the rules and says which rule
// blocked it ("" if none did).
func (m *wafModel) blockedBy(r wafRequest) string {
	for _, rule := range m.rules {
		st := at(m.t, rule, "statement")
		if _, managed := lookup(st, "managedRuleGroupStatement"); managed {
			continue
		}
		if !m.matches(fmt.Sprint(at(m.t, rule, "name")), st, r) {
			continue
		}
		if _, block := lookup(rule, "action", "block"); block {
			return fmt.Sprint(at(m.t, rule, "name"))
		}
	}
	return ""
}

func (m *wafModel) matches(rule string, st any, r wafRequest) bool {
	t := m.t
	if or, ok := lookup(st, "orStatement"); ok {
		for _, s := range list(t, at(t, or, "statements")) {
			if m.matches(rule, s, r) {
				return true
			}
		}
		return false
	}
	if not, ok := lookup(st, "notStatement"); ok {
		return !m.matches(rule, at(t, not, "statements", 0), r)
	}
	if sc, ok := lookup(st, "sizeConstraintStatement"); ok {
		v, present := m.field(at(t, sc, "fieldToMatch"), r)
		size := num(t, at(t, sc, "size"))
		return present && map[string]bool{"GT": len(v) > size, "GE": len(v) >= size, "EQ": len(v) == size}[fmt.Sprint(at(t, sc, "comparisonOperator"))]
	}
	if bm, ok := lookup(st, "byteMatchStatement"); ok {
		v, present := m.field(at(t, bm, "fieldToMatch"), r)
		s := fmt.Sprint(at(t, bm, "searchString"))
		return present && map[string]bool{"CONTAINS": strings.Contains(v, s), "EXACTLY": v == s, "STARTS_WITH": strings.HasPrefix(v, s)}[fmt.Sprint(at(t, bm, "positionalConstraint"))]
	}
	if rb, ok := lookup(st, "rateBasedStatement"); ok {
		if down, ok := lookup(rb, "scopeDownStatement"); ok && !m.matches(rule, down, r) {
			return false
		}
		key := r.ip
		if at(t, rb, "aggregateKeyType") == "CUSTOM_KEYS" {
			name := fmt.Sprint(at(t, rb, "customKeys", 0, "cookie", "name"))
			v, present := cookie(r, name)
			if !present {
				return false
			}
			key = v
		}
		m.counts[rule+" "+key]++
		return m.counts[rule+" "+key] > num(t, at(t, rb, "limit"))
	}
	t.Fatalf("the model does not know the statement %v", st)
	return false
}

func (m *wafModel) field(f any, r wafRequest) (string, bool) {
	if _, ok := lookup(f, "uriPath"); ok {
		return r.path, true
	}
	if c, ok := lookup(f, "cookies"); ok {
		if at(m.t, c, "matchScope") != "VALUE" {
			m.t.Fatalf("the model inspects cookie values only: %v", c)
		}
		var values []string
		for _, name := range strs(m.t, at(m.t, c, "matchPatterns", 0, "includedCookies")) {
			if v, ok := cookie(r, name); ok {
				values = append(values, v)
			}
		}
		return strings.Join(values, ""), len(values) > 0
	}
	v, ok := r.headers[fmt.Sprint(at(m.t, f, "singleHeader", "name"))]
	return v, ok
}

func cookie(r wafRequest, name string) (string, bool) {
	for _, c := range strings.Split(r.headers["cookie"], ";") {
		if k, v, ok := strings.Cut(strings.TrimSpace(c), "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// An office of 150 people behind one NAT address, each signing in (three
// requests without a session: the page, the redirect back from Cognito,
// the page again) and then making 100 requests in 5 minutes: 15,450
// requests from one address, none blocked with the default limits. A
// per-address limit of 2,000 would have blocked 13,450 of them.
func TestWafLetsAnOfficeBehindOneAddressWork(t *testing.T) {
	t.Parallel()
	m := newWafModel(t, map[string]string{"waf": "block"})
	blocked := 0
	for user := range 150 {
		for range 3 {
			if m.blockedBy(anonymous("203.0.113.10")) != "" {
				blocked++
			}
		}
		for range 100 {
			if m.blockedBy(signedIn("203.0.113.10", fmt.Sprint("session-", user))) != "" {
				blocked++
			}
		}
	}
	if blocked != 0 {
		t.Errorf("%d of an office's 15,450 requests were blocked", blocked)
	}
}

// Whoever goes past the limits is stopped by the rule meant for them: one
// signed-in session, one address without a session, one address that
// invents a session cookie for every request.
func TestWafStopsFloods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		n       int
		request func(i int) wafRequest
		rule    string
		allowed int
	}{
		{"one session", 2500, func(int) wafRequest { return signedIn("198.51.100.7", "s") }, "rate-limit-per-session", 2000},
		{"no session", 2500, func(int) wafRequest { return anonymous("198.51.100.7") }, "rate-limit-anonymous", 2000},
		{"invented sessions", 21000, func(i int) wafRequest { return signedIn("198.51.100.7", fmt.Sprint("fake-", i)) }, "rate-limit-per-ip", 20000},
	} {
		m := newWafModel(t, map[string]string{"waf": "block"})
		by := map[string]int{}
		for i := range tc.n {
			by[m.blockedBy(tc.request(i))]++
		}
		if by[""] != tc.allowed || by[tc.rule] != tc.n-tc.allowed {
			t.Errorf("%s: %d requests let through, blocked by %v; want %d through and the rest by %s", tc.name, by[""], by, tc.allowed, tc.rule)
		}
	}
}

// A request that brings its own identity header is blocked in block and
// count modes, before any rate rule counts it; the same request without
// it goes through.
func TestWafBlocksForgedIdentityHeaders(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"block", "count"} {
		m := newWafModel(t, map[string]string{"waf": mode})
		for _, h := range []string{"x-amzn-oidc-identity", "x-amzn-oidc-data", "x-amzn-oidc-accesstoken"} {
			forged := wafRequest{ip: "192.0.2.1", path: "/logged-out", headers: map[string]string{h: "admin"}}
			if by := m.blockedBy(forged); by != "block-forged-identity-headers" {
				t.Errorf("%s: a request with %s was blocked by %q", mode, h, by)
			}
		}
		if by := m.blockedBy(wafRequest{ip: "192.0.2.1", path: "/logged-out", headers: map[string]string{"x-amzn-trace-id": "Root=1"}}); by != "" {
			t.Errorf("%s: an ordinary request was blocked by %s", mode, by)
		}
		if m.counts["rate-limit-per-ip 192.0.2.1"] != 1 {
			t.Errorf("%s: the rate rules counted forged requests: %v", mode, m.counts)
		}
	}
}
