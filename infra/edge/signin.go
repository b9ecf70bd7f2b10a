package edge

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// signIn is where the rules send users to sign in.
type signIn struct {
	// domain is the authenticate action's user pool domain: the pool's
	// prefix, or the stack's own sign-in domain.
	domain pulumi.StringInput
	// deps are what the rules wait for (the custom domain, when there is one).
	deps []pulumi.Resource
	// url is the base URL of the sign-in pages on the custom domain ("" without one).
	url pulumi.StringOutput
}

// newSignIn chooses the sign-in pages: the pool's prefix domain, or the
// stack's own domain (authdomain.go), which needs its parent's A record
// (records, by host) to exist first.
func newSignIn(ctx *pulumi.Context, name string, a Args, zoneID pulumi.StringInput, records map[string]pulumi.Resource, parent pulumi.ResourceOrInvokeOption) (*signIn, error) {
	if a.AuthDomainName == "" {
		return &signIn{domain: a.UserPoolDomain, url: pulumi.String("").ToStringOutput()}, nil
	}
	domain, err := newAuthDomain(ctx, name, a, zoneID, records[parentDomain(a.AuthDomainName)], parent)
	if err != nil {
		return nil, err
	}
	return &signIn{
		domain: domain.Domain,
		deps:   []pulumi.Resource{domain},
		url:    pulumi.Sprintf("https://%s", domain.Domain),
	}, nil
}
