package albauth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/albauth/albtest"
)

const (
	albArn   = albtest.ExampleAlbArn
	clientID = albtest.ExampleClientID
	kid      = albtest.ExampleKid
)

type fixture struct {
	signer  *albtest.Signer
	server  *httptest.Server
	fetches *atomic.Int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	s, err := albtest.NewSigner(kid, albArn, clientID)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := httptest.NewServer(s.KeyHandler(&n, 0))
	t.Cleanup(srv.Close)
	return &fixture{signer: s, server: srv, fetches: &n}
}

func (f *fixture) verifier(t testing.TB) *albauth.Verifier {
	t.Helper()
	v, err := albauth.NewVerifier(albauth.Config{Region: "eu-west-1", AlbArn: albArn, ClientID: clientID, KeyURL: f.server.URL})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var userClaims = map[string]any{
	"sub": "1f8c0a34-2b1d-4c3e-9f5a-6b7c8d9e0f1a", "email": "ada@example.com", "email_verified": "true",
	"username": "1f8c0a34-2b1d-4c3e-9f5a-6b7c8d9e0f1a", "cognito:groups": []any{"admins", "staff"},
	"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12",
}

// A token in the ALB's exact format verifies, and its claims come through.
func TestValidTokenVerifies(t *testing.T) {
	f := newFixture(t)
	tok := f.signer.Token(userClaims, time.Now().Add(time.Minute))
	if !strings.Contains(tok, "=.") && !strings.HasSuffix(tok, "=") {
		t.Fatalf("the fixture should pad its segments like the ALB: %s", tok)
	}
	c, err := f.verifier(t).Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("valid token rejected: %v", err)
	}
	if c.Email != "ada@example.com" || c.Subject != userClaims["sub"] || strings.Join(c.Groups, ",") != "admins,staff" {
		t.Fatalf("claims = %+v", c)
	}
}

// Everything that is not a genuine, current token from this ALB for this
// client is rejected.
func TestBadTokensAreRejected(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t)
	exp := time.Now().Add(time.Minute)
	good := f.signer.Token(userClaims, exp)
	other, _ := albtest.NewSigner(kid, albArn, clientID) // same kid, a different private key
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub := f.signer.PublicKeyPem()
	parts := strings.Split(good, ".")

	cases := map[string]string{
		"forged signature": other.Token(userClaims, exp),
		"wrong signer":     f.signer.TokenWithHeader(map[string]any{"signer": strings.Replace(albArn, "edge-alb", "evil-alb", 1)}, userClaims, exp),
		"wrong client":     f.signer.TokenWithHeader(map[string]any{"client": "someoneelse"}, userClaims, exp),
		"expired":          f.signer.Token(userClaims, time.Now().Add(-time.Second)),
		"no exp":           f.signer.TokenWithHeader(map[string]any{"exp": nil}, userClaims, exp),
		"alg none":         unsigned(map[string]any{"alg": "none", "kid": kid, "signer": albArn, "client": clientID, "exp": exp.Unix()}, userClaims),
		"alg HS256 with the public key as secret": hs256(pub, map[string]any{"alg": "HS256", "kid": kid, "signer": albArn, "client": clientID, "exp": exp.Unix()}, userClaims),
		"alg RS256":            rs256(rsaKey, map[string]any{"alg": "RS256", "kid": kid, "signer": albArn, "client": clientID, "exp": exp.Unix()}, userClaims),
		"kid not a UUID":       f.signer.TokenWithHeader(map[string]any{"kid": "../../../evil"}, userClaims, exp),
		"kid a URL":            f.signer.TokenWithHeader(map[string]any{"kid": "http://evil.example/key"}, userClaims, exp),
		"tampered header":      segment(map[string]any{"alg": "ES256", "kid": kid, "signer": albArn, "client": clientID, "exp": exp.Add(time.Hour).Unix(), "iss": "x"}) + "." + parts[1] + "." + parts[2],
		"tampered payload":     parts[0] + "." + segment(map[string]any{"sub": userClaims["sub"], "email": "root@example.com"}) + "." + parts[2],
		"no sub":               f.signer.Token(map[string]any{"email": "x@example.com"}, exp),
		"truncated signature":  good[:len(good)-10],
		"truncated to two":     parts[0] + "." + parts[1],
		"truncated header":     good[:len(parts[0])/2],
		"signature of another": parts[0] + "." + parts[1] + "." + strings.Split(f.signer.Token(map[string]any{"sub": "other"}, exp), ".")[2],
		"empty":                "",
		"garbage":              "not.a.jwt",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tok)
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
		})
	}
	// A kid that is not a UUID never reaches a URL.
	before := f.fetches.Load()
	_, _ = v.Verify(context.Background(), cases["kid not a UUID"])
	if f.fetches.Load() != before {
		t.Error("a non-UUID kid was fetched")
	}
}

// 100 concurrent first requests cause one key fetch; later ones none.
func TestConcurrentFirstRequestsShareOneFetch(t *testing.T) {
	s, _ := albtest.NewSigner(kid, albArn, clientID)
	var n atomic.Int64
	srv := httptest.NewServer(s.KeyHandler(&n, 50*time.Millisecond))
	defer srv.Close()
	v, _ := albauth.NewVerifier(albauth.Config{AlbArn: albArn, ClientID: clientID, KeyURL: srv.URL})
	tok := s.Token(userClaims, time.Now().Add(time.Minute))
	oneFetchForConcurrentFirstRequests(t, func() error { _, err := v.Verify(context.Background(), tok); return err }, &n)
}

// oneFetchForConcurrentFirstRequests verifies 100 times at once, then once
// more: every verification passes, and fetches (the key endpoint's count)
// is 1 after all of them.
func oneFetchForConcurrentFirstRequests(t *testing.T, verify func() error, fetches *atomic.Int64) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- verify()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
	}
	if got := fetches.Load(); got != 1 {
		t.Fatalf("%d key fetches for 100 concurrent first requests, want 1", got)
	}
	if err := verify(); err != nil || fetches.Load() != 1 {
		t.Fatalf("cached keys fetched again (%d fetches, err %v)", fetches.Load(), err)
	}
}

// A key endpoint that fails or hangs gives an error (401 through Require)
// within the fetch timeout, and a later request tries again.
func TestKeyEndpointDownGives401NotAHang(t *testing.T) {
	s, _ := albtest.NewSigner(kid, albArn, clientID)
	tok := s.Token(userClaims, time.Now().Add(time.Minute))

	var healthy atomic.Bool
	var n atomic.Int64
	keys := s.KeyHandler(&n, 0)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case healthy.Load():
			keys.ServeHTTP(w, r)
		case r.URL.Query().Get("x") == "" && strings.HasSuffix(r.URL.Path, kid):
			select { // hang until the client gives up or the test ends
			case <-r.Context().Done():
			case <-release:
			}
		}
	}))
	defer srv.Close()
	defer close(release)

	v, _ := albauth.NewVerifier(albauth.Config{AlbArn: albArn, ClientID: clientID, KeyURL: srv.URL, FetchTimeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := v.Verify(context.Background(), tok)
	if !errors.Is(err, albauth.ErrKeyFetch) {
		t.Fatalf("want ErrKeyFetch, got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Verify took %v with a hanging key endpoint", d)
	}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set(albauth.DataHeader, tok)
	v.Require(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("handler reached") })).ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("Require answered %d, want 401", rec.Code)
	}

	healthy.Store(true)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("after the endpoint recovered: %v", err)
	}

	// An endpoint answering an error status, or something that is not a key.
	for _, h := range []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
		func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>not a key</html>")) },
	} {
		bad := httptest.NewServer(h)
		v, _ := albauth.NewVerifier(albauth.Config{AlbArn: albArn, ClientID: clientID, KeyURL: bad.URL})
		if _, err := v.Verify(context.Background(), tok); !errors.Is(err, albauth.ErrKeyFetch) {
			t.Errorf("want ErrKeyFetch, got %v", err)
		}
		bad.Close()
	}
}

// Require passes verified requests on with their claims, and nothing else.
func TestRequire(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t)
	var seen *albauth.Claims
	h := v.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, _ = albauth.ClaimsFrom(r.Context())
	}))
	for _, tc := range []struct {
		token string
		code  int
	}{
		{"", 401},
		{"garbage", 401},
		{f.signer.Token(userClaims, time.Now().Add(-time.Minute)), 401},
		{f.signer.Token(userClaims, time.Now().Add(time.Minute)), 200},
	} {
		seen = nil
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		if tc.token != "" {
			req.Header.Set(albauth.DataHeader, tc.token)
		}
		h.ServeHTTP(rec, req)
		if rec.Code != tc.code {
			t.Errorf("token %.20q: status %d, want %d", tc.token, rec.Code, tc.code)
		}
		if (tc.code == 200) != (seen != nil) || (seen != nil && seen.Email != "ada@example.com") {
			t.Errorf("token %.20q: claims in context = %+v", tc.token, seen)
		}
	}
}

func TestKeyEndpoint(t *testing.T) {
	for region, want := range map[string]string{
		"eu-west-1":     "https://public-keys.auth.elb.eu-west-1.amazonaws.com",
		"us-gov-west-1": "https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1",
		"us-gov-east-1": "https://s3-us-gov-east-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-east-1",
	} {
		if got := albauth.KeyEndpoint(region); got != want {
			t.Errorf("KeyEndpoint(%s) = %s, want %s", region, got, want)
		}
	}
	if _, err := albauth.NewVerifier(albauth.Config{Region: "eu-west-1/../x", AlbArn: albArn, ClientID: clientID}); err == nil {
		t.Error("a malformed region was accepted")
	}
	if _, err := albauth.NewVerifier(albauth.Config{Region: "eu-west-1", ClientID: clientID}); err == nil {
		t.Error("a verifier without AlbArn was accepted")
	}
}

// Verify never panics, and whatever it accepts carries the one payload that
// was really signed.
func FuzzVerify(f *testing.F) {
	fx := newFixture(f)
	v := fx.verifier(f)
	good := fx.signer.Token(userClaims, time.Now().Add(24*time.Hour))
	f.Add(good)
	f.Add(strings.ReplaceAll(good, "=", ""))
	f.Add(good[:len(good)/2])
	f.Add("..")
	f.Add("a.b.c")
	f.Add(strings.Replace(good, ".", "..", 1))
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(context.Background(), tok)
		if err == nil && (c.Subject != userClaims["sub"] || c.Email != userClaims["email"]) {
			t.Fatalf("accepted a token whose claims were never signed: %q -> %+v", tok, c)
		}
	})
}

// BenchmarkVerify: one verification with the key cached.
func BenchmarkVerify(b *testing.B) {
	fx := newFixture(b)
	v := fx.verifier(b)
	tok := fx.signer.Token(userClaims, time.Now().Add(time.Hour))
	if _, err := v.Verify(context.Background(), tok); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEcdsaFloor: one ecdsa.Verify of the same signature over the same
// signing input, the cost no verifier can go below.
func BenchmarkEcdsaFloor(b *testing.B) {
	fx := newFixture(b)
	tok := fx.signer.Token(userClaims, time.Now().Add(time.Hour))
	i := strings.LastIndex(tok, ".")
	hash := sha256.Sum256([]byte(tok[:i]))
	sig, err := base64.URLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	pub := fx.signer.PublicKey()
	if !ecdsa.Verify(pub, hash[:], r, s) {
		b.Fatal("signature does not verify")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !ecdsa.Verify(pub, hash[:], r, s) {
			b.Fatal("signature does not verify")
		}
	}
}

// segment encodes a JSON segment the ALB's way: base64url with padding.
func segment(v any) string {
	b, _ := json.Marshal(v)
	return base64.URLEncoding.EncodeToString(b)
}

func unsigned(header, claims map[string]any) string {
	return segment(header) + "." + segment(claims) + "."
}

func hs256(secret []byte, header, claims map[string]any) string {
	in := segment(header) + "." + segment(claims)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(in))
	return in + "." + base64.URLEncoding.EncodeToString(m.Sum(nil))
}

func rs256(key *rsa.PrivateKey, header, claims map[string]any) string {
	in := segment(header) + "." + segment(claims)
	h := sha256.Sum256([]byte(in))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	return in + "." + base64.URLEncoding.EncodeToString(sig)
}
