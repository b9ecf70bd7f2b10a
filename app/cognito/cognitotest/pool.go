// Package cognitotest plays an Amazon Cognito user pool for tests, so that
// services using albauth's access-token verifier and the cognito client can
// be tested without AWS:
//
//   - Pool signs access and ID tokens the way a user pool does (RS256, the
//     key named by kid, base64url without padding, Cognito's claims);
//   - Pool.JWKSHandler serves the pool's keys as <issuer>/.well-known/jwks.json does;
//   - Pool.Handler is a fake cognito-idp endpoint: the JWKS at
//     /<poolId>/.well-known/jwks.json, and the user API operations a signed-in
//     user may call with their own access token (GetUser,
//     AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference),
//     each checking that token as Cognito would;
//   - TOTP computes authenticator-app codes (RFC 6238).
package cognitotest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Example identifiers, in the formats Cognito uses, for tests.
const (
	ExampleRegion   = "eu-west-1"
	ExamplePoolID   = "eu-west-1_Example12"
	ExampleIssuer   = "https://cognito-idp." + ExampleRegion + ".amazonaws.com/" + ExamplePoolID
	ExampleClientID = "4example5client6id7abcdefg"
)

// AdminScope is the scope an access token needs for the user API operations.
const AdminScope = "aws.cognito.signin.user.admin"

// DefaultScope is the scope AccessToken gives unless told otherwise: what the
// stack's app client and ALB rule ask for.
const DefaultScope = "openid email " + AdminScope

// Pool plays one user pool and one of its app clients.
type Pool struct {
	Issuer   string
	ClientID string

	mu   sync.Mutex
	keys []*signingKey // keys[0] signs; all are published

	api apiState
}

type signingKey struct {
	kid string
	key *rsa.PrivateKey
}

// NewPool makes a pool with a fresh 2048-bit RSA signing key.
func NewPool(issuer, clientID string) (*Pool, error) {
	p := &Pool{Issuer: issuer, ClientID: clientID}
	if err := p.Rotate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Rotate makes a new key the signing key, as Cognito rotates its keys; the
// old one stays published.
func (p *Pool) Rotate() error {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	p.mu.Lock()
	defer p.mu.Unlock()
	// Cognito's key ids are standard base64 (with '=', '+' and '/').
	p.keys = append([]*signingKey{{kid: base64.StdEncoding.EncodeToString(id), key: k}}, p.keys...)
	return nil
}

// Kid is the id of the current signing key.
func (p *Pool) Kid() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys[0].kid
}

// PublicKey is the current signing key's public half.
func (p *Pool) PublicKey() *rsa.PublicKey {
	p.mu.Lock()
	defer p.mu.Unlock()
	return &p.keys[0].key.PublicKey
}

// AccessToken signs an access token as the pool issues it to the app client:
// iss, client_id, token_use "access", scope DefaultScope, iat, auth_time, exp,
// jti and origin_jti, then claims on top (a nil value removes a claim). Give
// at least sub and username.
func (p *Pool) AccessToken(claims map[string]any, exp time.Time) string {
	now := time.Now().Unix()
	base := map[string]any{
		"iss": p.Issuer, "client_id": p.ClientID, "token_use": "access", "scope": DefaultScope,
		"iat": now, "auth_time": now, "exp": exp.Unix(), "jti": uuid(), "origin_jti": uuid(), "version": 2,
	}
	return p.Sign(nil, merge(base, claims))
}

// IDToken signs an ID token: iss, aud (the client), token_use "id", iat,
// auth_time, exp, jti and origin_jti, then claims on top.
func (p *Pool) IDToken(claims map[string]any, exp time.Time) string {
	now := time.Now().Unix()
	base := map[string]any{
		"iss": p.Issuer, "aud": p.ClientID, "token_use": "id",
		"iat": now, "auth_time": now, "exp": exp.Unix(), "jti": uuid(), "origin_jti": uuid(),
	}
	return p.Sign(nil, merge(base, claims))
}

// Sign signs claims with the current key: header {"kid", "alg": "RS256"} with
// header's fields on top (a nil value removes one), segments base64url
// without padding, as Cognito encodes them.
func (p *Pool) Sign(header, claims map[string]any) string {
	p.mu.Lock()
	k := p.keys[0]
	p.mu.Unlock()
	h := merge(map[string]any{"kid": k.kid, "alg": "RS256"}, header)
	in := Segment(h) + "." + Segment(claims)
	digest := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(nil, k.key, crypto.SHA256, digest[:])
	if err != nil {
		panic(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// Segment encodes v as a JWT segment: JSON, base64url without padding.
func Segment(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func merge(base, top map[string]any) map[string]any {
	for k, v := range top {
		if v == nil {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	return base
}

func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Jwk is one key of a JSON Web Key Set, as Cognito publishes it.
type Jwk struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// Jwks is the pool's key set document: every key, the signing key first.
func (p *Pool) Jwks() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	var set struct {
		Keys []Jwk `json:"keys"`
	}
	for _, k := range p.keys {
		set.Keys = append(set.Keys, Jwk{
			Alg: "RS256", Kty: "RSA", Use: "sig", Kid: k.kid,
			N: base64.RawURLEncoding.EncodeToString(k.key.N.Bytes()),
			E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.key.E)).Bytes()),
		})
	}
	b, _ := json.Marshal(set)
	return b
}

// JwksHandler serves JWKS to any GET, counting requests in fetches (may be
// nil) and answering after delay (or when the request is cancelled).
func (p *Pool) JwksHandler(fetches *atomic.Int64, delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fetches != nil {
			fetches.Add(1)
		}
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if r.Method != http.MethodGet {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(p.Jwks())
	})
}

// PoolID is the last path segment of the issuer.
func (p *Pool) PoolID() string {
	return p.Issuer[strings.LastIndexByte(p.Issuer, '/')+1:]
}

// Claims decodes a token's claims without verifying anything, for tests that
// re-sign or tamper with them; nil if the token is malformed.
func Claims(token string) map[string]any {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil
	}
	var m map[string]any
	if decodeSegment(parts[1], &m) != nil {
		return nil
	}
	return m
}

// Fresh is a pool with the same issuer, client and keys but none of this
// one's user API state, so tests can share one key (RSA keys take a while
// to make) without sharing users.
func (p *Pool) Fresh() *Pool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return &Pool{Issuer: p.Issuer, ClientID: p.ClientID, keys: append([]*signingKey(nil), p.keys...)}
}
