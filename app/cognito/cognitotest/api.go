package cognitotest

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// The wire protocol of the cognito-idp endpoint (awsJson1_1).
const (
	TargetPrefix = "AWSCognitoIdentityProviderService."
	ContentType  = "application/x-amz-json-1.1"
)

// APIError is an error the fake endpoint answers, in Cognito's format: an
// HTTP status, and a JSON body {"__type": Type, "message": Message}.
type APIError struct {
	Status  int
	Type    string
	Message string
}

type apiState struct {
	mu    sync.Mutex
	users map[string]*apiUser // by username
	calls map[string]int
	fail  map[string]*APIError
}

type apiUser struct {
	pending            string // secret from AssociateSoftwareToken, not yet verified
	secret             string // verified secret
	device             string
	enabled, preferred bool
}

// Handler is a fake cognito-idp endpoint for this pool: GET
// /<poolId>/.well-known/jwks.json, and POST / with the user API operations
// GetUser, AssociateSoftwareToken, VerifySoftwareToken and
// SetUserMFAPreference. Every operation checks its request as Cognito does:
// the X-Amz-Target and Content-Type headers, and an AccessToken signed by
// this pool, for its client, unexpired, with the aws.cognito.signin.user.admin
// scope (NotAuthorizedException otherwise).
func (p *Pool) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /"+p.PoolID()+"/.well-known/jwks.json", p.JwksHandler(nil, 0))
	mux.HandleFunc("POST /{$}", p.serveAPI)
	return mux
}

// Fail makes every later call of op answer e (nil: succeed again).
func (p *Pool) Fail(op string, e *APIError) {
	p.api.mu.Lock()
	defer p.api.mu.Unlock()
	if p.api.fail == nil {
		p.api.fail = map[string]*APIError{}
	}
	p.api.fail[op] = e
}

// Calls is how many requests named op in X-Amz-Target.
func (p *Pool) Calls(op string) int {
	p.api.mu.Lock()
	defer p.api.mu.Unlock()
	return p.api.calls[op]
}

// Mfa reports a user's authenticator-app state: whether software-token Mfa is
// enabled and preferred, and the device name it was verified with.
func (p *Pool) Mfa(username string) (enabled, preferred bool, device string) {
	p.api.mu.Lock()
	defer p.api.mu.Unlock()
	if u := p.api.users[username]; u != nil {
		return u.enabled, u.preferred, u.device
	}
	return false, false, ""
}

type apiRequest struct {
	AccessToken              string
	UserCode                 string
	FriendlyDeviceName       string
	SoftwareTokenMfaSettings *struct{ Enabled, PreferredMfa bool }
}

func (p *Pool) serveAPI(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != ContentType {
		writeErr(w, &APIError{400, "SerializationException", "Content-Type must be " + ContentType + ", not " + ct})
		return
	}
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
	if !ok {
		writeErr(w, &APIError{400, "UnknownOperationException", "no X-Amz-Target"})
		return
	}
	var req apiRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeErr(w, &APIError{400, "SerializationException", err.Error()})
		return
	}

	s := &p.api
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]int{}
		s.users = map[string]*apiUser{}
	}
	s.calls[op]++
	if e := s.fail[op]; e != nil {
		writeErr(w, e)
		return
	}
	if req.AccessToken == "" {
		writeErr(w, &APIError{400, "InvalidParameterException", "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must not be null"})
		return
	}
	claims, apiErr := p.checkAccessToken(req.AccessToken)
	if apiErr != nil {
		writeErr(w, apiErr)
		return
	}
	u := s.users[claims.Username]
	if u == nil {
		u = &apiUser{}
		s.users[claims.Username] = u
	}

	switch op {
	case "GetUser":
		out := map[string]any{
			"Username":       claims.Username,
			"UserAttributes": []map[string]string{{"Name": "sub", "Value": claims.Sub}},
		}
		if u.enabled { // Cognito leaves both out when no MFA is set up
			out["UserMFASettingList"] = []string{"SOFTWARE_TOKEN_MFA"}
		}
		if u.preferred {
			out["PreferredMfaSetting"] = "SOFTWARE_TOKEN_MFA"
		}
		writeJSON(w, out)
	case "AssociateSoftwareToken":
		key := make([]byte, 20)
		_, _ = rand.Read(key)
		u.pending = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key)
		writeJSON(w, map[string]any{"SecretCode": u.pending})
	case "VerifySoftwareToken":
		if u.pending == "" {
			writeErr(w, &APIError{400, "EnableSoftwareTokenMFAException", "Software token has not been associated with the user"})
			return
		}
		if !validCode(u.pending, req.UserCode, time.Now()) {
			writeErr(w, &APIError{400, "CodeMismatchException", "Invalid code received for user"})
			return
		}
		u.secret, u.pending, u.device = u.pending, "", req.FriendlyDeviceName
		writeJSON(w, map[string]any{"Status": "SUCCESS"})
	case "SetUserMFAPreference":
		if st := req.SoftwareTokenMfaSettings; st != nil {
			if st.Enabled && u.secret == "" {
				writeErr(w, &APIError{400, "InvalidParameterException", "User has not verified software token mfa"})
				return
			}
			u.enabled, u.preferred = st.Enabled, st.Enabled && st.PreferredMfa
		}
		writeJSON(w, map[string]any{})
	default:
		writeErr(w, &APIError{400, "UnknownOperationException", "the fake does not implement " + op})
	}
}

type accessClaims struct {
	Iss, Sub, Username, Scope string
	ClientID                  string  `json:"client_id"`
	TokenUse                  string  `json:"token_use"`
	Exp                       float64 `json:"exp"`
}

// checkAccessToken checks a token as Cognito checks the AccessToken of a user
// API call; it shares no code with albauth, so each checks the other.
func (p *Pool) checkAccessToken(tok string) (*accessClaims, *APIError) {
	invalid := &APIError{400, "NotAuthorizedException", "Invalid Access Token"}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, invalid
	}
	var h struct{ Kid, Alg string }
	if decodeSegment(parts[0], &h) != nil || h.Alg != "RS256" {
		return nil, invalid
	}
	var pub *rsa.PublicKey
	p.mu.Lock()
	for _, k := range p.keys {
		if k.kid == h.Kid {
			pub = &k.key.PublicKey
		}
	}
	p.mu.Unlock()
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if pub == nil || err != nil {
		return nil, invalid
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
		return nil, invalid
	}
	var c accessClaims
	if decodeSegment(parts[1], &c) != nil || c.Iss != p.Issuer || c.TokenUse != "access" || c.ClientID != p.ClientID || c.Username == "" {
		return nil, invalid
	}
	if time.Now().After(time.Unix(int64(c.Exp), 0)) {
		return nil, &APIError{400, "NotAuthorizedException", "Access Token has expired"}
	}
	if !slices.Contains(strings.Fields(c.Scope), AdminScope) {
		return nil, &APIError{400, "NotAuthorizedException", "Access Token does not have required scopes"}
	}
	return &c, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", ContentType)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, e *APIError) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("X-Amzn-ErrorType", e.Type+":")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Type, "message": e.Message})
}

// validCode accepts the code of the current 30-second step or a neighbour,
// as authenticator apps and servers allow for clock drift.
func validCode(secret, code string, now time.Time) bool {
	for _, d := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
		if want, err := Totp(secret, now.Add(d)); err == nil && hmac.Equal([]byte(want), []byte(code)) {
			return true
		}
	}
	return false
}

// Totp is the authenticator-app code for a base32 secret (as Cognito's
// AssociateSoftwareToken returns it) at time t: RFC 6238 with HMAC-SHA1,
// 30-second steps from the Unix epoch, and 6 digits.
func Totp(secret string, t time.Time) (string, error) {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", fmt.Errorf("the secret is not base32: %w", err)
	}
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(t.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(counter[:])
	sum := mac.Sum(nil)
	// RFC 4226 dynamic truncation: 31 bits at the offset the last nibble names.
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", code%1_000_000), nil
}
