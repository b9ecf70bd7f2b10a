// Package cognito calls the Amazon Cognito user pool API on a signed-in
// user's behalf. The operations it offers are authorised by the user's own
// access token (with the aws.cognito.signin.user.admin scope), so it needs no
// AWS credentials and no SDK: each is a POST of JSON to the pool's regional
// endpoint, named by the X-Amz-Target header (the awsJson1_1 protocol).
//
//	c := &cognito.Client{Endpoint: cognito.Endpoint("eu-west-1")}
//	u, err := c.GetUser(ctx, accessToken)
//	if u.HasTotp() { ... }
//
// Errors from Cognito are *Error values with Cognito's exception name:
//
//	if cognito.IsError(err, cognito.CodeMismatch) { ... }
package cognito

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// ScopeUserAdmin is the OAuth scope an access token needs for these operations.
const ScopeUserAdmin = "aws.cognito.signin.user.admin"

// SoftwareTokenMfa names authenticator-app (TOTP) MFA in Cognito's answers.
const SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA"

// Exception names the service handles.
const (
	NotAuthorized          = "NotAuthorizedException"          // bad, expired or revoked token, or a missing scope
	CodeMismatch           = "CodeMismatchException"           // the TOTP code is wrong
	EnableSoftwareTokenMfa = "EnableSoftwareTokenMFAException" // no token associated, or the code did not verify
	TooManyRequests        = "TooManyRequestsException"
	LimitExceeded          = "LimitExceededException"
)

// DefaultTimeout bounds one call when Client.HTTPClient is nil.
const DefaultTimeout = 10 * time.Second

// maxResponse bounds what a call reads; GetUser for a user with many
// attributes is a few KB.
const maxResponse = 256 << 10

// Endpoint is the user pool API endpoint of a region.
func Endpoint(region string) string {
	return "https://cognito-idp." + region + ".amazonaws.com/"
}

// Client calls one endpoint. The zero value is not usable: set Endpoint.
type Client struct {
	// Endpoint is the API's URL, https://cognito-idp.<region>.amazonaws.com/.
	Endpoint string
	// HTTPClient makes the calls; default: one with DefaultTimeout.
	HTTPClient *http.Client
}

// Error is an error Cognito answered.
type Error struct {
	Op      string // the operation called
	Status  int    // HTTP status
	Type    string // exception name, such as NotAuthorizedException; empty if Cognito named none
	Message string
}

func (e *Error) Error() string {
	t := e.Type
	if t == "" {
		t = fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("cognito %s: %s: %s", e.Op, t, e.Message)
}

// IsError reports whether err is a Cognito error of the exception typ.
func IsError(err error, typ string) bool {
	var e *Error
	return errors.As(err, &e) && e.Type == typ
}

// ErrNotVerified: VerifySoftwareToken answered status ERROR.
var ErrNotVerified = errors.New("cognito: the code did not verify")

// User is what GetUser tells about the signed-in user.
type User struct {
	Username   string
	Attributes map[string]string
	// MfaSettings are the MFA methods enabled (UserMFASettingList), such as SOFTWARE_TOKEN_MFA.
	MfaSettings []string
	// PreferredMfa is the method Cognito asks for first (PreferredMfaSetting); may be empty.
	PreferredMfa string
}

// HasTotp reports whether authenticator-app MFA is enabled for the user.
func (u *User) HasTotp() bool { return slices.Contains(u.MfaSettings, SoftwareTokenMfa) }

// GetUser returns the user the access token belongs to, with their MFA settings.
func (c *Client) GetUser(ctx context.Context, accessToken string) (*User, error) {
	var out struct {
		Username            string
		UserAttributes      []struct{ Name, Value string }
		UserMfaSettingList  []string `json:"UserMFASettingList"`
		PreferredMfaSetting string
	}
	if err := c.call(ctx, "GetUser", map[string]any{"AccessToken": accessToken}, &out); err != nil {
		return nil, err
	}
	u := &User{Username: out.Username, Attributes: map[string]string{}, MfaSettings: out.UserMfaSettingList, PreferredMfa: out.PreferredMfaSetting}
	for _, a := range out.UserAttributes {
		u.Attributes[a.Name] = a.Value
	}
	return u, nil
}

// AssociateSoftwareToken starts authenticator-app enrolment and returns the
// shared secret (base32) to put into the app.
func (c *Client) AssociateSoftwareToken(ctx context.Context, accessToken string) (string, error) {
	var out struct{ SecretCode string }
	if err := c.call(ctx, "AssociateSoftwareToken", map[string]any{"AccessToken": accessToken}, &out); err != nil {
		return "", err
	}
	if out.SecretCode == "" {
		return "", &Error{Op: "AssociateSoftwareToken", Status: http.StatusOK, Message: "no SecretCode in the answer"}
	}
	return out.SecretCode, nil
}

// VerifySoftwareToken checks a code from the app against the associated
// secret and, if it matches, registers the app under deviceName. A wrong code
// is a CodeMismatchException (or ErrNotVerified).
func (c *Client) VerifySoftwareToken(ctx context.Context, accessToken, code, deviceName string) error {
	in := map[string]any{"AccessToken": accessToken, "UserCode": code}
	if deviceName != "" {
		in["FriendlyDeviceName"] = deviceName
	}
	var out struct{ Status string }
	if err := c.call(ctx, "VerifySoftwareToken", in, &out); err != nil {
		return err
	}
	if out.Status != "SUCCESS" {
		return ErrNotVerified
	}
	return nil
}

// PreferTotp enables authenticator-app MFA for the user and makes it the
// preferred method (SetUserMFAPreference).
func (c *Client) PreferTotp(ctx context.Context, accessToken string) error {
	in := map[string]any{
		"AccessToken":              accessToken,
		"SoftwareTokenMfaSettings": map[string]bool{"Enabled": true, "PreferredMfa": true},
	}
	return c.call(ctx, "SetUserMFAPreference", in, &struct{}{})
}

// call POSTs one operation and decodes its answer into out.
func (c *Client) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("cognito %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("cognito %s: %w", op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("cognito %s: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		return parseError(op, resp, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Op: op, Status: resp.StatusCode, Message: "the answer is not JSON: " + err.Error()}
	}
	return nil
}

// parseError reads an awsJson1_1 error: the exception name is in the body's
// __type (possibly "namespace#Name") or the X-Amzn-ErrorType header
// ("Name:uri"); the message in message or Message.
func parseError(op string, resp *http.Response, data []byte) error {
	var body struct {
		Type     string `json:"__type"`
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	_ = json.Unmarshal(data, &body)
	typ := body.Type
	if typ == "" {
		typ = resp.Header.Get("X-Amzn-ErrorType")
	}
	if i := strings.LastIndexByte(typ, '#'); i >= 0 {
		typ = typ[i+1:]
	}
	if i := strings.IndexByte(typ, ':'); i >= 0 {
		typ = typ[:i]
	}
	msg := body.Message
	if msg == "" {
		msg = body.Message2
	}
	if msg == "" && typ == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &Error{Op: op, Status: resp.StatusCode, Type: typ, Message: msg}
}
