package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"rsc.io/qr"

	"github.com/example/alb-cognito-fargate/app/albauth"
	"github.com/example/alb-cognito-fargate/app/cognito"
)

// The account pages: whether an authenticator app (TOTP MFA) is set up, and
// setting one up. Each calls Cognito's user API with the user's own access
// token, which needs the aws.cognito.signin.user.admin scope:
//
//	GET  /account             GetUser: MFA status, and a button to set up
//	POST /account/mfa         AssociateSoftwareToken: the key, as text and QR code
//	POST /account/mfa/verify  VerifySoftwareToken with the typed code, then
//	                          SetUserMFAPreference; 303 back to /account

func init() {
	template.Must(pages.Parse(`
{{define "account"}}{{template "head" .}}<dl>
<dt>Signed in as</dt><dd>{{with .Claims.Email}}{{.}}{{else}}{{$.Claims.Username}}{{end}}</dd>
<dt>Authenticator app (MFA)</dt><dd id="mfa-status">{{if .Account.HasTotp}}set up{{else}}not set up{{end}}</dd>
</dl>
{{if .Account.HasTotp}}<p>When you sign in, Cognito asks for a code from your authenticator app{{if not .Account.Preferred}} whenever it asks for a second factor{{end}}.</p>{{end}}
<form method="post" action="/account/mfa"><input type="hidden" name="csrf" value="{{.Account.Csrf}}">
<button id="mfa-start" type="submit">{{if .Account.HasTotp}}Replace the authenticator app{{else}}Set up an authenticator app{{end}}</button></form>
{{template "nav" .}}{{end}}

{{define "enrol"}}{{template "head" .}}{{with .Account}}
{{if .Error}}<p id="mfa-error" class="error">{{.Error}}</p>{{end}}
{{if .Secret}}<p>Scan this code with your authenticator app, or type the key into it.</p>
{{if .Qr}}<p><img id="mfa-qr" src="{{.Qr}}" width="{{.QrSize}}" height="{{.QrSize}}" alt="QR code of the key"></p>{{end}}
<p>Key: <code id="mfa-secret">{{.Secret}}</code></p>{{end}}
<form method="post" action="/account/mfa/verify"><input type="hidden" name="csrf" value="{{.Csrf}}">
<p><label>Code from the app <input id="mfa-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required></label></p>
<p><label>Name of this device <input id="mfa-device" name="device" value="{{.Device}}" maxlength="64"></label></p>
<p><button id="mfa-verify" type="submit">Verify and turn on</button></p></form>
<form method="post" action="/account/mfa"><input type="hidden" name="csrf" value="{{.Csrf}}">
<p><button id="mfa-restart" type="submit">Start again with a new key</button></p></form>
{{end}}{{template "nav" .}}{{end}}
`))
}

// accountView is what the account pages show.
type accountView struct {
	HasTotp, Preferred bool
	Csrf               string
	Secret             string       // enrol: the key from AssociateSoftwareToken
	Qr                 template.URL // enrol: a PNG data URI of the otpauth URI
	QrSize             int
	Device             string
	Error              string
}

const (
	defaultDevice = "Authenticator app"
	maxDevice     = 64
	maxForm       = 8 << 10
	scopeMissing  = "Your sign-in does not include the scope " + cognito.ScopeUserAdmin +
		", which Cognito needs before you may manage your own MFA. The app client and the load balancer's sign-in rule must both ask for it; once they do, sign out and sign in again."
)

func identity(r *http.Request) (*albauth.Claims, *albauth.AccessClaims) {
	c, _ := albauth.ClaimsFrom(r.Context())
	a, _ := albauth.AccessClaimsFrom(r.Context())
	return c, a
}

func (s *service) account(w http.ResponseWriter, r *http.Request) {
	c, a := identity(r)
	if !s.canCallCognito(w, a) {
		return
	}
	u, err := s.idp.GetUser(r.Context(), a.Token())
	if err != nil {
		s.cognitoFailed(w, r, err)
		return
	}
	view := &accountView{HasTotp: u.HasTotp(), Preferred: u.PreferredMfa == cognito.SoftwareTokenMfa, Csrf: csrfToken(a)}
	s.render(w, http.StatusOK, "account", pageData{Title: "Your account", Claims: c, AdminGroup: s.cfg.AdminGroup, Account: view})
}

func (s *service) mfaStart(w http.ResponseWriter, r *http.Request) {
	c, a := identity(r)
	if !s.checkForm(w, r, a) || !s.canCallCognito(w, a) {
		return
	}
	secret, err := s.idp.AssociateSoftwareToken(r.Context(), a.Token())
	if err != nil {
		s.cognitoFailed(w, r, err)
		return
	}
	account := c.Email
	if account == "" {
		account = a.Username
	}
	view := &accountView{Secret: secret, Csrf: csrfToken(a), Device: defaultDevice}
	if view.Qr, view.QrSize, err = qrDataURI(otpauthURI(s.site, account, secret)); err != nil {
		s.log.Error("qr code", "error", err.Error()) // the key as text still works
	}
	s.log.Info("mfa enrolment started", "subject", a.Subject)
	s.render(w, http.StatusOK, "enrol", pageData{Title: "Set up an authenticator app", Claims: c, AdminGroup: s.cfg.AdminGroup, Account: view})
}

func (s *service) mfaVerify(w http.ResponseWriter, r *http.Request) {
	c, a := identity(r)
	if !s.checkForm(w, r, a) || !s.canCallCognito(w, a) {
		return
	}
	code := strings.ReplaceAll(r.PostForm.Get("code"), " ", "")
	device := strings.TrimSpace(r.PostForm.Get("device"))
	if device == "" {
		device = defaultDevice
	}
	view := &accountView{Csrf: csrfToken(a), Device: device}
	retry := func(msg string) {
		view.Error = msg
		s.render(w, http.StatusBadRequest, "enrol", pageData{Title: "Set up an authenticator app", Claims: c, AdminGroup: s.cfg.AdminGroup, Account: view})
	}
	if !sixDigits(code) {
		retry("Enter the 6-digit code your authenticator app shows.")
		return
	}
	if utf8.RuneCountInString(device) > maxDevice || strings.ContainsFunc(device, unicode.IsControl) {
		retry("The device name must be at most 64 characters.")
		return
	}
	err := s.idp.VerifySoftwareToken(r.Context(), a.Token(), code, device)
	switch {
	case errors.Is(err, cognito.ErrNotVerified), cognito.IsError(err, cognito.CodeMismatch), cognito.IsError(err, cognito.EnableSoftwareTokenMfa):
		s.log.Info("mfa code did not verify", "subject", a.Subject, "error", err.Error())
		retry("That code did not match. Codes change every 30 seconds: enter the one your app shows now. If it keeps failing, start again with a new key.")
		return
	case err != nil:
		s.cognitoFailed(w, r, err)
		return
	}
	if err := s.idp.PreferTotp(r.Context(), a.Token()); err != nil {
		s.cognitoFailed(w, r, err)
		return
	}
	s.log.Info("mfa enrolled", "subject", a.Subject)
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// canCallCognito refuses, with a page that says so, when the access token
// lacks the scope Cognito's user API needs, rather than let Cognito refuse.
func (s *service) canCallCognito(w http.ResponseWriter, a *albauth.AccessClaims) bool {
	if a.HasScope(cognito.ScopeUserAdmin) {
		return true
	}
	s.log.Warn("access token lacks the user admin scope", "subject", a.Subject, "scopes", strings.Join(a.Scopes, " "))
	s.problem(w, http.StatusForbidden, "Sign-in scope missing", scopeMissing)
	return false
}

// cognitoFailed answers a failed call to Cognito with a page that says what
// to do; the details go to the log only.
func (s *service) cognitoFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("cognito call failed", "path", r.URL.Path, "error", err.Error())
	var e *cognito.Error
	isCognito := errors.As(err, &e)
	switch {
	case isCognito && e.Type == cognito.NotAuthorized && strings.Contains(strings.ToLower(e.Message), "scope"):
		s.problem(w, http.StatusForbidden, "Sign-in scope missing", scopeMissing)
	case isCognito && e.Type == cognito.NotAuthorized:
		s.problem(w, http.StatusUnauthorized, "Session not accepted",
			"Cognito did not accept your session: it may have expired or been signed out elsewhere. Sign out and sign in again.")
	case isCognito && (e.Type == cognito.TooManyRequests || e.Type == cognito.LimitExceeded):
		s.problem(w, http.StatusTooManyRequests, "Too many attempts", "Cognito asks you to slow down. Wait a minute, then try again.")
	default:
		s.problem(w, http.StatusBadGateway, "Cognito is unavailable", "Cognito could not complete the request. Try again in a moment.")
	}
}

// checkForm reads a POSTed form and checks its CSRF token, answering 400 or
// 403 itself when it returns false.
func (s *service) checkForm(w http.ResponseWriter, r *http.Request, a *albauth.AccessClaims) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		s.problem(w, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return false
	}
	want := csrfToken(a)
	if want == "" || !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(want)) {
		s.log.Warn("form token refused", "path", r.URL.Path, "subject", a.Subject)
		s.problem(w, http.StatusForbidden, "Refused", "This form has expired or was not sent from this site. Go to your account page and try again.")
		return false
	}
	return true
}

// csrfToken is the token the account forms carry: an HMAC of the user's sub
// keyed with the session's origin_jti (jti if the pool sets none).
//
// The forms' first defence is the cross-origin check in New; this is the
// second. It needs no secret shared by the service's tasks (any task
// behind the ALB checks any other's token) and no server-side state: the key
// is a random id that exists only inside the access token, which the ALB
// hands the service and never the browser, and which this service never
// shows (not even in /api/me). origin_jti stays the same across the ALB's
// token refreshes, so a form lasts the sign-in; a new sign-in (or another
// user) makes old forms fail. With only jti, a form lasts until the next
// refresh.
func csrfToken(a *albauth.AccessClaims) string {
	key := a.OriginJti
	if key == "" {
		key = a.Jti
	}
	if key == "" {
		return "" // nothing to bind to: forms are refused
	}
	m := hmac.New(sha256.New, []byte("alb-cognito-fargate form v1\x00"+key))
	m.Write([]byte(a.Subject))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// otpauthURI is the key URI authenticator apps read from a QR code:
// otpauth://totp/<issuer>:<account>?secret=...&issuer=... (RFC 6238's
// defaults spelled out: SHA1, 6 digits, 30 s).
func otpauthURI(issuer, account, secret string) string {
	label := account
	v := url.Values{"secret": {secret}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	if issuer != "" {
		label = issuer + ":" + account
		v.Set("issuer", issuer)
	}
	return "otpauth://totp/" + url.PathEscape(label) + "?" + v.Encode()
}

// qrDataURI draws text as a QR code, returned as a PNG data URI and its size
// in pixels.
func qrDataURI(text string) (template.URL, int, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", 0, err
	}
	code.Scale = 4
	size := code.Image().Bounds().Dx()
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(code.PNG())), size, nil
}
