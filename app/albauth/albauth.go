// Package albauth verifies the identity an AWS Application Load Balancer
// passes to its targets after an authenticate-cognito (or -oidc) action.
//
// The ALB sends the signed-in user's claims in the x-amzn-oidc-data header: a
// JWT signed with ES256, whose header names the key (kid), the load balancer
// that signed it (signer), the app client (client) and the expiry (exp).
// Anyone who can reach the application some other way can forge that header,
// so an application must check it:
//
//	v, err := albauth.NewVerifier(albauth.Config{
//		Region:   "eu-west-1",
//		AlbArn:   "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188",
//		ClientID: "1example23456789",
//	})
//	claims, err := v.Verify(ctx, r.Header.Get(albauth.DataHeader))
//	http.Handle("/", v.Require(next)) // 401 unless verified; claims via albauth.ClaimsFrom(ctx)
//
// Keys are fetched once per kid from the region's public key endpoint and
// cached; concurrent first requests share one fetch; a fetch is bounded by a
// timeout, and an unreachable endpoint makes verification fail, never hang.
package albauth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Headers the ALB adds to authenticated requests.
const (
	DataHeader        = "x-amzn-oidc-data"        // signed JWT of the user's claims
	IdentityHeader    = "x-amzn-oidc-identity"    // the user's sub, unsigned
	AccessTokenHeader = "x-amzn-oidc-accesstoken" // the IdP's access token
)

// DefaultFetchTimeout bounds one public key fetch.
const DefaultFetchTimeout = 5 * time.Second

// maxKeySize bounds a key endpoint's answer; a PEM P-256 key is ~180 bytes.
const maxKeySize = 16 << 10

// Config configures a Verifier.
type Config struct {
	// Region of the load balancer; picks the public key endpoint, GovCloud included.
	// Required unless KeyURL is set.
	Region string
	// AlbArn is the load balancer that must have signed the token (its `signer`). Required.
	AlbArn string
	// ClientID is the app client the token must be for (its `client`). Required.
	ClientID string
	// KeyURL overrides the key endpoint: keys are read from KeyURL + "/" + kid.
	KeyURL string
	// HTTPClient fetches keys; default: a client with FetchTimeout.
	HTTPClient *http.Client
	// FetchTimeout bounds one key fetch; default DefaultFetchTimeout.
	FetchTimeout time.Duration
	// Now returns the current time; default time.Now (tests).
	Now func() time.Time
	// OnReject, if set, is told why Require refused a request (for logging).
	OnReject func(r *http.Request, err error)
}

// Claims are the verified user claims.
type Claims struct {
	Subject  string
	Email    string
	Username string
	// Groups are the Cognito groups, when the IdP includes cognito:groups.
	Groups []string
	// Expires is when the ALB's token expires.
	Expires time.Time

	payload string // the verified payload segment, for All
}

// All decodes every claim of the verified payload.
func (c *Claims) All() (map[string]any, error) {
	b, err := base64.URLEncoding.DecodeString(padded(c.payload))
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	return m, json.Unmarshal(b, &m)
}

func padded(seg string) string {
	if n := len(seg) % 4; n != 0 {
		seg += strings.Repeat("=", 4-n)
	}
	return seg
}

// payloadClaims is what Verify decodes: a few fields of a struct, not a map,
// because decoding is most of what Verify costs beyond the signature check.
// Claims are not validated by the parser (the ALB's exp is in the header,
// which keyFor checks), so the jwt.Claims getters report nothing.
type payloadClaims struct {
	Sub      string          `json:"sub"`
	Email    string          `json:"email"`
	Username string          `json:"username"`
	Exp      float64         `json:"exp"`
	Groups   json.RawMessage `json:"cognito:groups"`
}

func (payloadClaims) GetExpirationTime() (*jwt.NumericDate, error) { return nil, nil }
func (payloadClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return nil, nil }
func (payloadClaims) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (payloadClaims) GetIssuer() (string, error)                   { return "", nil }
func (payloadClaims) GetSubject() (string, error)                  { return "", nil }
func (payloadClaims) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// Errors Verify wraps, for errors.Is.
var (
	ErrMissing  = errors.New("albauth: no token")
	ErrInvalid  = errors.New("albauth: invalid token")
	ErrKeyFetch = errors.New("albauth: cannot fetch the public key")
)

// Verifier checks x-amzn-oidc-data tokens. It is safe for concurrent use.
type Verifier struct {
	cfg     Config
	keyBase string
	client  *http.Client
	parser  *jwt.Parser
	now     func() time.Time

	mu       sync.Mutex
	keys     map[string]*ecdsa.PublicKey
	inflight map[string]*fetch
}

type fetch struct {
	done chan struct{}
	key  *ecdsa.PublicKey
	err  error
}

// isUUID: the ALB's key ids are UUIDs (8-4-4-4-12 hex digits). Anything
// else never reaches a URL.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

var regionRe = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// NewVerifier returns a Verifier for one load balancer and app client.
func NewVerifier(cfg Config) (*Verifier, error) {
	if cfg.AlbArn == "" || cfg.ClientID == "" {
		return nil, errors.New("albauth: AlbArn and ClientID are required")
	}
	base := strings.TrimSuffix(cfg.KeyURL, "/")
	if base == "" {
		if !regionRe.MatchString(cfg.Region) {
			return nil, fmt.Errorf("albauth: Region %q is not an AWS region", cfg.Region)
		}
		base = KeyEndpoint(cfg.Region)
	}
	timeout := cfg.FetchTimeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	cfg.FetchTimeout = timeout
	return &Verifier{
		cfg:     cfg,
		keyBase: base,
		client:  client,
		// ES256 only: alg none, HS256 (an HMAC "signed" with the public key)
		// and RS256 are all refused before any key is used. ALB tokens pad
		// their base64url segments with '='.
		parser:   jwt.NewParser(jwt.WithValidMethods([]string{"ES256"}), jwt.WithPaddingAllowed(), jwt.WithoutClaimsValidation()),
		now:      now,
		keys:     map[string]*ecdsa.PublicKey{},
		inflight: map[string]*fetch{},
	}, nil
}

// KeyEndpoint is where the ALBs of a region publish their public keys.
func KeyEndpoint(region string) string {
	if strings.HasPrefix(region, "us-gov-") {
		return "https://s3-" + region + ".amazonaws.com/aws-elb-public-keys-prod-" + region
	}
	return "https://public-keys.auth.elb." + region + ".amazonaws.com"
}

// Verify checks a token's signature, signer, client and expiry, and returns its claims.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	if token == "" {
		return nil, ErrMissing
	}
	claims := &payloadClaims{}
	_, err := v.parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		return v.keyFor(ctx, t.Header)
	})
	if err != nil {
		if errors.Is(err, ErrKeyFetch) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return newClaims(claims, token)
}

// keyFor checks the token header and returns the key that must have signed it.
func (v *Verifier) keyFor(ctx context.Context, h map[string]any) (any, error) {
	if s, _ := h["signer"].(string); s != v.cfg.AlbArn {
		return nil, fmt.Errorf("signed by %q, not by this load balancer", s)
	}
	if c, _ := h["client"].(string); c != v.cfg.ClientID {
		return nil, fmt.Errorf("issued for client %q, not %q", c, v.cfg.ClientID)
	}
	exp, ok := h["exp"].(float64)
	if !ok {
		return nil, errors.New("no exp in the header")
	}
	if !v.now().Before(time.Unix(int64(exp), 0)) {
		return nil, errors.New("expired")
	}
	kid, _ := h["kid"].(string)
	if !isUUID(kid) {
		return nil, errors.New("kid is not a UUID")
	}
	return v.key(ctx, kid)
}

// key returns the cached key for kid, fetching it once however many
// requests ask at the same time. Failures are not cached.
func (v *Verifier) key(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	v.mu.Lock()
	if k, ok := v.keys[kid]; ok {
		v.mu.Unlock()
		return k, nil
	}
	f, running := v.inflight[kid]
	if !running {
		f = &fetch{done: make(chan struct{})}
		v.inflight[kid] = f
	}
	v.mu.Unlock()

	if !running {
		// The fetch is shared, so it must not die with the first caller's
		// context; the client's timeout bounds it.
		f.key, f.err = v.fetchKey(context.WithoutCancel(ctx), kid)
		v.mu.Lock()
		if f.err == nil {
			v.keys[kid] = f.key
		}
		delete(v.inflight, kid)
		v.mu.Unlock()
		close(f.done)
	}
	select {
	case <-f.done:
		return f.key, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %v", ErrKeyFetch, ctx.Err())
	}
}

func (v *Verifier) fetchKey(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	body, err := getKeys(ctx, v.client, v.keyBase+"/"+kid, v.cfg.FetchTimeout, maxKeySize)
	if err != nil {
		return nil, err
	}
	return parseKey(body)
}

// getKeys GETs a key endpoint within timeout and returns at most limit
// bytes of a 200 answer; every failure wraps ErrKeyFetch.
func getKeys(ctx context.Context, client *http.Client, url string, timeout time.Duration, limit int64) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyFetch, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyFetch, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s", ErrKeyFetch, url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyFetch, err)
	}
	return body, nil
}

// parseKey reads a PEM-encoded P-256 public key.
func parseKey(pemBytes []byte) (*ecdsa.PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, fmt.Errorf("%w: the key is not PEM", ErrKeyFetch)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyFetch, err)
	}
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, fmt.Errorf("%w: the key is not an ECDSA P-256 key", ErrKeyFetch)
	}
	return k, nil
}

func newClaims(p *payloadClaims, token string) (*Claims, error) {
	if p.Sub == "" {
		return nil, fmt.Errorf("%w: no sub claim", ErrInvalid)
	}
	c := &Claims{Subject: p.Sub, Email: p.Email, Username: p.Username}
	if p.Exp > 0 {
		c.Expires = time.Unix(int64(p.Exp), 0)
	}
	c.Groups = parseGroups(p.Groups)
	first := strings.IndexByte(token, '.')
	c.payload = token[first+1 : first+1+strings.IndexByte(token[first+1:], '.')]
	return c, nil
}

// parseGroups reads cognito:groups: a list, or (from some IdPs) one string
// such as "[a, b]" or "a b".
func parseGroups(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var groups []string
	if json.Unmarshal(raw, &groups) != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			groups = strings.FieldsFunc(strings.Trim(s, "[]"), func(r rune) bool { return r == ',' || r == ' ' })
		}
	}
	return groups
}

type ctxKey struct{}

// ClaimsFrom returns the claims Require put in a request's context.
func ClaimsFrom(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(ctxKey{}).(*Claims)
	return c, ok
}

// WithClaims returns a context carrying claims (for tests of handlers).
func WithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// Require passes on only requests whose x-amzn-oidc-data verifies, with the
// claims in the request context; anything else gets 401.
func (v *Verifier) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := v.Verify(r.Context(), r.Header.Get(DataHeader))
		if err != nil {
			if v.cfg.OnReject != nil {
				v.cfg.OnReject(r, err)
			}
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithClaims(r.Context(), c)))
	})
}
