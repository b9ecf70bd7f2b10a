package albauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/app/albauth"
)

type guardFixture struct {
	alb   *fixture
	pool  *poolFixture
	guard *albauth.Guard
	// what the last request got: the Deny call, or the claims in context
	status int
	err    error
	claims *albauth.Claims
	access *albauth.AccessClaims
}

func newGuardFixture(t testing.TB) *guardFixture {
	g := &guardFixture{alb: newFixture(t), pool: newPoolFixture(t)}
	g.guard = &albauth.Guard{
		Data: g.alb.verifier(t), Access: g.pool.verifier(t, albauth.AccessConfig{}),
		Deny: func(w http.ResponseWriter, r *http.Request, status int, err error) {
			g.status, g.err = status, err
			w.WriteHeader(status)
		},
	}
	return g
}

// serve sends a request with the given data and access tokens ("" leaves a
// header out) through h and returns the status.
func (g *guardFixture) serve(h http.Handler, data, access string) int {
	g.status, g.err, g.claims, g.access = 0, nil, nil, nil
	req := httptest.NewRequest("GET", "/", nil)
	if data != "" {
		req.Header.Set(albauth.DataHeader, data)
	}
	if access != "" {
		req.Header.Set(albauth.AccessTokenHeader, access)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func (g *guardFixture) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.claims, _ = albauth.ClaimsFrom(r.Context())
		g.access, _ = albauth.AccessClaimsFrom(r.Context())
	})
}

// Both headers must verify and name the same user; the groups handlers see
// are the access token's, whatever the user claims say.
func TestGuardRequireNeedsBothTokensOfOneUser(t *testing.T) {
	g := newGuardFixture(t)
	exp := time.Now().Add(time.Minute)
	data := g.alb.signer.Token(with(userClaims, "cognito:groups", []any{"from-userinfo"}), exp)
	access := g.pool.pool.AccessToken(with(accessUser, "cognito:groups", []any{"staff"}), exp)
	h := g.guard.Require(g.handler())

	if code := g.serve(h, data, access); code != 200 {
		t.Fatalf("both tokens: %d (%v)", code, g.err)
	}
	if g.claims == nil || g.claims.Email != "ada@example.com" || strings.Join(g.claims.Groups, ",") != "staff" {
		t.Errorf("claims in context = %+v; want the user's email and the access token's groups", g.claims)
	}
	if g.access == nil || g.access.Username != "ada" || g.access.Token() != access {
		t.Errorf("access claims in context = %+v", g.access)
	}

	other := g.pool.pool.AccessToken(with(accessUser, "sub", "7c9e6679-7425-40de-944b-e07fc1f90ae7"), exp)
	for name, tc := range map[string][2]string{
		"no headers":                      {"", ""},
		"user claims only":                {data, ""},
		"access token only":               {"", access},
		"forged user claims":              {"forged", access},
		"an ID token as the access token": {data, g.pool.pool.IDToken(accessUser, exp)},
		"another user's access token":     {data, other},
	} {
		if code := g.serve(h, tc[0], tc[1]); code != 401 || g.status != 401 || !errors.Is(g.err, albauth.ErrInvalid) && !errors.Is(g.err, albauth.ErrMissing) {
			t.Errorf("%s: status %d, Deny(%d, %v); want 401", name, code, g.status, g.err)
		}
		if g.claims != nil {
			t.Errorf("%s: the handler was reached", name)
		}
	}
}

// RequireGroup: 401 for anything unverified, 403 for a verified user outside
// the group (even if the user claims say otherwise), the handler for members.
func TestGuardRequireGroup(t *testing.T) {
	g := newGuardFixture(t)
	exp := time.Now().Add(time.Minute)
	claimsAdmin := with(userClaims, "cognito:groups", []any{"admins"})
	h := g.guard.RequireGroup("admins", g.handler())

	member := g.pool.pool.AccessToken(with(accessUser, "cognito:groups", []any{"staff", "admins"}), exp)
	if code := g.serve(h, g.alb.signer.Token(userClaims, exp), member); code != 200 || g.access == nil {
		t.Fatalf("a member: %d (%v)", code, g.err)
	}
	outsider := g.pool.pool.AccessToken(with(accessUser, "cognito:groups", []any{"staff"}), exp)
	if code := g.serve(h, g.alb.signer.Token(claimsAdmin, exp), outsider); code != 403 || !errors.Is(g.err, albauth.ErrForbidden) || g.claims != nil {
		t.Errorf("user claims say admins, the access token does not: %d (%v); want 403", code, g.err)
	}
	noGroups := g.pool.pool.AccessToken(with(accessUser, "cognito:groups", nil), exp)
	if code := g.serve(h, g.alb.signer.Token(claimsAdmin, exp), noGroups); code != 403 {
		t.Errorf("no groups at all: %d; want 403", code)
	}
	if code := g.serve(h, "", member); code != 401 || errors.Is(g.err, albauth.ErrForbidden) {
		t.Errorf("unverified: %d (%v); want 401", code, g.err)
	}

	defer func() {
		if recover() == nil {
			t.Error("RequireGroup(\"\") did not panic")
		}
	}()
	g.guard.RequireGroup("", g.handler())
}

// Without a Deny hook, refusals are plain 401 and 403 answers.
func TestGuardDefaultDeny(t *testing.T) {
	g := newGuardFixture(t)
	g.guard.Deny = nil
	exp := time.Now().Add(time.Minute)
	h := g.guard.RequireGroup("admins", g.handler())
	staff := g.pool.pool.AccessToken(with(accessUser, "cognito:groups", []any{"staff"}), exp)
	for _, tc := range []struct {
		access string
		code   int
	}{{"", 401}, {staff, 403}} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set(albauth.DataHeader, g.alb.signer.Token(userClaims, exp))
		req.Header.Set(albauth.AccessTokenHeader, tc.access)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.code || g.claims != nil {
			t.Errorf("status %d, want %d", rec.Code, tc.code)
		}
	}
}

// BenchmarkGuard: both headers of one request verified, keys cached.
func BenchmarkGuard(b *testing.B) {
	g := newGuardFixture(b)
	exp := time.Now().Add(time.Hour)
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set(albauth.DataHeader, g.alb.signer.Token(userClaims, exp))
	req.Header.Set(albauth.AccessTokenHeader, g.pool.pool.AccessToken(accessUser, exp))
	if _, _, err := g.guard.Verify(req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := g.guard.Verify(req); err != nil {
			b.Fatal(err)
		}
	}
}
