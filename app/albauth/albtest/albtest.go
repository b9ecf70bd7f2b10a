// Package albtest signs tokens exactly as an ALB signs x-amzn-oidc-data, and
// serves the public key the way the regional key endpoint does, so services
// that use albauth can be tested without a load balancer.
package albtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Example identifiers, in the formats AWS uses, for tests.
const (
	ExampleAlbArn   = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/edge-alb-1a2b3c4/50dc6c495c0c9188"
	ExampleClientID = "4example5client6id7abcdefg"
	ExampleKid      = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
)

// Signer plays one ALB: its signing key, key id, ARN and app client.
type Signer struct {
	Kid      string
	AlbArn   string
	ClientID string
	key      *ecdsa.PrivateKey
}

// NewSigner makes a signer with a fresh P-256 key.
func NewSigner(kid, albArn, clientID string) (*Signer, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return &Signer{Kid: kid, AlbArn: albArn, ClientID: clientID, key: k}, nil
}

// Token signs claims as the ALB does: ES256, the header carrying kid,
// signer, client, iss and exp, and every segment base64url WITH padding.
func (s *Signer) Token(claims map[string]any, exp time.Time) string {
	return s.TokenWithHeader(nil, claims, exp)
}

// TokenWithHeader is Token with header fields overridden (a nil value removes one).
func (s *Signer) TokenWithHeader(override map[string]any, claims map[string]any, exp time.Time) string {
	h := map[string]any{
		"alg": "ES256", "typ": "JWT", "kid": s.Kid, "signer": s.AlbArn, "client": s.ClientID,
		"iss": claims["iss"], "exp": exp.Unix(),
	}
	for k, v := range override {
		if v == nil {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	body := map[string]any{"exp": exp.Unix()}
	for k, v := range claims {
		body[k] = v
	}
	in := seg(h) + "." + seg(body)
	digest := sha256.Sum256([]byte(in))
	r, sv, err := ecdsa.Sign(rand.Reader, s.key, digest[:])
	if err != nil {
		panic(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	sv.FillBytes(sig[32:])
	return in + "." + base64.URLEncoding.EncodeToString(sig)
}

func seg(v any) string {
	b, _ := json.Marshal(v)
	return base64.URLEncoding.EncodeToString(b)
}

// PublicKey is the signer's public key.
func (s *Signer) PublicKey() *ecdsa.PublicKey { return &s.key.PublicKey }

// PublicKeyPem is the public key as the key endpoint serves it.
func (s *Signer) PublicKeyPem() []byte {
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// KeyHandler serves the PEM key at /<kid> (404 for any other kid), counting
// requests in fetches (may be nil) and answering after delay.
func (s *Signer) KeyHandler(fetches *atomic.Int64, delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fetches != nil {
			fetches.Add(1)
		}
		if delay > 0 {
			time.Sleep(delay)
		}
		if strings.TrimPrefix(r.URL.Path, "/") != s.Kid {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(s.PublicKeyPem())
	})
}
