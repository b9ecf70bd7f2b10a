package server_test

import (
	"bytes"
	"encoding/base64"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rsc.io/qr"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/cognito/cognitotest"
	"github.com/example/alb-cognito-fargate/app/server"
)

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no form token on the page: %s", rec.Body.String())
	}
	return m[1]
}

var mfaStatusRe = regexp.MustCompile(`<dd id="mfa-status">([^<]*)</dd>`)

func mfaStatus(rec *httptest.ResponseRecorder) string {
	if m := mfaStatusRe.FindStringSubmatch(rec.Body.String()); m != nil {
		return m[1]
	}
	return ""
}

// Setting up an authenticator app: the status, the key as text and as a QR
// code of the otpauth URI, a wrong code, then the right one.
func TestMfaEnrolment(t *testing.T) {
	f := newService(t)
	s := f.signIn(ada)
	rec := s.get("/account")
	if rec.Code != 200 || mfaStatus(rec) != "not set up" {
		t.Fatalf("/account: %d %q", rec.Code, mfaStatus(rec))
	}
	token := csrfOf(t, rec)

	rec = s.post("/account/mfa", url.Values{"csrf": {token}}, nil)
	secret := regexp.MustCompile(`<code id="mfa-secret">([A-Z2-7]+)</code>`).FindStringSubmatch(rec.Body.String())
	if rec.Code != 200 || secret == nil {
		t.Fatalf("start: %d %s", rec.Code, rec.Body.String())
	}
	// The QR code is exactly the key URI, with the site as issuer.
	uri := "otpauth://totp/" + site + ":ada@example.com?algorithm=SHA1&digits=6&issuer=" + site + "&period=30&secret=" + secret[1]
	want, err := qr.Encode(uri, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	want.Scale = 4
	img := regexp.MustCompile(`<img id="mfa-qr" src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(rec.Body.String())
	if img == nil {
		t.Fatalf("no QR image: %s", rec.Body.String())
	}
	if png, err := base64.StdEncoding.DecodeString(html.UnescapeString(img[1])); err != nil || !bytes.Equal(png, want.PNG()) {
		t.Errorf("the QR code does not encode %s", uri)
	}

	code, _ := cognitotest.Totp(secret[1], time.Now())
	wrong := "000000"
	if code == wrong {
		wrong = "999999"
	}
	for _, bad := range []struct{ code, says string }{{wrong, "did not match"}, {"12ab56", "6-digit"}, {"1234567", "6-digit"}} {
		rec = s.post("/account/mfa/verify", url.Values{"csrf": {token}, "code": {bad.code}}, nil)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), bad.says) || !strings.Contains(rec.Body.String(), `id="mfa-code"`) {
			t.Errorf("code %q: %d %s", bad.code, rec.Code, rec.Body.String())
		}
	}
	if n := f.pool.Calls("VerifySoftwareToken"); n != 1 {
		t.Errorf("malformed codes reached Cognito: %d calls, want 1", n)
	}

	rec = s.post("/account/mfa/verify", url.Values{"csrf": {token}, "code": {code[:3] + " " + code[3:]}, "device": {"Ada's phone"}}, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account" {
		t.Fatalf("the right code: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	if enabled, preferred, device := f.pool.Mfa("ada"); !enabled || !preferred || device != "Ada's phone" {
		t.Errorf("Cognito holds enabled=%v preferred=%v device=%q", enabled, preferred, device)
	}
	if rec := s.get("/account"); mfaStatus(rec) != "set up" || !strings.Contains(rec.Body.String(), "Replace the authenticator app") {
		t.Errorf("after enrolment: %q", mfaStatus(rec))
	}
}

// Forms are refused unless they come from this site and carry the token of
// this user's sign-in; a refused form reaches no Cognito operation.
func TestAccountFormsNeedTheirToken(t *testing.T) {
	f := newService(t)
	s := f.signIn(ada)
	token := csrfOf(t, s.get("/account"))

	refreshed := *s // the ALB refreshed the token: new jti, same origin_jti
	if rec := refreshed.post("/account/mfa", url.Values{"csrf": {token}}, nil); rec.Code != 200 {
		t.Fatalf("a valid form after a token refresh: %d", rec.Code)
	}
	starts := f.pool.Calls("AssociateSoftwareToken")

	resignedIn := f.signIn(ada)
	resignedIn.originJti = "5d7f2a9c-0000-4e1b-9c3d-2f4e6a8b0c1d"
	graceToken := csrfOf(t, f.signIn(grace).get("/account"))
	for name, tc := range map[string]struct {
		s     *session
		form  url.Values
		extra map[string]string
	}{
		"no token":                      {s, url.Values{}, nil},
		"an empty token":                {s, url.Values{"csrf": {""}}, nil},
		"another user's token":          {s, url.Values{"csrf": {graceToken}}, nil},
		"the token of an older sign-in": {resignedIn, url.Values{"csrf": {token}}, nil},
		"from another site":             {s, url.Values{"csrf": {token}}, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
		"another origin, old browser":   {s, url.Values{"csrf": {token}}, map[string]string{"Sec-Fetch-Site": "", "Origin": "https://evil.example"}},
	} {
		rec := tc.s.post("/account/mfa", tc.form, tc.extra)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "another site") && !strings.Contains(rec.Body.String(), "expired") {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body.String())
		}
	}
	if n := f.pool.Calls("AssociateSoftwareToken"); n != starts {
		t.Errorf("refused forms called AssociateSoftwareToken %d times", n-starts)
	}
	if rec := do(f.h, "POST", "/account/mfa", strings.NewReader("csrf="+token), nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("a form without sign-in: %d, want 401", rec.Code)
	}
}

// Without the aws.cognito.signin.user.admin scope the pages say so, without
// asking Cognito; Cognito's own refusals get pages that say what to do, and
// nothing of the error's internals.
func TestAccountErrors(t *testing.T) {
	f := newService(t)
	noScope := f.signIn(ada)
	noScope.access = map[string]any{"scope": "openid email"}
	rec := noScope.get("/account")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "does not include the scope aws.cognito.signin.user.admin") || f.pool.Calls("GetUser") != 0 {
		t.Errorf("no scope: %d, %d GetUser calls, %s", rec.Code, f.pool.Calls("GetUser"), rec.Body.String())
	}

	s := f.signIn(ada)
	for name, tc := range map[string]struct {
		fail   *cognitotest.APIError
		status int
		says   string
	}{
		"scope refused by Cognito": {&cognitotest.APIError{Status: 400, Type: "NotAuthorizedException", Message: "Access Token does not have required scopes"}, 403, "does not include the scope"},
		"token revoked":            {&cognitotest.APIError{Status: 400, Type: "NotAuthorizedException", Message: "Access Token has been revoked"}, 401, "sign in again"},
		"throttled":                {&cognitotest.APIError{Status: 400, Type: "TooManyRequestsException", Message: "Rate exceeded"}, 429, "slow down"},
		"Cognito fails":            {&cognitotest.APIError{Status: 500, Type: "InternalErrorException", Message: "internal failure at 0xdeadbeef"}, 502, "could not complete"},
	} {
		f.pool.Fail("GetUser", tc.fail)
		rec := s.get("/account")
		body := rec.Body.String()
		if rec.Code != tc.status || !strings.Contains(body, tc.says) || strings.Contains(body, tc.fail.Type) || strings.Contains(body, "0xdeadbeef") {
			t.Errorf("%s: %d %s", name, rec.Code, body)
		}
	}
	f.pool.Fail("GetUser", nil)
	if !strings.Contains(f.logs.String(), "InternalErrorException") {
		t.Error("the log does not say what Cognito answered")
	}

	// The pool's keys are served, but its API drops every connection.
	apiDown := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			keys.pool.Handler().ServeHTTP(w, r)
			return
		}
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer apiDown.Close()
	down := newService(t, func(c *server.Config) { c.IdpURL = apiDown.URL })
	if rec := down.signIn(ada).get("/account"); rec.Code != http.StatusBadGateway || !strings.Contains(rec.Body.String(), "Try again") {
		t.Errorf("Cognito unreachable: %d %s", rec.Code, rec.Body.String())
	}
	for _, logs := range []string{f.logs.String(), down.logs.String()} {
		if strings.Contains(logs, s.headers()[albauth.AccessTokenHeader][:40]) {
			t.Error("the log holds an access token")
		}
	}
}

// Every page keeps the security headers; the CSP lets the QR code's data URI
// and same-origin fetches through, and nothing else.
func TestSecurityHeaders(t *testing.T) {
	f := newService(t)
	s := f.signIn(ada)
	for _, rec := range []*httptest.ResponseRecorder{
		s.get("/"), s.get("/account"), s.get("/api/me"), get(f.h, "/logged-out", nil),
		s.post("/account/mfa", url.Values{"csrf": {csrfOf(t, s.get("/account"))}}, nil),
	} {
		csp := rec.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "img-src data:", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Referrer-Policy") != "no-referrer" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("headers %v", rec.Header())
		}
	}
}
