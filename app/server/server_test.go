package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/albauth/albtest"
	"github.com/example/alb-cognito-fargate/app/server"
)

const (
	albArn   = albtest.ExampleALBArn
	clientID = albtest.ExampleClientID
	kid      = albtest.ExampleKid
)

func newService(t *testing.T) (http.Handler, *albtest.Signer, server.Config) {
	t.Helper()
	s, err := albtest.NewSigner(kid, albArn, clientID)
	if err != nil {
		t.Fatal(err)
	}
	keys := httptest.NewServer(s.KeyHandler(nil, 0))
	t.Cleanup(keys.Close)
	cfg := server.Config{
		Region: "eu-west-1", ALBArn: albArn, ClientID: clientID, KeyURL: keys.URL,
		CognitoDomain: "https://site-dev-1a2b3c4d5e.auth.eu-west-1.amazoncognito.com",
		LogoutURL:     "https://app.example.com/logged-out",
	}
	h, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return h, s, cfg
}

func get(h http.Handler, path string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// The page shows the verified user, HTML-escaped; without a verified token: 401.
func TestIndexShowsTheVerifiedUser(t *testing.T) {
	h, s, _ := newService(t)
	tok := s.Token(map[string]any{"sub": "abc-123", "email": "ada+<b>@example.com", "cognito:groups": []any{"admins"}}, time.Now().Add(time.Minute))
	rec := get(h, "/", map[string]string{albauth.DataHeader: tok})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "&lt;b&gt;@example.com") || strings.Contains(body, "<b>") || !strings.Contains(body, "abc-123") ||
		!strings.Contains(body, "admins") || !strings.Contains(body, `href="/logout"`) {
		t.Fatalf("status %d body %s", rec.Code, body)
	}
	for _, hdr := range []map[string]string{nil, {albauth.DataHeader: "forged"}, {albauth.IdentityHeader: "abc-123"}} {
		if rec := get(h, "/", hdr); rec.Code != http.StatusUnauthorized {
			t.Errorf("headers %v: status %d, want 401", hdr, rec.Code)
		}
	}
}

// /logout expires every ALB session cookie shard with the ALB's name, path
// and Secure flag, and sends the browser to Cognito's logout endpoint.
func TestLogoutExpiresEveryShardAndGoesToCognito(t *testing.T) {
	h, _, cfg := newService(t)
	rec := get(h, "/logout", nil)
	if rec.Code != http.StatusFound {
		t.Fatalf("status %d", rec.Code)
	}
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if loc.Scheme+"://"+loc.Host != cfg.CognitoDomain || loc.Path != "/logout" ||
		loc.Query().Get("client_id") != clientID || loc.Query().Get("logout_uri") != cfg.LogoutURL {
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
	h, _, _ := newService(t)
	if rec := get(h, "/healthz", nil); rec.Code != 200 {
		t.Errorf("/healthz: %d", rec.Code)
	}
	rec := get(h, "/logged-out", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "signed out") {
		t.Errorf("/logged-out: %d %s", rec.Code, rec.Body.String())
	}
	if rec := get(h, "/nope", nil); rec.Code != 404 {
		t.Errorf("/nope: %d", rec.Code)
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"AWS_REGION": "eu-west-1", "ALB_ARN": albArn, "COGNITO_CLIENT_ID": clientID,
		"COGNITO_DOMAIN": "https://x.auth.eu-west-1.amazoncognito.com", "LOGOUT_URL": "https://app.example.com/logged-out", "PORT": "8080",
	}
	if _, err := server.ConfigFromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ALB_ARN", "COGNITO_CLIENT_ID", "COGNITO_DOMAIN", "LOGOUT_URL", "AWS_REGION"} {
		old := env[k]
		delete(env, k)
		_, err := server.ConfigFromEnv(func(k string) string { return env[k] })
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("without %s: %v", k, err)
		}
		env[k] = old
	}
	env["PORT"] = "http"
	if _, err := server.ConfigFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Error("a bad PORT was accepted")
	}
}
