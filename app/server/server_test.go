package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/albauth/albtest"
	"github.com/example/alb-cognito-fargate/app/cognito/cognitotest"
	"github.com/example/alb-cognito-fargate/app/server"
)

const (
	albArn   = albtest.ExampleAlbArn
	clientID = albtest.ExampleClientID
	kid      = albtest.ExampleKid
	site     = "app.example.com"
)

type person struct {
	Sub, Username, Email string
	Groups               []any
}

var (
	ada   = person{"1f8c0a34-2b1d-4c3e-9f5a-6b7c8d9e0f1a", "ada", "ada@example.com", []any{"staff"}}
	grace = person{"7c9e6679-7425-40de-944b-e07fc1f90ae7", "grace", "grace@example.com", []any{"admins", "staff"}}
)

// The signing keys are made once: an RSA key takes a while under -race.
var keys struct {
	once sync.Once
	alb  *albtest.Signer
	pool *cognitotest.Pool
	err  error
}

type fixture struct {
	t    *testing.T
	h    http.Handler
	alb  *albtest.Signer
	pool *cognitotest.Pool
	cfg  server.Config
	logs *bytes.Buffer
}

// newService runs the service against a fake ALB key endpoint and a fake
// Cognito (its user API and the pool's keys), with ADMIN_GROUP "admins".
func newService(t *testing.T, adjust ...func(*server.Config)) *fixture {
	t.Helper()
	keys.once.Do(func() {
		if keys.alb, keys.err = albtest.NewSigner(kid, albArn, clientID); keys.err == nil {
			keys.pool, keys.err = cognitotest.NewPool(cognitotest.ExampleIssuer, clientID)
		}
	})
	if keys.err != nil {
		t.Fatal(keys.err)
	}
	// A fresh pool state per test, with the shared key.
	pool := keys.pool.Fresh()
	albKeys := httptest.NewServer(keys.alb.KeyHandler(nil, 0))
	t.Cleanup(albKeys.Close)
	idp := httptest.NewServer(pool.Handler())
	t.Cleanup(idp.Close)
	cfg := server.Config{
		Region: "eu-west-1", AlbArn: albArn, ClientID: clientID, KeyURL: albKeys.URL,
		CognitoDomain: "https://site-dev-1a2b3c4d5e.auth.eu-west-1.amazoncognito.com",
		LogoutURL:     "https://" + site + "/logged-out",
		Issuer:        cognitotest.ExampleIssuer, AdminGroup: "admins", IdpURL: idp.URL,
	}
	for _, f := range adjust {
		f(&cfg)
	}
	logs := &bytes.Buffer{}
	h, err := server.New(cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, h: h, alb: keys.alb, pool: pool, cfg: cfg, logs: logs}
}

// session is one sign-in: every request carries freshly signed tokens, as
// after the ALB's refreshes, with the same origin_jti.
type session struct {
	f         *fixture
	p         person
	originJti string
	access    map[string]any // claims on top of the usual ones
}

func (f *fixture) signIn(p person) *session {
	return &session{f: f, p: p, originJti: "0b7e1c3a-" + p.Username + "-4d5e-8f90-1a2b3c4d5e6f"}
}

func (s *session) headers() map[string]string {
	exp := time.Now().Add(time.Hour)
	claims := map[string]any{"sub": s.p.Sub, "username": s.p.Username, "cognito:groups": s.p.Groups, "origin_jti": s.originJti}
	for k, v := range s.access {
		claims[k] = v
	}
	return map[string]string{
		albauth.DataHeader:        s.f.alb.Token(map[string]any{"sub": s.p.Sub, "email": s.p.Email, "username": s.p.Username}, exp),
		albauth.IdentityHeader:    s.p.Sub,
		albauth.AccessTokenHeader: s.f.pool.AccessToken(claims, exp),
	}
}

func (s *session) get(path string) *httptest.ResponseRecorder {
	return do(s.f.h, "GET", path, nil, s.headers())
}

// post sends a form as a same-origin browser would (extra headers on top).
func (s *session) post(path string, form url.Values, extra map[string]string) *httptest.ResponseRecorder {
	h := s.headers()
	h["Sec-Fetch-Site"] = "same-origin"
	h["Origin"] = "https://" + site
	for k, v := range extra {
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	return do(s.f.h, "POST", path, strings.NewReader(form.Encode()), h)
}

func do(h http.Handler, method, path string, body io.Reader, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	req.Host = site
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func get(h http.Handler, path string, header map[string]string) *httptest.ResponseRecorder {
	return do(h, "GET", path, nil, header)
}

// The page shows the verified user, HTML-escaped, with the access token's
// groups; anything less than both tokens of one user: 401.
func TestIndexShowsTheVerifiedUser(t *testing.T) {
	f := newService(t)
	s := f.signIn(person{"abc-123", "ada", "ada+<b>@example.com", []any{"staff"}})
	hdr := s.headers()
	// The user claims (from userInfo) say admins; the access token says staff.
	hdr[albauth.DataHeader] = f.alb.Token(map[string]any{"sub": "abc-123", "email": "ada+<b>@example.com", "cognito:groups": []any{"admins"}}, time.Now().Add(time.Minute))
	rec := get(f.h, "/", hdr)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "&lt;b&gt;@example.com") || strings.Contains(body, "<b>") || !strings.Contains(body, "abc-123") ||
		!strings.Contains(body, `<dd id="groups">staff</dd>`) || strings.Contains(body, "admins</dd>") || !strings.Contains(body, `href="/logout"`) ||
		!strings.Contains(body, `href="/account"`) || !strings.Contains(body, `href="/admin"`) {
		t.Fatalf("status %d body %s", rec.Code, body)
	}
	other := f.signIn(grace).headers()[albauth.AccessTokenHeader]
	for name, h := range map[string]map[string]string{
		"nothing":                     nil,
		"forged user claims":          {albauth.DataHeader: "forged", albauth.AccessTokenHeader: hdr[albauth.AccessTokenHeader]},
		"the unsigned identity only":  {albauth.IdentityHeader: "abc-123"},
		"user claims only":            {albauth.DataHeader: hdr[albauth.DataHeader]},
		"another user's access token": {albauth.DataHeader: hdr[albauth.DataHeader], albauth.AccessTokenHeader: other},
	} {
		if rec := get(f.h, "/", h); rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "could not be verified") {
			t.Errorf("%s: status %d, want 401 with a page", name, rec.Code)
		}
	}
}

// /admin is for ADMIN_GROUP only, judged by the access token; it does not
// exist without ADMIN_GROUP.
func TestAdminPage(t *testing.T) {
	f := newService(t)
	if rec := f.signIn(grace).get("/admin"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="admin-welcome"`) {
		t.Errorf("a member of admins: %d %s", rec.Code, rec.Body.String())
	}
	rec := f.signIn(ada).get("/admin")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "only for members of the group &#34;admins&#34;") {
		t.Errorf("ada (staff): %d %s", rec.Code, rec.Body.String())
	}
	if rec := get(f.h, "/admin", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("unverified: %d", rec.Code)
	}
	none := newService(t, func(c *server.Config) { c.AdminGroup = "" })
	if rec := none.signIn(grace).get("/admin"); rec.Code != http.StatusNotFound {
		t.Errorf("without ADMIN_GROUP: %d, want 404", rec.Code)
	}
	if rec := none.signIn(grace).get("/"); strings.Contains(rec.Body.String(), `href="/admin"`) {
		t.Error("without ADMIN_GROUP the home page still links to /admin")
	}
}

// /api/me answers the verified claims as JSON, never cached, without token
// ids; unverified, a JSON 401.
func TestAPIMe(t *testing.T) {
	f := newService(t)
	rec := f.signIn(grace).get("/api/me")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body.String())
	}
	var me map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &me); err != nil {
		t.Fatal(err)
	}
	if me["sub"] != grace.Sub || me["username"] != "grace" || me["email"] != "grace@example.com" ||
		!equalJSON(me["groups"], []any{"admins", "staff"}) || !strings.Contains(rec.Body.String(), cognitotest.AdminScope) || me["expires"] == nil {
		t.Errorf("claims %v", me)
	}
	if strings.Contains(rec.Body.String(), "jti") || strings.Contains(rec.Body.String(), "0b7e1c3a") {
		t.Errorf("/api/me shows token ids: %s", rec.Body.String())
	}
	for name, h := range map[string]map[string]string{
		"nothing":             nil,
		"forged access token": {albauth.DataHeader: f.signIn(ada).headers()[albauth.DataHeader], albauth.AccessTokenHeader: "forged"},
	} {
		rec := get(f.h, "/api/me", h)
		if rec.Code != 401 || rec.Header().Get("Content-Type") != "application/json" || strings.TrimSpace(rec.Body.String()) != `{"error":"unauthorized"}` {
			t.Errorf("%s: %d %s %s", name, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	}
}

// /logout expires every ALB session cookie shard with the ALB's name, path
// and Secure flag, and sends the browser to Cognito's logout endpoint.
func TestLogoutExpiresEveryShardAndGoesToCognito(t *testing.T) {
	f := newService(t)
	rec := get(f.h, "/logout", nil)
	if rec.Code != http.StatusFound {
		t.Fatalf("status %d", rec.Code)
	}
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if loc.Scheme+"://"+loc.Host != f.cfg.CognitoDomain || loc.Path != "/logout" ||
		loc.Query().Get("client_id") != clientID || loc.Query().Get("logout_uri") != f.cfg.LogoutURL {
		t.Errorf("redirect = %s", loc)
	}
	expired := map[string]bool{}
	for _, c := range rec.Result().Cookies() {
		if c.Path != "/" || !c.Secure || c.MaxAge >= 0 && c.Expires.After(time.Unix(1, 0)) {
			t.Errorf("cookie %s is not an expiring match for the ALB's: %+v", c.Name, c)
		}
		expired[c.Name] = true
	}
	for i := 0; i < 4; i++ {
		if name := "AWSELBAuthSessionCookie-" + string(rune('0'+i)); !expired[name] {
			t.Errorf("%s is not expired", name)
		}
	}
}

func TestPublicPages(t *testing.T) {
	f := newService(t)
	if rec := get(f.h, "/healthz", nil); rec.Code != 200 {
		t.Errorf("/healthz: %d", rec.Code)
	}
	rec := get(f.h, "/logged-out", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "signed out") {
		t.Errorf("/logged-out: %d %s", rec.Code, rec.Body.String())
	}
	if rec := get(f.h, "/nope", nil); rec.Code != 404 {
		t.Errorf("/nope: %d", rec.Code)
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"AWS_REGION": "eu-west-1", "ALB_ARN": albArn, "COGNITO_CLIENT_ID": clientID,
		"COGNITO_DOMAIN": "https://x.auth.eu-west-1.amazoncognito.com", "LOGOUT_URL": "https://app.example.com/logged-out", "PORT": "8080",
		"COGNITO_ISSUER": "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC123xyZ", "ADMIN_GROUP": "admins",
	}
	getenv := func(k string) string { return env[k] }
	c, err := server.ConfigFromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	// The user API is called in the pool's region.
	if c.PoolID() != "eu-central-1_AbC123xyZ" || c.IdpEndpoint() != "https://cognito-idp.eu-central-1.amazonaws.com/" || c.AdminGroup != "admins" {
		t.Errorf("pool %q, endpoint %q, group %q", c.PoolID(), c.IdpEndpoint(), c.AdminGroup)
	}
	for _, k := range []string{"ALB_ARN", "COGNITO_CLIENT_ID", "COGNITO_DOMAIN", "LOGOUT_URL", "AWS_REGION", "COGNITO_ISSUER"} {
		old := env[k]
		delete(env, k)
		_, err := server.ConfigFromEnv(getenv)
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("without %s: %v", k, err)
		}
		env[k] = old
	}
	delete(env, "ADMIN_GROUP")
	if c, err := server.ConfigFromEnv(getenv); err != nil || c.AdminGroup != "" {
		t.Errorf("ADMIN_GROUP is optional: %v", err)
	}
	for k, bad := range map[string][]string{
		"PORT": {"http"},
		"COGNITO_ISSUER": {
			"http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12",
			"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12/",
			"https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_Example12",
			"https://cognito-idp.eu-west-1.amazonaws.com.evil.example/eu-west-1_Example12",
			"eu-west-1_Example12",
		},
		"ADMIN_GROUP":     {"site admins", strings.Repeat("a", 129)},
		"COGNITO_IDP_URL": {"localhost:9000", "/cognito"},
	} {
		for _, v := range bad {
			old, had := env[k]
			env[k] = v
			if _, err := server.ConfigFromEnv(getenv); err == nil || !strings.Contains(err.Error(), k) {
				t.Errorf("%s=%q: %v", k, v, err)
			}
			if had {
				env[k] = old
			} else {
				delete(env, k)
			}
		}
	}
	env["COGNITO_IDP_URL"] = "http://127.0.0.1:9000"
	if c, err := server.ConfigFromEnv(getenv); err != nil || c.IdpEndpoint() != "http://127.0.0.1:9000/" {
		t.Errorf("COGNITO_IDP_URL: %q, %v", c.IdpEndpoint(), err)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
