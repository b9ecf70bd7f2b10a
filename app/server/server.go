// Package server is the small service the stack can deploy behind the ALB:
// it shows who is signed in and their groups, has a page for one group only,
// answers /api/me with the verified claims, lets users set up an
// authenticator app (TOTP MFA) through Cognito's user API, and signs users
// out for real.
//
// Every page but /healthz and /logged-out needs both identity headers the
// ALB forwards to verify (albauth.Guard): x-amzn-oidc-data for who the user
// is, the access token for their groups and for calls to Cognito.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/cognito"
)

// SessionCookie is the ALB's session cookie name (the edge component sets
// it); the ALB shards it into SessionCookie-0 .. SessionCookie-3.
const SessionCookie = "AWSELBAuthSessionCookie"

// SessionCookieShards is how many shards the ALB may write.
const SessionCookieShards = 4

// Config is read from the environment the compute component sets.
type Config struct {
	Port          int    // PORT, default 8080
	Region        string // AWS_REGION
	AlbArn        string // ALB_ARN
	ClientID      string // COGNITO_CLIENT_ID
	CognitoDomain string // COGNITO_DOMAIN: https://<prefix>.auth.<region>.amazoncognito.com
	LogoutURL     string // LOGOUT_URL: https://<host>/logged-out, listed in the client's logout URLs
	Issuer        string // COGNITO_ISSUER: https://cognito-idp.<region>.amazonaws.com/<poolId>
	AdminGroup    string // ADMIN_GROUP: the Cognito group allowed on /admin; empty: no /admin
	KeyURL        string // ALB_KEY_URL: overrides the public key endpoint (tests only)
	// IdpURL (COGNITO_IDP_URL) overrides the pool's endpoint,
	// https://cognito-idp.<pool region>.amazonaws.com/: the user API is
	// called there and the pool's keys read from <IdpURL>/<poolId>/.well-known/jwks.json,
	// as on the real endpoint (tests only).
	IdpURL string
}

// issuerRe is a user pool's issuer; the pool id starts with its region.
var issuerRe = regexp.MustCompile(`^https://cognito-idp\.([a-z]{2}(?:-[a-z]+)+-[0-9]+)\.amazonaws\.com/(([a-z]{2}(?:-[a-z]+)+-[0-9]+)_[0-9A-Za-z]+)$`)

// groupRe is Cognito's GroupName: letters, marks, symbols, numbers and
// punctuation (no spaces), at most 128.
var groupRe = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$`)

// PoolID is the user pool id from the issuer ("" if the issuer is malformed).
func (c Config) PoolID() string {
	if m := issuerRe.FindStringSubmatch(c.Issuer); m != nil {
		return m[2]
	}
	return ""
}

// IdpEndpoint is where the user API is called: IdpURL, or the pool region's endpoint.
func (c Config) IdpEndpoint() string {
	if c.IdpURL != "" {
		return strings.TrimSuffix(c.IdpURL, "/") + "/"
	}
	if m := issuerRe.FindStringSubmatch(c.Issuer); m != nil {
		return cognito.Endpoint(m[1])
	}
	return ""
}

// ConfigFromEnv reads the configuration and reports every missing or bad value.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Region:        getenv("AWS_REGION"),
		AlbArn:        getenv("ALB_ARN"),
		ClientID:      getenv("COGNITO_CLIENT_ID"),
		CognitoDomain: getenv("COGNITO_DOMAIN"),
		LogoutURL:     getenv("LOGOUT_URL"),
		Issuer:        getenv("COGNITO_ISSUER"),
		AdminGroup:    getenv("ADMIN_GROUP"),
		KeyURL:        getenv("ALB_KEY_URL"),
		IdpURL:        getenv("COGNITO_IDP_URL"),
		Port:          8080,
	}
	var errs []error
	if p := getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			errs = append(errs, fmt.Errorf("PORT %q is not a TCP port", p))
		}
		c.Port = n
	}
	for _, v := range [][2]string{{"ALB_ARN", c.AlbArn}, {"COGNITO_CLIENT_ID", c.ClientID}} {
		if v[1] == "" {
			errs = append(errs, fmt.Errorf("%s is required", v[0]))
		}
	}
	if c.Region == "" && c.KeyURL == "" {
		errs = append(errs, errors.New("AWS_REGION is required"))
	}
	for _, v := range [][2]string{{"COGNITO_DOMAIN", c.CognitoDomain}, {"LOGOUT_URL", c.LogoutURL}} {
		if !absoluteURL(v[1]) {
			errs = append(errs, fmt.Errorf("%s %q is not an absolute URL", v[0], v[1]))
		}
	}
	if m := issuerRe.FindStringSubmatch(c.Issuer); m == nil || m[1] != m[3] {
		errs = append(errs, fmt.Errorf("COGNITO_ISSUER %q is not a user pool issuer, https://cognito-idp.<region>.amazonaws.com/<region>_<id>", c.Issuer))
	}
	if c.AdminGroup != "" && !groupRe.MatchString(c.AdminGroup) {
		errs = append(errs, fmt.Errorf("ADMIN_GROUP %q is not a Cognito group name (no spaces, at most 128 characters)", c.AdminGroup))
	}
	if c.IdpURL != "" && !absoluteURL(c.IdpURL) {
		errs = append(errs, fmt.Errorf("COGNITO_IDP_URL %q is not an absolute URL", c.IdpURL))
	}
	return c, errors.Join(errs...)
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http")
}

// New returns the service's handler.
func New(cfg Config, log *slog.Logger) (http.Handler, error) {
	data, err := albauth.NewVerifier(albauth.Config{Region: cfg.Region, AlbArn: cfg.AlbArn, ClientID: cfg.ClientID, KeyURL: cfg.KeyURL})
	if err != nil {
		return nil, err
	}
	if cfg.PoolID() == "" {
		return nil, fmt.Errorf("COGNITO_ISSUER %q is not a user pool issuer", cfg.Issuer)
	}
	var jwksURL string // default: the issuer's
	if cfg.IdpURL != "" {
		jwksURL = cfg.IdpEndpoint() + cfg.PoolID() + "/.well-known/jwks.json"
	}
	access, err := albauth.NewAccessVerifier(albauth.AccessConfig{Issuer: cfg.Issuer, ClientID: cfg.ClientID, JwksURL: jwksURL})
	if err != nil {
		return nil, err
	}
	s := &service{
		cfg: cfg, log: log,
		idp: &cognito.Client{Endpoint: cfg.IdpEndpoint(), HTTPClient: &http.Client{Timeout: cognitoTimeout}},
	}
	if u, err := url.Parse(cfg.LogoutURL); err == nil {
		s.site = u.Hostname()
	}
	guard := &albauth.Guard{Data: data, Access: access, Deny: s.denyPage}
	apiGuard := &albauth.Guard{Data: data, Access: access, Deny: s.denyJSON}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /logged-out", s.loggedOut)
	mux.HandleFunc("GET /logout", s.logout)
	mux.Handle("GET /{$}", guard.Require(http.HandlerFunc(s.index)))
	if cfg.AdminGroup != "" {
		mux.Handle("GET /admin", guard.RequireGroup(cfg.AdminGroup, http.HandlerFunc(s.admin)))
	}
	mux.Handle("GET /api/me", apiGuard.Require(http.HandlerFunc(s.apiMe)))
	mux.Handle("GET /account", guard.Require(http.HandlerFunc(s.account)))
	mux.Handle("POST /account/mfa", guard.Require(http.HandlerFunc(s.mfaStart)))
	mux.Handle("POST /account/mfa/verify", guard.Require(http.HandlerFunc(s.mfaVerify)))

	// Forms change state, so a POST from another site is refused before
	// anything else (Sec-Fetch-Site, or Origin against Host); the forms'
	// own tokens are the second check (see csrfToken).
	xorigin := http.NewCrossOriginProtection()
	xorigin.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "path", r.URL.Path, "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.problem(w, http.StatusForbidden, "Refused", "This form was sent from another site. Go to your account page and try again.")
	}))
	return s.logRequests(securityHeaders(xorigin.Handler(mux))), nil
}

// cognitoTimeout bounds one call to Cognito's user API.
const cognitoTimeout = 10 * time.Second

type service struct {
	cfg  Config
	log  *slog.Logger
	idp  *cognito.Client
	site string // the site's host name, the issuer shown in authenticator apps
}

var pages = template.Must(template.New("").Parse(`
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}dt{font-weight:600}code{font-size:1.1rem;word-break:break-all}.error{color:#a00}</style>
</head><body>
<h1>{{.Title}}</h1>
{{end}}

{{define "nav"}}<p><a href="/">Home</a> · <a id="account" href="/account">Account</a>{{if .AdminGroup}} · <a id="admin" href="/admin">{{.AdminGroup}} only</a>{{end}} · <a id="sign-out" href="/logout">Sign out</a></p>
</body></html>
{{end}}

{{define "index"}}{{template "head" .}}<dl>
<dt>Email</dt><dd id="email">{{.Claims.Email}}</dd>
<dt>Subject</dt><dd id="subject">{{.Claims.Subject}}</dd>
<dt>Groups</dt><dd id="groups">{{range $i, $g := .Claims.Groups}}{{if $i}}, {{end}}{{$g}}{{else}}(none){{end}}</dd>
</dl>
{{template "nav" .}}{{end}}

{{define "signed-out"}}{{template "head" .}}<p id="signed-out">You are signed out.</p>
<p><a id="sign-in" href="/">Sign in again</a></p>
</body></html>
{{end}}

{{define "admin"}}{{template "head" .}}<p id="admin-welcome">You are in the group <strong>{{.AdminGroup}}</strong>, so you may see this page.</p>
{{template "nav" .}}{{end}}

{{define "problem"}}{{template "head" .}}<p id="problem">{{.Message}}</p>
<p><a href="/">Home</a>{{if .SignOut}} · <a id="sign-out" href="/logout">Sign out</a>{{end}}</p>
</body></html>
{{end}}
`))

// pageData is what the pages show; each uses some of it.
type pageData struct {
	Title      string
	Claims     *albauth.Claims
	AdminGroup string
	Message    string // problem: what went wrong and what to do
	SignOut    bool   // problem: offer to sign out
	Account    *accountView
}

func (s *service) index(w http.ResponseWriter, r *http.Request) {
	c, _ := albauth.ClaimsFrom(r.Context())
	s.render(w, http.StatusOK, "index", pageData{Title: "Signed in", Claims: c, AdminGroup: s.cfg.AdminGroup})
}

func (s *service) admin(w http.ResponseWriter, r *http.Request) {
	c, _ := albauth.ClaimsFrom(r.Context())
	s.render(w, http.StatusOK, "admin", pageData{Title: s.cfg.AdminGroup + " only", Claims: c, AdminGroup: s.cfg.AdminGroup})
}

func (s *service) loggedOut(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "signed-out", pageData{Title: "Signed out"})
}

// me is /api/me's answer: the verified identity, groups and scopes from the
// access token, and when that token expires. Token ids are left out.
type me struct {
	Subject  string    `json:"sub"`
	Username string    `json:"username"`
	Email    string    `json:"email,omitempty"`
	Groups   []string  `json:"groups"`
	Scopes   []string  `json:"scopes"`
	Expires  time.Time `json:"expires"`
}

func (s *service) apiMe(w http.ResponseWriter, r *http.Request) {
	c, _ := albauth.ClaimsFrom(r.Context())
	a, _ := albauth.AccessClaimsFrom(r.Context())
	body := me{Subject: a.Subject, Username: a.Username, Email: c.Email, Groups: a.Groups, Scopes: a.Scopes, Expires: a.Expires}
	if body.Groups == nil {
		body.Groups = []string{}
	}
	writeJSON(w, http.StatusOK, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// denyPage answers a page request the Guard refused.
func (s *service) denyPage(w http.ResponseWriter, r *http.Request, status int, err error) {
	s.log.Warn("request refused", "path", r.URL.Path, "status", status, "reason", err.Error())
	if status == http.StatusForbidden {
		s.problem(w, status, "Not for you", fmt.Sprintf("This page is only for members of the group %q, and you are not one.", s.cfg.AdminGroup))
		return
	}
	s.problem(w, http.StatusUnauthorized, "Not signed in", "Your sign-in could not be verified. Go to the home page to sign in again.")
}

// denyJSON answers an API request the Guard refused.
func (s *service) denyJSON(w http.ResponseWriter, r *http.Request, status int, err error) {
	s.log.Warn("request refused", "path", r.URL.Path, "status", status, "reason", err.Error())
	writeJSON(w, status, map[string]string{"error": strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))})
}

// problem renders a page that says what went wrong, with status.
func (s *service) problem(w http.ResponseWriter, status int, title, msg string) {
	s.render(w, status, "problem", pageData{Title: title, Message: msg, SignOut: status == http.StatusUnauthorized || status == http.StatusForbidden})
}

func (s *service) render(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, d); err != nil {
		s.log.Error("render", "page", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// logout ends the session at both ends: it expires every ALB session cookie
// shard (same name and path, Secure, so the browser really drops them) and
// sends the browser to Cognito's logout endpoint, which ends the Cognito
// session and returns to the logout URL. Deleting only the app's own cookies
// would leave the ALB session alive.
func (s *service) logout(w http.ResponseWriter, r *http.Request) {
	for i := 0; i < SessionCookieShards; i++ {
		http.SetCookie(w, &http.Cookie{
			Name:     fmt.Sprintf("%s-%d", SessionCookie, i),
			Value:    "",
			Path:     "/",
			Expires:  time.Unix(0, 0),
			MaxAge:   -1,
			Secure:   true,
			HttpOnly: true,
		})
	}
	q := url.Values{"client_id": {s.cfg.ClientID}, "logout_uri": {s.cfg.LogoutURL}}
	target := s.cfg.CognitoDomain + "/logout?" + q.Encode()
	s.log.Info("sign-out", "subject", r.Header.Get(albauth.IdentityHeader))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusFound)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// img-src data: for the QR code of the MFA secret; connect-src 'self'
		// so a page may fetch('/api/me'); forms post only here.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *service) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if r.URL.Path == "/healthz" {
			return // the target group asks every few seconds
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration_ms", time.Since(start).Milliseconds())
	})
}

// Main runs the service until SIGTERM (ECS's stop signal) or SIGINT, then
// drains in-flight requests.
func Main() int {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		log.Error("configuration", "error", err.Error())
		return 2
	}
	h, err := New(cfg, log)
	if err != nil {
		log.Error("configuration", "error", err.Error())
		return 2
	}
	srv := &http.Server{
		Addr:              ":" + strconv.Itoa(cfg.Port),
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		// ALB headers (claims and access token) can reach 16K+.
		MaxHeaderBytes: 64 << 10,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("listening", "port", cfg.Port, "region", cfg.Region)
	select {
	case err := <-errc:
		log.Error("server", "error", err.Error())
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		log.Error("shutdown", "error", err.Error())
		return 1
	}
	return 0
}
