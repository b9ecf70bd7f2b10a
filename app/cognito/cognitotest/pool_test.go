package cognitotest_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/app/cognito/cognitotest"
)

// The RFC 6238 appendix B vectors for SHA-1 (the secret is the ASCII
// "12345678901234567890"); a 6-digit code is the last 6 of the RFC's 8.
func TestTotpMatchesRfc6238(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{
		59: "287082", 1111111109: "081804", 1111111111: "050471",
		1234567890: "005924", 2000000000: "279037", 20000000000: "353130",
	} {
		got, err := cognitotest.Totp(secret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("TOTP at %d = %q, %v; want %q", unix, got, err, want)
		}
	}
	// Cognito's secrets come without padding, and an app may show them in lower case.
	unpadded := strings.ToLower(strings.TrimRight(secret, "="))
	if got, _ := cognitotest.Totp(unpadded, time.Unix(59, 0)); got != "287082" {
		t.Errorf("unpadded lower-case secret: %q", got)
	}
	if _, err := cognitotest.Totp("not base32!", time.Now()); err == nil {
		t.Error("a secret that is not base32 was accepted")
	}
}

// Tokens are signed RS256 by the key the JWKS publishes under their kid, in
// Cognito's encoding, with Cognito's claims for each kind of token.
func TestTokensVerifyAgainstThePublishedKeys(t *testing.T) {
	p, err := cognitotest.NewPool(cognitotest.ExampleIssuer, cognitotest.ExampleClientID)
	if err != nil {
		t.Fatal(err)
	}
	first := p.Kid()
	if err := p.Rotate(); err != nil {
		t.Fatal(err)
	}
	var set struct{ Keys []cognitotest.Jwk }
	if err := json.Unmarshal(p.Jwks(), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 || set.Keys[0].Kid != p.Kid() || set.Keys[1].Kid != first {
		t.Fatalf("after a rotation the JWKS should publish the new key first and keep the old: %+v", set.Keys)
	}
	exp := time.Now().Add(time.Hour)
	for name, tc := range map[string]struct {
		tok  string
		want map[string]any
	}{
		"access": {p.AccessToken(map[string]any{"sub": "s", "username": "u", "scope": nil}, exp),
			map[string]any{"token_use": "access", "client_id": p.ClientID, "iss": p.Issuer, "sub": "s", "username": "u", "scope": nil}},
		"id": {p.IDToken(map[string]any{"sub": "s"}, exp),
			map[string]any{"token_use": "id", "aud": p.ClientID, "iss": p.Issuer, "client_id": nil}},
	} {
		parts := strings.Split(tc.tok, ".")
		if len(parts) != 3 || strings.Contains(tc.tok, "=") {
			t.Fatalf("%s: not an unpadded compact JWT: %s", name, tc.tok)
		}
		var h map[string]any
		var claims map[string]any
		decode(t, parts[0], &h)
		decode(t, parts[1], &claims)
		if h["alg"] != "RS256" || h["kid"] != p.Kid() {
			t.Errorf("%s: header %v", name, h)
		}
		key := set.Keys[0]
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(b64(t, key.N)), E: int(new(big.Int).SetBytes(b64(t, key.E)).Int64())}
		digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], b64(t, parts[2])); err != nil {
			t.Errorf("%s: the signature does not verify with the published key: %v", name, err)
		}
		for k, v := range tc.want {
			if got, ok := claims[k]; v == nil && ok || v != nil && got != v {
				t.Errorf("%s: claim %s = %v, want %v", name, k, got, v)
			}
		}
		if claims["exp"] != float64(exp.Unix()) {
			t.Errorf("%s: exp %v", name, claims["exp"])
		}
	}
}

func TestHandlerServesTheJwksWhereCognitoDoes(t *testing.T) {
	p, _ := cognitotest.NewPool(cognitotest.ExampleIssuer, cognitotest.ExampleClientID)
	srv := httptest.NewServer(p.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/" + cognitotest.ExamplePoolID + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || !bytes.Equal(bytes.TrimSpace(buf.Bytes()), p.Jwks()) {
		t.Fatalf("%d %s", resp.StatusCode, buf.String())
	}
}

func decode(t *testing.T, seg string, v any) {
	t.Helper()
	if err := json.Unmarshal(b64(t, seg), v); err != nil {
		t.Fatal(err)
	}
}

func b64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
