package config

import (
	"fmt"
	"slices"
	"strings"
)

// The modes of the keys that take one of a few values. Each is spelled here
// once, exactly as a stack file writes it, and reaches the components as
// that type; a component turns it into AWS's own terms where it builds the
// resource (Cognito's "ON", say), in one place.

// NatGateways is natGateways: how many NAT gateways the VPC has.
type NatGateways string

const (
	NatSingle NatGateways = "single" // one for the whole VPC, cheaper
	NatPerAz  NatGateways = "perAz"  // one per zone, survives the loss of a zone
)

// Mfa is mfa: multi-factor sign-in with an authenticator app (TOTP).
type Mfa string

const (
	MfaOff      Mfa = "off"
	MfaOptional Mfa = "optional" // users enrol in the app
	MfaOn       Mfa = "on"       // every user sets one up at first sign-in
)

// Tier is userPoolTier: Cognito's feature tier, spelled as Cognito spells it.
type Tier string

const (
	TierLite       Tier = "LITE"
	TierEssentials Tier = "ESSENTIALS"
	TierPlus       Tier = "PLUS" // threat protection
)

// ThreatProtection is threatProtection: Cognito's threat protection.
type ThreatProtection string

const (
	ThreatOff      ThreatProtection = "off"
	ThreatAudit    ThreatProtection = "audit"    // detect and log risky sign-ins
	ThreatEnforced ThreatProtection = "enforced" // also block them
)

// Waf is waf: the web application firewall in front of the load balancer.
type Waf string

const (
	WafOff   Waf = "off"
	WafCount Waf = "count" // the rules count what they would block; nothing is blocked
	WafBlock Waf = "block"
)

// Capacity is capacity: where the service's tasks run.
type Capacity string

const (
	CapacityFargate Capacity = "fargate" // on-demand Fargate
	CapacitySpot    Capacity = "spot"    // Fargate Spot: up to ~70% cheaper, may be interrupted with 2 minutes' notice
	CapacityMixed   Capacity = "mixed"   // onDemandBase tasks on demand, the rest on Spot
)

// IdpType is identityProviders[].type.
type IdpType string

const (
	IdpOidc   IdpType = "oidc"
	IdpSaml   IdpType = "saml"
	IdpGoogle IdpType = "google"
)

// oneOf reports a value that is not one of the mode's values, each with
// what it means.
func oneOf[T ~string](p *parser, key string, v T, values map[T]string) {
	if _, ok := values[v]; ok || !p.ok(key) {
		return
	}
	names := make([]string, 0, len(values))
	for m := range values {
		names = append(names, string(m))
	}
	slices.Sort(names)
	var opts []string
	for _, n := range names {
		opts = append(opts, fmt.Sprintf("%s (%s)", n, values[T(n)]))
	}
	p.add(k(key), "is %q; use %s", v, strings.Join(opts, ", "))
}
