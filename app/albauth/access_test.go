package albauth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/cognito/cognitotest"
)

const issuer = cognitotest.ExampleIssuer

var accessUser = map[string]any{
	"sub": userClaims["sub"], "username": "ada", "cognito:groups": []any{"admins", "staff"},
}

// clock is a settable time source for the verifier's expiry and refetch checks.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type poolFixture struct {
	pool    *cognitotest.Pool
	server  *httptest.Server
	fetches *atomic.Int64
}

func newPoolFixture(t testing.TB) *poolFixture {
	t.Helper()
	p, err := cognitotest.NewPool(issuer, clientID)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := httptest.NewServer(p.JwksHandler(&n, 0))
	t.Cleanup(srv.Close)
	return &poolFixture{pool: p, server: srv, fetches: &n}
}

func (f *poolFixture) verifier(t testing.TB, cfg albauth.AccessConfig) *albauth.AccessVerifier {
	t.Helper()
	cfg.Issuer, cfg.ClientID = issuer, clientID
	if cfg.JwksURL == "" {
		cfg.JwksURL = f.server.URL
	}
	v, err := albauth.NewAccessVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A Cognito access token verifies, and its claims come through.
func TestAccessTokenVerifies(t *testing.T) {
	f := newPoolFixture(t)
	exp := time.Now().Add(time.Hour)
	tok := f.pool.AccessToken(with(accessUser, "origin_jti", "7a1c4b0e-1d2e-4f3a-9b8c-7d6e5f4a3b2c"), exp)
	c, err := f.verifier(t, albauth.AccessConfig{}).Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("valid token rejected: %v", err)
	}
	if c.Subject != userClaims["sub"] || c.Username != "ada" || c.ClientID != clientID ||
		strings.Join(c.Groups, ",") != "admins,staff" || !c.InGroup("admins") || c.InGroup("admin") ||
		!c.HasScope(cognitotest.AdminScope) || !c.HasScope("openid") || c.HasScope("aws.cognito") ||
		!c.Expires.Equal(time.Unix(exp.Unix(), 0)) || c.OriginJti != "7a1c4b0e-1d2e-4f3a-9b8c-7d6e5f4a3b2c" || c.Jti == "" {
		t.Fatalf("claims = %+v", c)
	}
	if c.Token() != tok {
		t.Error("Token() is not the verified token")
	}
	all, err := c.All()
	if err != nil || all["version"] != float64(2) || all["token_use"] != "access" {
		t.Errorf("All() = %v, %v", all, err)
	}
}

// Everything that is not a current access token from this pool for this
// client is rejected, and all of it together costs at most one key set fetch.
func TestBadAccessTokensAreRejected(t *testing.T) {
	f := newPoolFixture(t)
	v := f.verifier(t, albauth.AccessConfig{})
	exp := time.Now().Add(time.Hour)
	good := f.pool.AccessToken(accessUser, exp)
	if _, err := v.Verify(context.Background(), good); err != nil {
		t.Fatal(err)
	}
	kid := f.pool.Kid()
	other, _ := cognitotest.NewPool(issuer, clientID)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(f.pool.PublicKey())
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	claims := cognitotest.Claims(good)
	parts := strings.Split(good, ".")
	h := func(alg string) map[string]any { return map[string]any{"alg": alg, "kid": kid, "typ": "JWT"} }

	cases := map[string]string{
		"forged signature (another key, same kid)": other.Sign(map[string]any{"kid": kid}, claims),
		"wrong issuer":                 f.pool.AccessToken(with(accessUser, "iss", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other999"), exp),
		"issuer with a trailing slash": f.pool.AccessToken(with(accessUser, "iss", issuer+"/"), exp),
		"wrong client":                 f.pool.AccessToken(with(accessUser, "client_id", "someoneelse"), exp),
		"no client_id":                 f.pool.AccessToken(with(accessUser, "client_id", nil), exp),
		"an ID token":                  f.pool.IDToken(accessUser, exp),
		"an ID token with a client_id": f.pool.IDToken(with(accessUser, "client_id", clientID), exp),
		"no token_use":                 f.pool.AccessToken(with(accessUser, "token_use", nil), exp),
		"expired beyond the leeway":    f.pool.AccessToken(accessUser, time.Now().Add(-time.Minute)),
		"no exp":                       f.pool.AccessToken(with(accessUser, "exp", nil), exp),
		"no sub":                       f.pool.AccessToken(with(accessUser, "sub", nil), exp),
		"alg none":                     cognitotest.Segment(h("none")) + "." + cognitotest.Segment(claims) + ".",
		"alg HS256 keyed with the PEM": hmacToken(pemKey, h("HS256"), claims),
		"alg HS256 keyed with the DER": hmacToken(der, h("HS256"), claims),
		"alg HS256 keyed with n":       hmacToken(f.pool.PublicKey().N.Bytes(), h("HS256"), claims),
		"alg ES256":                    es256Token(ecKey, h("ES256"), claims),
		"alg RS512 header on RS256":    cognitotest.Segment(h("RS512")) + "." + parts[1] + "." + parts[2],
		"unknown kid":                  f.pool.Sign(map[string]any{"kid": "c29tZW90aGVya2V5aWQ="}, claims),
		"no kid":                       f.pool.Sign(map[string]any{"kid": nil}, claims),
		"tampered payload":             parts[0] + "." + cognitotest.Segment(with(claims, "cognito:groups", []any{"root"})) + "." + parts[2],
		"signature of another token":   parts[0] + "." + parts[1] + "." + strings.Split(f.pool.AccessToken(with(accessUser, "sub", "x"), exp), ".")[2],
		"padded like the ALB's":        padded(good),
		"truncated signature":          good[:len(good)-10],
		"truncated to two":             parts[0] + "." + parts[1],
		"empty":                        "",
		"garbage":                      "not.a.jwt",
		"oversized":                    parts[0] + "." + strings.Repeat("A", 20<<10) + "." + parts[2],
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tok)
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			if !errors.Is(err, albauth.ErrInvalid) && !errors.Is(err, albauth.ErrMissing) {
				t.Errorf("error %v wraps neither ErrInvalid nor ErrMissing", err)
			}
		})
	}
	if n := f.fetches.Load(); n != 1 {
		t.Errorf("%d key set fetches, want 1 (the first)", n)
	}
}

// A token is taken up to Leeway past its exp, for clock skew, and not after.
func TestAccessTokenLeeway(t *testing.T) {
	f := newPoolFixture(t)
	clk := newClock()
	v := f.verifier(t, albauth.AccessConfig{Now: clk.Now, Leeway: 30 * time.Second})
	tok := f.pool.AccessToken(accessUser, clk.Now())
	clk.Advance(29 * time.Second)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("29 s past exp with 30 s leeway: %v", err)
	}
	clk.Advance(2 * time.Second)
	if _, err := v.Verify(context.Background(), tok); err == nil {
		t.Fatal("31 s past exp with 30 s leeway was accepted")
	}
}

// 100 concurrent first requests cause one key set fetch; later ones none.
func TestAccessConcurrentFirstRequestsShareOneFetch(t *testing.T) {
	p, _ := cognitotest.NewPool(issuer, clientID)
	var n atomic.Int64
	srv := httptest.NewServer(p.JwksHandler(&n, 50*time.Millisecond))
	defer srv.Close()
	v, _ := albauth.NewAccessVerifier(albauth.AccessConfig{Issuer: issuer, ClientID: clientID, JwksURL: srv.URL})
	tok := p.AccessToken(accessUser, time.Now().Add(time.Hour))
	oneFetchForConcurrentFirstRequests(t, func() error { _, err := v.Verify(context.Background(), tok); return err }, &n)
}

// A key set endpoint that hangs gives ErrKeyFetch (401 through Require)
// within the fetch timeout; a caller whose context ends leaves at once; the
// next try waits for the refetch interval; then a recovered endpoint works.
func TestJwksDownGives401NotAHang(t *testing.T) {
	p, _ := cognitotest.NewPool(issuer, clientID)
	tok := p.AccessToken(accessUser, time.Now().Add(time.Hour))
	var healthy atomic.Bool
	var n atomic.Int64
	keys := p.JwksHandler(nil, 0)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if healthy.Load() {
			keys.ServeHTTP(w, r)
			return
		}
		select { // hang until the client gives up or the test ends
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	clk := newClock()
	v, _ := albauth.NewAccessVerifier(albauth.AccessConfig{
		Issuer: issuer, ClientID: clientID, JwksURL: srv.URL, Now: clk.Now,
		FetchTimeout: 200 * time.Millisecond, RefetchInterval: 10 * time.Second,
	})
	start := time.Now()
	if _, err := v.Verify(context.Background(), tok); !errors.Is(err, albauth.ErrKeyFetch) {
		t.Fatalf("want ErrKeyFetch, got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Verify took %v with a hanging key set endpoint", d)
	}

	// Within the interval: refused at once, without asking the endpoint.
	before := n.Load()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set(albauth.AccessTokenHeader, tok)
	v.Require(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("handler reached") })).ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || n.Load() != before {
		t.Fatalf("Require answered %d after %d more fetches, want 401 after none", rec.Code, n.Load()-before)
	}

	// A caller whose context ends does not wait for a shared fetch.
	clk.Advance(11 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := v.Verify(ctx, tok); !errors.Is(err, albauth.ErrKeyFetch) || time.Since(start) > 150*time.Millisecond {
		t.Fatalf("a cancelled caller got %v after %v", err, time.Since(start))
	}
	time.Sleep(300 * time.Millisecond) // that fetch times out

	healthy.Store(true)
	clk.Advance(11 * time.Second)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("after the endpoint recovered: %v", err)
	}
}

// Key sets that are not usable give ErrKeyFetch: an error status, not JSON,
// and sets whose keys are not RS256 signing keys of a sane size.
func TestUnusableKeySets(t *testing.T) {
	p, _ := cognitotest.NewPool(issuer, clientID)
	tok := p.AccessToken(accessUser, time.Now().Add(time.Hour))
	weak, _ := rsa.GenerateKey(rand.Reader, 1024)
	jwk := func(kty, alg, use, n, e string) string {
		return fmt.Sprintf(`{"keys":[{"kid":%q,"kty":%q,"alg":%q,"use":%q,"n":%q,"e":%q}]}`, p.Kid(), kty, alg, use, n, e)
	}
	n := base64.RawURLEncoding.EncodeToString(p.PublicKey().N.Bytes())
	for name, body := range map[string]string{
		"500":               "",
		"html":              "<html>not a key set</html>",
		"no keys":           `{"keys":[]}`,
		"an EC key":         jwk("EC", "ES256", "sig", n, "AQAB"),
		"an RS512 key":      jwk("RSA", "RS512", "sig", n, "AQAB"),
		"an encryption key": jwk("RSA", "RS256", "enc", n, "AQAB"),
		"a 1024-bit key":    jwk("RSA", "RS256", "sig", base64.RawURLEncoding.EncodeToString(weak.N.Bytes()), "AQAB"),
		"an even exponent":  jwk("RSA", "RS256", "sig", n, "AQAA"),
		"n not base64url":   jwk("RSA", "RS256", "sig", "!!"+n, "AQAB"),
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if body == "" {
					http.Error(w, "boom", 500)
					return
				}
				_, _ = io.WriteString(w, body)
			}))
			defer srv.Close()
			v, _ := albauth.NewAccessVerifier(albauth.AccessConfig{Issuer: issuer, ClientID: clientID, JwksURL: srv.URL})
			if _, err := v.Verify(context.Background(), tok); !errors.Is(err, albauth.ErrKeyFetch) {
				t.Errorf("want ErrKeyFetch, got %v", err)
			}
		})
	}
}

// When the pool rotates its key, a token under the new kid makes the verifier
// fetch the set again, once the refetch interval since the last fetch is over.
func TestKeyRotationRefetchesTheKeySet(t *testing.T) {
	f := newPoolFixture(t)
	clk := newClock()
	v := f.verifier(t, albauth.AccessConfig{Now: clk.Now, RefetchInterval: 10 * time.Second})
	exp := clk.Now().Add(time.Hour)
	old := f.pool.AccessToken(accessUser, exp)
	if _, err := v.Verify(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.Rotate(); err != nil {
		t.Fatal(err)
	}
	rotated := f.pool.AccessToken(accessUser, exp)
	clk.Advance(5 * time.Second)
	if _, err := v.Verify(context.Background(), rotated); !errors.Is(err, albauth.ErrInvalid) || f.fetches.Load() != 1 {
		t.Fatalf("within the interval: err %v after %d fetches; want ErrInvalid after 1", err, f.fetches.Load())
	}
	clk.Advance(6 * time.Second)
	if _, err := v.Verify(context.Background(), rotated); err != nil || f.fetches.Load() != 2 {
		t.Fatalf("after the interval: err %v after %d fetches; want success after 2", err, f.fetches.Load())
	}
	if _, err := v.Verify(context.Background(), old); err != nil || f.fetches.Load() != 2 {
		t.Fatalf("the old, still published key: err %v after %d fetches", err, f.fetches.Load())
	}
}

// A stream of tokens with made-up kids costs at most one fetch per interval.
func TestForgedKidsCannotHammerTheKeySetEndpoint(t *testing.T) {
	f := newPoolFixture(t)
	clk := newClock()
	v := f.verifier(t, albauth.AccessConfig{Now: clk.Now, RefetchInterval: 10 * time.Second})
	// The attacker has no key: the claims are fine, the signature is not.
	body := cognitotest.Segment(cognitotest.Claims(f.pool.AccessToken(accessUser, clk.Now().Add(time.Hour))))
	sig := base64.RawURLEncoding.EncodeToString(make([]byte, 256))
	for i := 0; i < 1000; i++ { // 60 simulated seconds
		tok := cognitotest.Segment(map[string]any{"alg": "RS256", "kid": fmt.Sprintf("forged-%d", i)}) + "." + body + "." + sig
		if _, err := v.Verify(context.Background(), tok); err == nil {
			t.Fatal("a forged kid verified")
		}
		clk.Advance(60 * time.Millisecond)
	}
	if n := f.fetches.Load(); n > 7 {
		t.Fatalf("%d key set fetches in 60 s with a 10 s interval, want at most 7", n)
	}
}

// The key set is read from <issuer>/.well-known/jwks.json unless overridden,
// and the configuration is checked.
func TestAccessConfig(t *testing.T) {
	p, _ := cognitotest.NewPool(issuer, clientID)
	var asked []string
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		asked = append(asked, r.URL.String())
		rec := httptest.NewRecorder()
		p.JwksHandler(nil, 0).ServeHTTP(rec, r)
		return rec.Result(), nil
	})}
	v, err := albauth.NewAccessVerifier(albauth.AccessConfig{Issuer: issuer, ClientID: clientID, HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), p.AccessToken(accessUser, time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if want := issuer + "/.well-known/jwks.json"; len(asked) != 1 || asked[0] != want {
		t.Errorf("fetched %v, want %s", asked, want)
	}
	for name, cfg := range map[string]albauth.AccessConfig{
		"no client":         {Issuer: issuer},
		"no issuer":         {ClientID: clientID},
		"http issuer":       {Issuer: "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12", ClientID: clientID},
		"trailing slash":    {Issuer: issuer + "/", ClientID: clientID},
		"relative JWKS URL": {Issuer: issuer, ClientID: clientID, JwksURL: "/jwks.json"},
		"issuer not a URL":  {Issuer: "eu-west-1_Example12", ClientID: clientID},
	} {
		if _, err := albauth.NewAccessVerifier(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Require passes verified requests on with their claims, and nothing else.
func TestAccessRequire(t *testing.T) {
	f := newPoolFixture(t)
	var rejected []error
	v := f.verifier(t, albauth.AccessConfig{OnReject: func(r *http.Request, err error) { rejected = append(rejected, err) }})
	var seen *albauth.AccessClaims
	h := v.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen, _ = albauth.AccessClaimsFrom(r.Context()) }))
	for _, tc := range []struct {
		token string
		code  int
	}{
		{"", 401},
		{f.pool.IDToken(accessUser, time.Now().Add(time.Hour)), 401},
		{f.pool.AccessToken(accessUser, time.Now().Add(time.Hour)), 200},
	} {
		seen = nil
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set(albauth.AccessTokenHeader, tc.token)
		h.ServeHTTP(rec, req)
		if rec.Code != tc.code || (tc.code == 200) != (seen != nil && seen.Username == "ada") {
			t.Errorf("token %.20q: status %d, claims %+v; want %d", tc.token, rec.Code, seen, tc.code)
		}
	}
	if len(rejected) != 2 {
		t.Errorf("OnReject told of %d rejections, want 2", len(rejected))
	}
}

// Verify never panics, and whatever it accepts carries the claims that were
// really signed.
func FuzzVerifyAccess(f *testing.F) {
	fx := newPoolFixture(f)
	v := fx.verifier(f, albauth.AccessConfig{})
	good := fx.pool.AccessToken(accessUser, time.Now().Add(24*time.Hour))
	parts := strings.Split(good, ".")
	f.Add(good)
	f.Add(padded(good))
	f.Add(good[:len(good)/2])
	f.Add(fx.pool.IDToken(accessUser, time.Now().Add(time.Hour)))
	f.Add(cognitotest.Segment(map[string]any{"alg": "none"}) + "." + parts[1] + ".")
	f.Add("..")
	f.Add(strings.Replace(good, ".", "..", 1))
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(context.Background(), tok)
		if err == nil && (c.Subject != accessUser["sub"] || c.Username != "ada" || strings.Join(c.Groups, ",") != "admins,staff") {
			t.Fatalf("accepted a token whose claims were never signed: %q -> %+v", tok, c)
		}
	})
}

// BenchmarkVerifyAccess: one access token verification with the keys cached.
func BenchmarkVerifyAccess(b *testing.B) {
	f := newPoolFixture(b)
	v := f.verifier(b, albauth.AccessConfig{})
	tok := f.pool.AccessToken(accessUser, time.Now().Add(time.Hour))
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRsaFloor: one rsa.VerifyPKCS1v15 of the same signature over the
// same digest, the cost no RS256 verifier can go below.
func BenchmarkRsaFloor(b *testing.B) {
	f := newPoolFixture(b)
	tok := f.pool.AccessToken(accessUser, time.Now().Add(time.Hour))
	i := strings.LastIndex(tok, ".")
	digest := sha256.Sum256([]byte(tok[:i]))
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	pub := f.pool.PublicKey()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// with returns a copy of m with key set to v (for the pool's token methods,
// nil removes the claim).
func with(m map[string]any, key string, v any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for k, x := range m {
		c[k] = x
	}
	c[key] = v
	return c
}

// padded re-encodes a token's segments with '=' padding, as the ALB's are.
func padded(tok string) string {
	parts := strings.Split(tok, ".")
	for i, p := range parts {
		b, _ := base64.RawURLEncoding.DecodeString(p)
		parts[i] = base64.URLEncoding.EncodeToString(b)
	}
	return strings.Join(parts, ".")
}

func hmacToken(secret []byte, header, claims map[string]any) string {
	in := cognitotest.Segment(header) + "." + cognitotest.Segment(claims)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(in))
	return in + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func es256Token(key *ecdsa.PrivateKey, header, claims map[string]any) string {
	in := cognitotest.Segment(header) + "." + cognitotest.Segment(claims)
	digest := sha256.Sum256([]byte(in))
	r, s, _ := ecdsa.Sign(rand.Reader, key, digest[:])
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
