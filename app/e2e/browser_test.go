// Package e2e drives the service in a real browser (Debian's chromium,
// headless) behind a test proxy that plays the ALB, with a fake Cognito
// (hosted UI logout, the pool's keys and its user API).
package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/albauth/albtest"
	"github.com/example/alb-cognito-fargate/app/cognito/cognitotest"
	"github.com/example/alb-cognito-fargate/app/server"
)

const (
	albArn   = albtest.ExampleAlbArn
	clientID = albtest.ExampleClientID
	kid      = albtest.ExampleKid
	email    = "ada@example.com"
)

// person is a user of the fake pool.
type person struct {
	sub, username, email string
	groups               []any
}

var (
	ada   = person{"1f8c0a34-2b1d-4c3e-9f5a-6b7c8d9e0f1a", "ada", email, []any{"staff"}}
	grace = person{"7c9e6679-7425-40de-944b-e07fc1f90ae7", "grace", "grace@example.com", []any{"admins", "staff"}}
)

// fakeAlb plays the load balancer: public paths go straight to the app;
// anything else needs the session cookie. Without one, /api/* is answered
// 401 (the rule's onUnauthenticatedRequest: deny) and any other path signs
// in whoever is next (the real ALB would send the browser through the
// Cognito hosted UI first), setting the cookie. With one, the request is
// forwarded with a freshly signed x-amzn-oidc-data and the session's access
// token, as the pool issues it (same origin_jti for the whole session).
type fakeAlb struct {
	signer *albtest.Signer
	pool   *cognitotest.Pool
	app    *httputil.ReverseProxy
	next   atomic.Pointer[person] // who signs in next

	mu       sync.Mutex
	sessions map[string]*albSession // by the value of cookie shard 0
}

type albSession struct {
	who       person
	originJti string
}

func (a *fakeAlb) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k := range r.Header { // the ALB drops client-supplied identity headers
		if strings.HasPrefix(strings.ToLower(k), "x-amzn-oidc-") {
			r.Header.Del(k)
		}
	}
	if r.URL.Path == "/logged-out" || r.URL.Path == "/healthz" {
		a.app.ServeHTTP(w, r)
		return
	}
	var sess *albSession
	if c, err := r.Cookie(server.SessionCookie + "-0"); err == nil {
		a.mu.Lock()
		sess = a.sessions[c.Value]
		a.mu.Unlock()
	}
	if sess == nil {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, "<html><body><center><h1>401 Authorization Required</h1></center></body></html>")
			return
		}
		// Sign in: the ALB sets its session cookie, sharded, and sends the
		// browser back to the original URL.
		id := randomID()
		a.mu.Lock()
		a.sessions[id] = &albSession{who: *a.next.Load(), originJti: randomID()}
		a.mu.Unlock()
		for i, v := range []string{id, "shard-one"} {
			http.SetCookie(w, &http.Cookie{Name: fmt.Sprintf("%s-%d", server.SessionCookie, i), Value: v, Path: "/", Secure: true, HttpOnly: true})
		}
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
		return
	}
	p, exp := sess.who, time.Now().Add(time.Hour)
	r.Header.Set(albauth.DataHeader, a.signer.Token(map[string]any{"sub": p.sub, "email": p.email, "username": p.username}, exp))
	r.Header.Set(albauth.IdentityHeader, p.sub)
	r.Header.Set(albauth.AccessTokenHeader, a.pool.AccessToken(map[string]any{
		"sub": p.sub, "username": p.username, "cognito:groups": p.groups, "origin_jti": sess.originJti,
		"scope": "openid email " + cognitotest.AdminScope,
	}, exp))
	a.app.ServeHTTP(w, r)
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// chromium finds a Chromium or Chrome: $CHROMIUM, or one on the PATH
// (Debian's chromium here; GitHub's Ubuntu runners ship Google Chrome).
func chromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium or chrome found; .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); CI runs this test")
	return ""
}

// onLocalhost serves h on a loopback port and returns its URL with the host
// name "localhost", where browsers accept Secure cookies over plain HTTP.
func onLocalhost(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return "http://localhost:" + port
}

// profileDir is a fresh browser profile, removed once the browser is gone
// (Chromium may still be writing to it for a moment after it is told to quit).
func profileDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 20 && os.RemoveAll(dir) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	return dir
}

func TestSignInAndSignOutInABrowser(t *testing.T) {
	exe := chromium(t)
	signer, err := albtest.NewSigner(kid, albArn, clientID)
	if err != nil {
		t.Fatal(err)
	}
	keys := onLocalhost(t, signer.KeyHandler(nil, 0))
	pool, err := cognitotest.NewPool(cognitotest.ExampleIssuer, clientID)
	if err != nil {
		t.Fatal(err)
	}
	idp := onLocalhost(t, pool.Handler()) // the pool's keys and its user API

	// The fake ALB's URL is needed by the app (its logout URL) before the
	// proxy exists, so reserve the listener first.
	albListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, albPort, _ := net.SplitHostPort(albListener.Addr().String())
	albURL := "http://localhost:" + albPort
	logoutURL := albURL + "/logged-out"

	var cognitoLogouts atomic.Int64
	cognito := onLocalhost(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != "/logout" || q.Get("client_id") != clientID || q.Get("logout_uri") != logoutURL {
			http.Error(w, "invalid logout request: "+r.URL.String(), http.StatusBadRequest)
			return
		}
		cognitoLogouts.Add(1)
		http.Redirect(w, r, q.Get("logout_uri"), http.StatusFound)
	}))

	app, err := server.New(server.Config{
		Region: "eu-west-1", AlbArn: albArn, ClientID: clientID, KeyURL: keys,
		CognitoDomain: cognito, LogoutURL: logoutURL,
		Issuer: cognitotest.ExampleIssuer, IdpURL: idp, AdminGroup: "admins",
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	appURL, _ := url.Parse(onLocalhost(t, app))
	fake := &fakeAlb{signer: signer, pool: pool, app: httputil.NewSingleHostReverseProxy(appURL), sessions: map[string]*albSession{}}
	fake.next.Store(&ada)
	alb := &httptest.Server{Listener: albListener, Config: &http.Server{Handler: fake}}
	alb.Start()
	t.Cleanup(alb.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profileDir(t)),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	// chromedp v0.13 predates some of this Chromium's protocol events and
	// logs that it cannot decode them; they are not ones this test uses.
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	sessionCookies := func() []string {
		var names []string
		_ = chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
			cookies, err := network.GetCookies().WithURLs([]string{albURL + "/"}).Do(ctx)
			for _, c := range cookies {
				if strings.HasPrefix(c.Name, server.SessionCookie) {
					names = append(names, c.Name)
				}
			}
			return err
		}))
		return names
	}
	text := func(sel string) string {
		var s string
		if err := chromedp.Run(ctx, chromedp.WaitVisible(sel, chromedp.ByID), chromedp.Text(sel, &s, chromedp.ByID)); err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}

	// Sign in and see who we are, with the access token's groups.
	if err := chromedp.Run(ctx, chromedp.Navigate(albURL+"/")); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	if shown := text("#email"); shown != email {
		t.Fatalf("the page shows %q, want %q", shown, email)
	}
	if groups := text("#groups"); groups != "staff" {
		t.Errorf("groups shown: %q, want staff", groups)
	}
	if got := sessionCookies(); len(got) != 2 {
		t.Fatalf("after sign-in the browser holds session cookies %v, want two shards", got)
	}

	// The page's own scripts may call the API: 200 with the verified claims.
	status, body := fetchFrom(ctx, t, "/api/me")
	var me struct {
		Sub, Email string
		Groups     []string
		Scopes     []string
	}
	if err := json.Unmarshal([]byte(body), &me); status != 200 || err != nil || me.Sub != ada.sub || me.Email != email ||
		strings.Join(me.Groups, ",") != "staff" || !slices.Contains(me.Scopes, cognitotest.AdminScope) {
		t.Errorf("fetch('/api/me') while signed in: %d %s", status, body)
	}

	// The group page is not for Ada.
	if status, _ := fetchFrom(ctx, t, "/admin"); status != http.StatusForbidden {
		t.Errorf("/admin for a user outside admins: %d, want 403", status)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(albURL+"/admin")); err != nil {
		t.Fatal(err)
	}
	if msg := text("#problem"); !strings.Contains(msg, `"admins"`) {
		t.Errorf("the 403 page says %q", msg)
	}

	// Set up an authenticator app: read the key off the page, compute the
	// code as the app would, type it in.
	if err := chromedp.Run(ctx, chromedp.Navigate(albURL+"/account")); err != nil {
		t.Fatal(err)
	}
	if st := text("#mfa-status"); st != "not set up" {
		t.Fatalf("MFA status before enrolment: %q", st)
	}
	if err := chromedp.Run(ctx, chromedp.Click("#mfa-start", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	secret := text("#mfa-secret")
	var qrWidth int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("mfa-qr").naturalWidth`, &qrWidth)); err != nil || qrWidth < 100 {
		t.Errorf("the QR code did not load (CSP?): width %d, %v", qrWidth, err)
	}
	code, err := cognitotest.Totp(secret, time.Now())
	if err != nil {
		t.Fatalf("the page's key %q: %v", secret, err)
	}
	if err := chromedp.Run(ctx,
		chromedp.SendKeys("#mfa-code", code, chromedp.ByID),
		chromedp.Click("#mfa-verify", chromedp.ByID),
		chromedp.WaitVisible("#mfa-status", chromedp.ByID),
	); err != nil {
		t.Fatalf("submitting the code: %v", err)
	}
	if st := text("#mfa-status"); st != "set up" {
		t.Errorf("MFA status after enrolment: %q", st)
	}
	if enabled, preferred, device := pool.Mfa("ada"); !enabled || !preferred || device == "" {
		t.Errorf("Cognito holds enabled=%v preferred=%v device=%q", enabled, preferred, device)
	}

	// Sign out.
	var location string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(albURL+"/"),
		chromedp.Click("#sign-out", chromedp.ByID),
		chromedp.WaitVisible("#signed-out", chromedp.ByID),
		chromedp.Location(&location),
	); err != nil {
		t.Fatalf("signing out: %v", err)
	}
	if location != logoutURL {
		t.Errorf("landed on %s, want %s", location, logoutURL)
	}
	if cognitoLogouts.Load() != 1 {
		t.Errorf("Cognito's logout endpoint was called %d times, want 1", cognitoLogouts.Load())
	}
	if got := sessionCookies(); len(got) != 0 {
		t.Errorf("after sign-out the browser still holds ALB session cookies %v", got)
	}
	if message := text("#signed-out"); !strings.Contains(message, "signed out") {
		t.Errorf("logged-out page says %q", message)
	}
	// Now the ALB answers the API itself: 401, not a sign-in redirect.
	if status, _ := fetchFrom(ctx, t, "/api/me"); status != http.StatusUnauthorized {
		t.Errorf("fetch('/api/me') after sign-out: %d, want 401", status)
	}

	// Grace, in admins, signs in and may see the group page.
	fake.next.Store(&grace)
	if err := chromedp.Run(ctx, chromedp.Navigate(albURL+"/admin")); err != nil {
		t.Fatal(err)
	}
	if text("#admin-welcome") == "" {
		t.Error("the group page is empty")
	}
	if status, _ := fetchFrom(ctx, t, "/admin"); status != http.StatusOK {
		t.Errorf("/admin for a member of admins: %d, want 200", status)
	}
}

// fetchFrom runs fetch(path) in the current page and returns the status and body.
func fetchFrom(ctx context.Context, t *testing.T, path string) (int, string) {
	t.Helper()
	var res struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	js := fmt.Sprintf(`fetch(%q).then(async r => ({status: r.status, body: await r.text()}))`, path)
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})); err != nil {
		t.Fatalf("fetch(%q): %v", path, err)
	}
	return res.Status, res.Body
}
