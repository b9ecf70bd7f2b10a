// Package server is the small service the stack can deploy behind the ALB:
// it shows who is signed in, and signs users out for real.
package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/example/alb-cognito-fargate/app/albauth"
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
	ALBArn        string // ALB_ARN
	ClientID      string // COGNITO_CLIENT_ID
	CognitoDomain string // COGNITO_DOMAIN: https://<prefix>.auth.<region>.amazoncognito.com
	LogoutURL     string // LOGOUT_URL: https://<host>/logged-out, listed in the client's logout URLs
	KeyURL        string // ALB_KEY_URL: overrides the public key endpoint (tests only)
}

// ConfigFromEnv reads the configuration and reports every missing or bad value.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Region:        getenv("AWS_REGION"),
		ALBArn:        getenv("ALB_ARN"),
		ClientID:      getenv("COGNITO_CLIENT_ID"),
		CognitoDomain: getenv("COGNITO_DOMAIN"),
		LogoutURL:     getenv("LOGOUT_URL"),
		KeyURL:        getenv("ALB_KEY_URL"),
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
	for _, v := range [][2]string{{"ALB_ARN", c.ALBArn}, {"COGNITO_CLIENT_ID", c.ClientID}} {
		if v[1] == "" {
			errs = append(errs, fmt.Errorf("%s is required", v[0]))
		}
	}
	if c.Region == "" && c.KeyURL == "" {
		errs = append(errs, errors.New("AWS_REGION is required"))
	}
	for _, v := range [][2]string{{"COGNITO_DOMAIN", c.CognitoDomain}, {"LOGOUT_URL", c.LogoutURL}} {
		if u, err := url.Parse(v[1]); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			errs = append(errs, fmt.Errorf("%s %q is not an absolute URL", v[0], v[1]))
		}
	}
	return c, errors.Join(errs...)
}

// New returns the service's handler.
func New(cfg Config, log *slog.Logger) (http.Handler, error) {
	s := &service{cfg: cfg, log: log}
	v, err := albauth.NewVerifier(albauth.Config{
		Region: cfg.Region, ALBArn: cfg.ALBArn, ClientID: cfg.ClientID, KeyURL: cfg.KeyURL,
		OnReject: func(r *http.Request, err error) {
			log.Warn("unauthenticated request", "path", r.URL.Path, "reason", err.Error())
		},
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /logged-out", s.loggedOut)
	mux.HandleFunc("GET /logout", s.logout)
	mux.Handle("GET /{$}", v.Require(http.HandlerFunc(s.index)))
	return s.logRequests(securityHeaders(mux)), nil
}

type service struct {
	cfg Config
	log *slog.Logger
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}dt{font-weight:600}</style>
</head><body>
<h1>{{.Title}}</h1>
{{if .Claims}}<dl>
<dt>Email</dt><dd id="email">{{.Claims.Email}}</dd>
<dt>Subject</dt><dd id="subject">{{.Claims.Subject}}</dd>
<dt>Groups</dt><dd id="groups">{{range $i, $g := .Claims.Groups}}{{if $i}}, {{end}}{{$g}}{{else}}(none){{end}}</dd>
</dl>
<p><a id="sign-out" href="/logout">Sign out</a></p>
{{else}}<p id="signed-out">You are signed out.</p>
<p><a id="sign-in" href="/">Sign in again</a></p>{{end}}
</body></html>
`))

type pageData struct {
	Title  string
	Claims *albauth.Claims
}

func (s *service) index(w http.ResponseWriter, r *http.Request) {
	c, _ := albauth.ClaimsFrom(r.Context())
	s.render(w, pageData{Title: "Signed in", Claims: c})
}

func (s *service) loggedOut(w http.ResponseWriter, r *http.Request) {
	s.render(w, pageData{Title: "Signed out"})
}

func (s *service) render(w http.ResponseWriter, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := page.Execute(w, d); err != nil {
		s.log.Error("render", "error", err.Error())
	}
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
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
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
