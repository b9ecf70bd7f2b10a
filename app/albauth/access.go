package albauth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Defaults for AccessConfig.
const (
	// DefaultRefetchInterval: at most one key set fetch per interval after
	// the first (the back-off awslabs/aws-jwt-verify's penalty box uses).
	DefaultRefetchInterval = 10 * time.Second
	// DefaultLeeway is how long past its exp an access token is still taken,
	// for clock skew between the pool, the ALB and this host.
	DefaultLeeway = 30 * time.Second
)

// Limits on what an access verifier reads.
const (
	maxJwksSize  = 64 << 10 // Cognito's set of two keys is ~1 KB
	maxTokenSize = 16 << 10 // the ALB's limit on claims and token together is 11K
	minRsaBits   = 2048
	maxRsaBits   = 8192 // a bigger key is a cost, not security
)

// AccessConfig configures an AccessVerifier.
type AccessConfig struct {
	// Issuer is the user pool: https://cognito-idp.<region>.amazonaws.com/<poolId>.
	// A token's iss must equal it exactly. Required.
	Issuer string
	// ClientID is the app client a token must be issued to (its client_id). Required.
	ClientID string
	// JwksURL overrides where the pool's keys are read; default Issuer + "/.well-known/jwks.json".
	JwksURL string
	// HTTPClient fetches the key set; default: a client with FetchTimeout.
	HTTPClient *http.Client
	// FetchTimeout bounds one key set fetch; default DefaultFetchTimeout.
	FetchTimeout time.Duration
	// RefetchInterval is the least time between two key set fetches; default DefaultRefetchInterval.
	RefetchInterval time.Duration
	// Leeway is how long after exp a token is still accepted; default DefaultLeeway.
	Leeway time.Duration
	// Now returns the current time; default time.Now (tests).
	Now func() time.Time
	// OnReject, if set, is told why Require refused a request (for logging).
	OnReject func(r *http.Request, err error)
}

// AccessClaims are the verified claims of an access token.
type AccessClaims struct {
	Subject  string
	Username string
	ClientID string
	// Scopes are the OAuth scopes granted (the space-separated scope claim).
	Scopes []string
	// Groups are the user's Cognito groups (cognito:groups).
	Groups []string
	// Expires is when the token expires.
	Expires time.Time
	// OriginJti is the same for every access token of one sign-in, refreshes
	// included; Jti names this one token. Either may be empty.
	OriginJti, Jti string

	token   string // the verified token, for calls to Cognito on the user's behalf
	payload string
}

// Token is the verified access token itself, for calls to the user pool's
// API on the user's behalf. Treat it as a password: never log or show it.
func (c *AccessClaims) Token() string { return c.token }

// HasScope reports whether the token grants scope.
func (c *AccessClaims) HasScope(scope string) bool { return slices.Contains(c.Scopes, scope) }

// InGroup reports whether the user is in group.
func (c *AccessClaims) InGroup(group string) bool { return slices.Contains(c.Groups, group) }

// All decodes every claim of the verified payload.
func (c *AccessClaims) All() (map[string]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.payload, "="))
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	return m, json.Unmarshal(b, &m)
}

// accessPayload is what Verify decodes (a struct: decoding is most of the cost
// beyond the signature). The parser does not validate claims; Verify does.
type accessPayload struct {
	Iss       string          `json:"iss"`
	Sub       string          `json:"sub"`
	Username  string          `json:"username"`
	ClientID  string          `json:"client_id"`
	TokenUse  string          `json:"token_use"`
	Scope     string          `json:"scope"`
	Exp       float64         `json:"exp"`
	Jti       string          `json:"jti"`
	OriginJti string          `json:"origin_jti"`
	Groups    json.RawMessage `json:"cognito:groups"`
}

func (accessPayload) GetExpirationTime() (*jwt.NumericDate, error) { return nil, nil }
func (accessPayload) GetIssuedAt() (*jwt.NumericDate, error)       { return nil, nil }
func (accessPayload) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (accessPayload) GetIssuer() (string, error)                   { return "", nil }
func (accessPayload) GetSubject() (string, error)                  { return "", nil }
func (accessPayload) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// AccessVerifier checks x-amzn-oidc-accesstoken tokens. The access token is
// the user pool's own token, not the ALB's: a JWT signed RS256 by one of the
// pool's keys, published at <issuer>/.well-known/jwks.json. It carries what
// the pool grants the user: cognito:groups and the OAuth scopes.
//
//	av, err := albauth.NewAccessVerifier(albauth.AccessConfig{
//		Issuer:   "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12",
//		ClientID: "1example23456789",
//	})
//	claims, err := av.Verify(ctx, r.Header.Get(albauth.AccessTokenHeader))
//
// The key set is fetched on first use and cached; concurrent first requests
// share one fetch. A token naming a key the cache does not hold makes it
// fetch the set again (the pool rotated its keys), but never sooner than
// RefetchInterval after the last fetch, so forged key ids cannot hammer the
// endpoint. A fetch is bounded by FetchTimeout: an unreachable key set means
// an error (401 through Require), never a hang.
//
// It is safe for concurrent use.
type AccessVerifier struct {
	cfg    AccessConfig
	parser *jwt.Parser
	keys   *jwksCache
}

// NewAccessVerifier returns an AccessVerifier for one user pool and app client.
func NewAccessVerifier(cfg AccessConfig) (*AccessVerifier, error) {
	if cfg.ClientID == "" {
		return nil, errors.New("albauth: ClientID is required")
	}
	if u, err := url.Parse(cfg.Issuer); err != nil || u.Scheme != "https" || u.Host == "" || strings.HasSuffix(cfg.Issuer, "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("albauth: Issuer %q is not an https URL such as https://cognito-idp.<region>.amazonaws.com/<poolId>", cfg.Issuer)
	}
	jwksURL := cfg.JwksURL
	if jwksURL == "" {
		jwksURL = cfg.Issuer + "/.well-known/jwks.json"
	} else if u, err := url.Parse(jwksURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("albauth: JwksURL %q is not an absolute URL", jwksURL)
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = DefaultFetchTimeout
	}
	if cfg.RefetchInterval <= 0 {
		cfg.RefetchInterval = DefaultRefetchInterval
	}
	if cfg.Leeway <= 0 {
		cfg.Leeway = DefaultLeeway
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: cfg.FetchTimeout}
	}
	return &AccessVerifier{
		cfg: cfg,
		// RS256 only: none, HS256 (an HMAC keyed with the public key) and
		// ES256 are refused before any key is used. Cognito does not pad.
		parser: jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation()),
		keys: &jwksCache{
			url: jwksURL, client: client, timeout: cfg.FetchTimeout,
			interval: cfg.RefetchInterval, now: cfg.Now,
		},
	}, nil
}

// Verify checks an access token's signature, issuer, token_use, client_id and
// expiry, and returns its claims. The claims are checked before the key is
// looked up, so a token that could never pass causes no key set fetch.
func (v *AccessVerifier) Verify(ctx context.Context, token string) (*AccessClaims, error) {
	if token == "" {
		return nil, ErrMissing
	}
	if len(token) > maxTokenSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrInvalid, len(token))
	}
	p := &accessPayload{}
	_, err := v.parser.ParseWithClaims(token, p, func(t *jwt.Token) (any, error) {
		if err := v.checkClaims(p); err != nil {
			return nil, err
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("no kid")
		}
		return v.keys.key(ctx, kid)
	})
	if err != nil {
		if errors.Is(err, ErrKeyFetch) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	first := strings.IndexByte(token, '.')
	return &AccessClaims{
		Subject: p.Sub, Username: p.Username, ClientID: p.ClientID,
		Scopes: strings.Fields(p.Scope), Groups: parseGroups(p.Groups),
		Expires: time.Unix(int64(p.Exp), 0), OriginJti: p.OriginJti, Jti: p.Jti,
		token: token, payload: token[first+1 : first+1+strings.IndexByte(token[first+1:], '.')],
	}, nil
}

func (v *AccessVerifier) checkClaims(p *accessPayload) error {
	switch {
	case p.Iss != v.cfg.Issuer:
		return fmt.Errorf("issued by %q, not %q", p.Iss, v.cfg.Issuer)
	case p.TokenUse != "access":
		return fmt.Errorf("token_use is %q, not access", p.TokenUse)
	case p.ClientID != v.cfg.ClientID:
		return fmt.Errorf("issued for client %q, not %q", p.ClientID, v.cfg.ClientID)
	case p.Exp <= 0:
		return errors.New("no exp")
	case !v.cfg.Now().Before(time.Unix(int64(p.Exp), 0).Add(v.cfg.Leeway)):
		return errors.New("expired")
	case p.Sub == "":
		return errors.New("no sub")
	}
	return nil
}

type accessCtxKey struct{}

// AccessClaimsFrom returns the access claims Guard or AccessVerifier.Require
// put in a request's context.
func AccessClaimsFrom(ctx context.Context) (*AccessClaims, bool) {
	c, ok := ctx.Value(accessCtxKey{}).(*AccessClaims)
	return c, ok
}

// WithAccessClaims returns a context carrying access claims (for tests of handlers).
func WithAccessClaims(ctx context.Context, c *AccessClaims) context.Context {
	return context.WithValue(ctx, accessCtxKey{}, c)
}

// Require passes on only requests whose x-amzn-oidc-accesstoken verifies,
// with the claims in the request context; anything else gets 401.
func (v *AccessVerifier) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := v.Verify(r.Context(), r.Header.Get(AccessTokenHeader))
		if err != nil {
			if v.cfg.OnReject != nil {
				v.cfg.OnReject(r, err)
			}
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithAccessClaims(r.Context(), c)))
	})
}

// jwksCache holds a user pool's RSA keys by kid.
type jwksCache struct {
	url      string
	client   *http.Client
	timeout  time.Duration
	interval time.Duration
	now      func() time.Time

	mu       sync.Mutex
	keys     map[string]*rsa.PublicKey
	last     time.Time // when the last fetch started; zero before the first
	lastErr  error     // how the last fetch failed, nil if it did not
	inflight *jwksFetch
}

type jwksFetch struct {
	done chan struct{}
}

// key returns the key named kid. An unknown kid starts a fetch of the whole
// set, unless one ran less than interval ago; concurrent callers share one
// fetch, and each may leave when its own context ends.
func (c *jwksCache) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	c.mu.Lock()
	if k, ok := c.keys[kid]; ok {
		c.mu.Unlock()
		return k, nil
	}
	f := c.inflight
	if f == nil {
		if !c.last.IsZero() && c.now().Sub(c.last) < c.interval {
			err := c.lastErr
			c.mu.Unlock()
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("no key %q in the pool's key set", kid)
		}
		f = &jwksFetch{done: make(chan struct{})}
		c.inflight, c.last = f, c.now()
		go c.refresh(f)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %v", ErrKeyFetch, ctx.Err())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.keys[kid]; ok {
		return k, nil
	}
	if c.lastErr != nil {
		return nil, c.lastErr
	}
	return nil, fmt.Errorf("no key %q in the pool's key set", kid)
}

// refresh fetches the set and replaces the cached keys (a key the pool no
// longer publishes stops verifying); a failed fetch keeps the old ones.
func (c *jwksCache) refresh(f *jwksFetch) {
	keys, err := c.fetch()
	c.mu.Lock()
	if err == nil {
		c.keys = keys
	}
	c.lastErr = err
	c.inflight = nil
	c.mu.Unlock()
	close(f.done)
}

func (c *jwksCache) fetch() (map[string]*rsa.PublicKey, error) {
	body, err := getKeys(context.Background(), c.client, c.url, c.timeout, maxJwksSize)
	if err != nil {
		return nil, err
	}
	return parseJwks(body)
}

// parseJwks reads the RS256 signing keys of a JSON Web Key Set by kid. Keys
// of another type, algorithm or use are skipped; a set without one usable
// key is an error (wrapping ErrKeyFetch).
func parseJwks(body []byte) (map[string]*rsa.PublicKey, error) {
	var set struct {
		Keys []struct{ Kty, Alg, Use, Kid, N, E string }
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("%w: the key set is not JSON: %v", ErrKeyFetch, err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Alg != "" && k.Alg != "RS256" || k.Use != "" && k.Use != "sig" || k.Kid == "" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.N, "="))
		e, errE := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.E, "="))
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			continue
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if bits := pub.N.BitLen(); bits < minRsaBits || bits > maxRsaBits || pub.E < 3 || pub.E%2 == 0 {
			continue
		}
		keys[k.Kid] = pub
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no RS256 signing key in the key set", ErrKeyFetch)
	}
	return keys, nil
}
