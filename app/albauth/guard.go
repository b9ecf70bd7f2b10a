package albauth

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// ErrForbidden is wrapped by the error Guard gives a verified user outside
// the group a handler requires (403).
var ErrForbidden = errors.New("albauth: not in the required group")

// Guard verifies both identity headers the ALB forwards: x-amzn-oidc-data
// (who the user is, from the pool's userInfo endpoint, signed by the ALB) and
// x-amzn-oidc-accesstoken (what the pool grants the user, signed by the pool),
// and that both name the same user.
//
// Groups come from the access token only. The data claims are what userInfo
// answered and may carry groups too, but the access token is the pool's own
// signed statement of the user's groups, and the same token authorises calls
// to the pool's API; so Guard replaces Claims.Groups with the access token's
// cognito:groups, and group checks use those. (Claims.All still decodes the
// user claims exactly as signed, groups included.)
//
//	g := &albauth.Guard{Data: v, Access: av}
//	http.Handle("/", g.Require(home))                      // 401 unless both verify
//	http.Handle("/admin", g.RequireGroup("admins", admin)) // and 403 outside "admins"
//
// Handlers find the claims with ClaimsFrom and AccessClaimsFrom.
type Guard struct {
	Data   *Verifier
	Access *AccessVerifier
	// Deny, if set, answers a refused request: status is 401 (nothing
	// verified, or the headers disagree) or 403 (err wraps ErrForbidden).
	// Default: a plain-text error with that status.
	Deny func(w http.ResponseWriter, r *http.Request, status int, err error)
}

// Verify checks both headers of r. The data claims it returns carry the
// access token's groups.
func (g *Guard) Verify(r *http.Request) (*Claims, *AccessClaims, error) {
	c, err := g.Data.Verify(r.Context(), r.Header.Get(DataHeader))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", DataHeader, err)
	}
	a, err := g.Access.Verify(r.Context(), r.Header.Get(AccessTokenHeader))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", AccessTokenHeader, err)
	}
	if a.Subject != c.Subject {
		return nil, nil, fmt.Errorf("%w: the access token is for %q, the user claims for %q", ErrInvalid, a.Subject, c.Subject)
	}
	c.Groups = slices.Clone(a.Groups)
	return c, a, nil
}

// Require passes on only requests whose identity headers both verify, with
// the claims in the request context; anything else gets 401.
func (g *Guard) Require(next http.Handler) http.Handler {
	return g.require("", next)
}

// RequireGroup is Require for members of group only: 401 for anything that
// does not verify, 403 for a verified user outside group.
func (g *Guard) RequireGroup(group string, next http.Handler) http.Handler {
	if group == "" {
		panic("albauth: RequireGroup needs a group name")
	}
	return g.require(group, next)
}

func (g *Guard) require(group string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, a, err := g.Verify(r)
		if err != nil {
			g.deny(w, r, http.StatusUnauthorized, err)
			return
		}
		if group != "" && !a.InGroup(group) {
			g.deny(w, r, http.StatusForbidden, fmt.Errorf("%w: %q is not in %q", ErrForbidden, a.Subject, group))
			return
		}
		ctx := WithAccessClaims(WithClaims(r.Context(), c), a)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (g *Guard) deny(w http.ResponseWriter, r *http.Request, status int, err error) {
	if g.Deny != nil {
		g.Deny(w, r, status, err)
		return
	}
	msg := "unauthorized"
	if status == http.StatusForbidden {
		msg = "forbidden"
	}
	http.Error(w, msg, status)
}
