package cognito_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/example/alb-cognito-fargate/app/cognito"
	"github.com/example/alb-cognito-fargate/app/cognito/cognitotest"
)

func newPool(t *testing.T) (*cognitotest.Pool, *cognito.Client) {
	t.Helper()
	p, err := cognitotest.NewPool(cognitotest.ExampleIssuer, cognitotest.ExampleClientID)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p.Handler())
	t.Cleanup(srv.Close)
	return p, &cognito.Client{Endpoint: srv.URL + "/"}
}

var ada = map[string]any{"sub": "1f8c0a34-2b1d-4c3e-9f5a-6b7c8d9e0f1a", "username": "ada"}

// The whole authenticator-app enrolment, against a pool that checks every
// request as Cognito does.
func TestTotpEnrolment(t *testing.T) {
	p, c := newPool(t)
	ctx := context.Background()
	tok := p.AccessToken(ada, time.Now().Add(time.Hour))

	u, err := c.GetUser(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "ada" || u.Attributes["sub"] != ada["sub"] || u.HasTotp() || u.PreferredMfa != "" {
		t.Fatalf("before enrolment: %+v", u)
	}
	secret, err := c.AssociateSoftwareToken(ctx, tok)
	if err != nil || len(secret) < 16 {
		t.Fatalf("secret %q, %v", secret, err)
	}
	code, err := cognitotest.Totp(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	if err := c.VerifySoftwareToken(ctx, tok, wrong, "Phone"); !cognito.IsError(err, cognito.CodeMismatch) {
		t.Fatalf("a wrong code: %v, want CodeMismatchException", err)
	}
	if err := c.VerifySoftwareToken(ctx, tok, code, "Phone"); err != nil {
		t.Fatalf("the right code: %v", err)
	}
	if err := c.PreferTotp(ctx, tok); err != nil {
		t.Fatal(err)
	}
	u, err = c.GetUser(ctx, tok)
	if err != nil || !u.HasTotp() || u.PreferredMfa != cognito.SoftwareTokenMfa {
		t.Fatalf("after enrolment: %+v, %v", u, err)
	}
	if enabled, preferred, device := p.Mfa("ada"); !enabled || !preferred || device != "Phone" {
		t.Errorf("the pool holds enabled=%v preferred=%v device=%q", enabled, preferred, device)
	}
}

// Tokens Cognito would refuse come back as NotAuthorizedException, with
// Cognito's message (the service tells a missing scope from the rest by it).
func TestRefusedTokens(t *testing.T) {
	p, c := newPool(t)
	other, _ := cognitotest.NewPool(cognitotest.ExampleIssuer, cognitotest.ExampleClientID)
	exp := time.Now().Add(time.Hour)
	for name, tc := range map[string]struct{ token, msg string }{
		"no admin scope": {p.AccessToken(map[string]any{"sub": "s", "username": "ada", "scope": "openid email"}, exp), "scopes"},
		"an ID token":    {p.IDToken(ada, exp), "Invalid"},
		"another pool":   {other.AccessToken(ada, exp), "Invalid"},
		"expired":        {p.AccessToken(ada, time.Now().Add(-time.Minute)), "expired"},
	} {
		_, err := c.GetUser(context.Background(), tc.token)
		var e *cognito.Error
		if !errors.As(err, &e) || e.Type != cognito.NotAuthorized || e.Status != 400 || !strings.Contains(e.Message, tc.msg) || e.Op != "GetUser" {
			t.Errorf("%s: %#v", name, err)
		}
	}
}

// What goes on the wire: a POST of JSON with Cognito's target and content
// type, the token in the body, and no credentials.
func TestRequestFormat(t *testing.T) {
	var got []*http.Request
	var bodies []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		got, bodies = append(got, r), append(bodies, b)
		_, _ = io.WriteString(w, `{"Status":"SUCCESS"}`)
	}))
	defer srv.Close()
	c := &cognito.Client{Endpoint: srv.URL + "/"}
	if err := c.VerifySoftwareToken(context.Background(), "tok", "123456", "My phone"); err != nil {
		t.Fatal(err)
	}
	if err := c.PreferTotp(context.Background(), "tok"); err != nil {
		t.Fatal(err)
	}
	for i, op := range []string{"VerifySoftwareToken", "SetUserMFAPreference"} {
		r := got[i]
		if r.Method != "POST" || r.URL.Path != "/" || r.Header.Get("X-Amz-Target") != "AWSCognitoIdentityProviderService."+op ||
			r.Header.Get("Content-Type") != "application/x-amz-json-1.1" || r.Header.Get("Authorization") != "" {
			t.Errorf("%s: %s %s %v", op, r.Method, r.URL, r.Header)
		}
	}
	if b := bodies[0]; b["AccessToken"] != "tok" || b["UserCode"] != "123456" || b["FriendlyDeviceName"] != "My phone" {
		t.Errorf("VerifySoftwareToken body %v", b)
	}
	st, _ := bodies[1]["SoftwareTokenMfaSettings"].(map[string]any)
	if bodies[1]["AccessToken"] != "tok" || st["Enabled"] != true || st["PreferredMfa"] != true {
		t.Errorf("SetUserMFAPreference body %v", bodies[1])
	}
}

// Error answers in each form the protocol allows, and ones that are not
// Cognito's at all, become *Error; a status ERROR is ErrNotVerified.
func TestErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		status       int
		header, body string
		typ, msg     string
	}{
		"plain __type":      {400, "", `{"__type":"CodeMismatchException","message":"Invalid code received for user"}`, cognito.CodeMismatch, "Invalid code received for user"},
		"namespaced __type": {400, "", `{"__type":"com.amazonaws.cognito.identity.idp.model#NotAuthorizedException","Message":"Access Token has been revoked"}`, cognito.NotAuthorized, "Access Token has been revoked"},
		"header only":       {400, "TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.service/", `{}`, cognito.TooManyRequests, ""},
		"a proxy's 502":     {502, "", `<html>Bad Gateway</html>`, "", "Bad Gateway"},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.header != "" {
				w.Header().Set("X-Amzn-ErrorType", tc.header)
			}
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		}))
		_, err := (&cognito.Client{Endpoint: srv.URL}).GetUser(context.Background(), "tok")
		srv.Close()
		var e *cognito.Error
		if !errors.As(err, &e) || e.Status != tc.status || e.Type != tc.typ || e.Message != tc.msg {
			t.Errorf("%s: %#v", name, err)
		}
		if strings.Contains(err.Error(), "tok") && !strings.Contains(tc.msg, "tok") {
			t.Errorf("%s: the error repeats the access token: %v", name, err)
		}
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"Status":"ERROR"}`)
	}))
	defer srv.Close()
	if err := (&cognito.Client{Endpoint: srv.URL}).VerifySoftwareToken(context.Background(), "tok", "1", ""); !errors.Is(err, cognito.ErrNotVerified) {
		t.Errorf("status ERROR: %v", err)
	}
}

// An endpoint that hangs gives an error within the client's timeout.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c := &cognito.Client{Endpoint: srv.URL, HTTPClient: &http.Client{Timeout: 100 * time.Millisecond}}
	start := time.Now()
	if _, err := c.GetUser(context.Background(), "tok"); err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if got := cognito.Endpoint("eu-west-1"); got != "https://cognito-idp.eu-west-1.amazonaws.com/" {
		t.Errorf("Endpoint = %s", got)
	}
}
