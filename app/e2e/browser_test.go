// Package e2e drives the service in a real browser (Debian's chromium,
// headless) behind a test proxy that plays the ALB and a fake Cognito.
package e2e

import (
	"context"
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
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/albauth/albtest"
	"github.com/example/alb-cognito-fargate/app/cognito/cognitotest"
	"github.com/example/alb-cognito-fargate/app/server"
)

const (
	albArn   = albtest.ExampleALBArn
	clientID = albtest.ExampleClientID
	kid      = albtest.ExampleKid
	email    = "ada@example.com"
)

// fakeALB plays the load balancer: public paths go straight to the app;
// anything else needs the session cookie, which "signing in" sets (the real
// ALB would send the browser through the Cognito hosted UI first), and is
// forwarded with a freshly signed x-amzn-oidc-data.
type fakeALB struct {
	signer *albtest.Signer
	pool   *cognitotest.Pool
	app    *httputil.ReverseProxy
}

func (a *fakeALB) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k := range r.Header { // the ALB drops client-supplied identity headers
		if strings.HasPrefix(strings.ToLower(k), "x-amzn-oidc-") {
			r.Header.Del(k)
		}
	}
	if r.URL.Path == "/logged-out" || r.URL.Path == "/healthz" {
		a.app.ServeHTTP(w, r)
		return
	}
	if _, err := r.Cookie(server.SessionCookie + "-0"); err != nil {
		// Sign in: the ALB sets its session cookie, sharded, and sends the
		// browser back to the original URL.
		for i, v := range []string{"shard-zero", "shard-one"} {
			http.SetCookie(w, &http.Cookie{Name: fmt.Sprintf("%s-%d", server.SessionCookie, i), Value: v, Path: "/", Secure: true, HttpOnly: true})
		}
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
		return
	}
	sub := "1f8c0a34-2b1d-4c3e-9f5a-6b7c8d9e0f1a"
	r.Header.Set(albauth.DataHeader, a.signer.Token(map[string]any{"sub": sub, "email": email, "cognito:groups": []any{"staff"}}, time.Now().Add(time.Minute)))
	r.Header.Set(albauth.IdentityHeader, sub)
	r.Header.Set(albauth.AccessTokenHeader, a.pool.AccessToken(map[string]any{"sub": sub, "username": "ada", "cognito:groups": []any{"staff"}}, time.Now().Add(time.Hour)))
	a.app.ServeHTTP(w, r)
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
	idp := onLocalhost(t, pool.Handler())

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
		Region: "eu-west-1", ALBArn: albArn, ClientID: clientID, KeyURL: keys,
		CognitoDomain: cognito, LogoutURL: logoutURL,
		Issuer: cognitotest.ExampleIssuer, IDPURL: idp,
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	appURL, _ := url.Parse(onLocalhost(t, app))
	alb := &httptest.Server{Listener: albListener, Config: &http.Server{Handler: &fakeALB{signer: signer, pool: pool, app: httputil.NewSingleHostReverseProxy(appURL)}}}
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

	// Sign in and see who we are.
	var shown string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(albURL+"/"),
		chromedp.WaitVisible("#email", chromedp.ByID),
		chromedp.Text("#email", &shown, chromedp.ByID),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	if shown != email {
		t.Fatalf("the page shows %q, want %q", shown, email)
	}
	if got := sessionCookies(); len(got) != 2 {
		t.Fatalf("after sign-in the browser holds session cookies %v, want two shards", got)
	}

	// Sign out.
	var location, message string
	if err := chromedp.Run(ctx,
		chromedp.Click("#sign-out", chromedp.ByID),
		chromedp.WaitVisible("#signed-out", chromedp.ByID),
		chromedp.Location(&location),
		chromedp.Text("#signed-out", &message, chromedp.ByID),
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
	if !strings.Contains(message, "signed out") {
		t.Errorf("logged-out page says %q", message)
	}
}
