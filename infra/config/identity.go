package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/infra/listenerrules"
)

// IdentityProvider is one federated sign-in provider, as a stack file writes
// it: a company's OpenID Connect or SAML identity provider (Okta, Entra ID,
// ...) or Google. Which fields apply depends on Type; Parse fills the
// defaults of those that are optional, so the identity component receives
// every value it passes to Cognito.
type IdentityProvider struct {
	// Name is the provider's name in Cognito (on the sign-in page and in
	// the ALB's identity_provider parameter); Google's must be "Google".
	Name string  `json:"name"`
	Type IdpType `json:"type"`
	// OIDC: the issuer URL; OIDC and Google: the client id and secret the
	// IdP issued to this user pool, and the scopes Cognito asks for
	// (default "openid email profile").
	Issuer       string `json:"issuer,omitempty"`
	ClientID     string `json:"clientId,omitempty"`
	ClientSecret string `json:"clientSecret,omitempty"`
	Scopes       string `json:"scopes,omitempty"`
	// AttributesRequestMethod is how Cognito calls the OIDC userInfo
	// endpoint: GET (the default) or POST.
	AttributesRequestMethod string `json:"attributesRequestMethod,omitempty"`
	// SAML: the IdP's metadata, by URL or as the document itself.
	MetadataURL  string `json:"metadataUrl,omitempty"`
	MetadataFile string `json:"metadataFile,omitempty"`
	// SignOut also signs users out of the SAML IdP (IDPSignout).
	SignOut bool `json:"signOut,omitempty"`
	// AttributeMapping maps user pool attributes to the IdP's claims;
	// email is required. Default for OIDC and Google: {"email": "email"};
	// Parse adds what Cognito adds on its own (username from sub; Google's
	// email_verified), so that what the stack sends is what Cognito keeps.
	AttributeMapping map[string]string `json:"attributeMapping,omitempty"`
	// AllowedEmailDomains and AllowedEmails are who may sign in through the
	// provider: Cognito creates a user for anyone the IdP signs in, so the
	// pool's pre sign-up trigger refuses every other e-mail address.
	// AllowAnyAccount admits everyone the IdP signs in, on purpose.
	AllowedEmailDomains []string `json:"allowedEmailDomains,omitempty"`
	AllowedEmails       []string `json:"allowedEmails,omitempty"`
	AllowAnyAccount     bool     `json:"allowAnyAccount,omitempty"`
}

// Restricted reports whether only the listed domains and addresses may sign
// in through the provider. Without lists, everyone the IdP signs in may:
// an OIDC or SAML application restricted to assigned users decides there
// (a Google provider without lists must say allowAnyAccount).
func (p IdentityProvider) Restricted() bool {
	return len(p.AllowedEmailDomains)+len(p.AllowedEmails) > 0
}

// Defaults of a provider's optional fields.
const (
	DefaultIdpScopes        = "openid email profile"
	DefaultAttributesMethod = "GET"
)

// Group is one Cognito group.
type Group struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Limits of the identity settings.
const (
	MaxIdentityProviders = 50
	MaxGroups            = 100
	MaxAPIPaths          = 30
)

// MaxAllowListBytes bounds the allow-lists of all providers together: the
// pre sign-up trigger receives them in an environment variable, and Lambda
// allows 4 KB of environment in all.
const MaxAllowListBytes = 3500

var (
	// A provider name: Cognito's ProviderName (awsfacts: 3 to 32
	// characters), kept to letters, digits and . _ - so that it also names
	// the stack's resource, starting and ending with a letter or digit.
	idpNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$`)
	// A group name: Cognito's GroupName (1 to 128 characters), kept to
	// letters, digits and . _ - + = , @ for the same reason.
	groupNameRe = regexp.MustCompile(`^[\p{L}\p{N}._+=,@-]{1,128}$`)
	// A user pool attribute name: standard, or custom:<name>.
	poolAttributeRe = regexp.MustCompile(`^(custom:)?[a-z_]{1,32}$|^custom:[A-Za-z0-9_.-]{1,20}$`)
)

// resolveIdentityProviders fills the defaults of the providers' optional
// fields, and adds to the attribute mapping what Cognito adds on its own
// (an OIDC or Google user's username is the IdP's sub), so that a later
// read equals what the stack sent. Google also sends email_verified, which
// the pre sign-up trigger checks.
func resolveIdentityProviders(c *Config) {
	for i := range c.IdentityProviders {
		idp := &c.IdentityProviders[i]
		if idp.Type == IdpSaml {
			continue
		}
		if idp.Scopes == "" {
			idp.Scopes = DefaultIdpScopes
		}
		if idp.Type == IdpOidc && idp.AttributesRequestMethod == "" {
			idp.AttributesRequestMethod = DefaultAttributesMethod
		}
		if idp.AttributeMapping == nil {
			idp.AttributeMapping = map[string]string{"email": "email", "email_verified": "email_verified"}
		}
		// Google always says whether it verified the address; the sign-up
		// trigger requires that it did.
		if _, set := idp.AttributeMapping["email_verified"]; !set && idp.Type == IdpGoogle {
			idp.AttributeMapping["email_verified"] = "email_verified"
		}
		// What Cognito would add itself, sent so the stack settles.
		for attr, claim := range awsfacts.FederatedUsername {
			if _, set := idp.AttributeMapping[attr]; !set {
				idp.AttributeMapping[attr] = claim
			}
		}
	}
}

// validateIdentity checks the identity settings.
func validateIdentity(c *Config, p *parser) {
	checkIdentityProviders(p, c)
	if !c.LocalUsers && len(c.IdentityProviders) == 0 && p.ok("identityProviders") {
		p.add(k("localUsers"), "is false and identityProviders lists none, so nobody could sign in: add an identity provider, or set localUsers to true")
	}
	checkGroups(p, c.Groups)
	if c.AdminGroup != "" && !slices.ContainsFunc(c.Groups, func(g Group) bool { return g.Name == c.AdminGroup }) {
		p.add(k("adminGroup"), "is %q, which is not one of groups: name one of them, or leave adminGroup empty for no administrators", c.AdminGroup)
	}
	checkPaths(p, "apiPaths", c.APIPaths, MaxAPIPaths)
	for i, ap := range c.APIPaths {
		if slices.Contains(c.PublicPaths, ap) {
			p.add(fmt.Sprintf("%s[%d]", k("apiPaths"), i), "%q is also in publicPaths; a path is either public or an API path that needs a session: remove it from one of the two", ap)
		}
		if PathMatches(ap, LogoutPath) {
			p.add(fmt.Sprintf("%s[%d]", k("apiPaths"), i), "%q matches %s, where users land after signing out without a session: narrow the pattern", ap, LogoutPath)
		}
	}
	if n := len(listenerrules.Layout(c.HostNames(), c.PublicPathsWithLogout(), c.APIPaths)); n > awsfacts.MaxListenerRules {
		p.add(k("apiPaths"), "with publicPaths and the host names, the load balancer would need %d listener rules; it allows %d. Use fewer, wider patterns (such as /api/*) or fewer host names", n, awsfacts.MaxListenerRules)
	}
	checkAuthDomain(p, c)
	oneOf(p, "userPoolTier", c.UserPoolTier, map[Tier]string{TierLite: "password and federated sign-in", TierEssentials: "adds managed login and more; the default for new pools", TierPlus: "adds threat protection"})
	oneOf(p, "threatProtection", c.ThreatProtection, map[ThreatProtection]string{ThreatOff: "none", ThreatAudit: "detect and log risky sign-ins", ThreatEnforced: "also block them; Security Hub Cognito.1"})
	if (c.ThreatProtection == ThreatAudit || c.ThreatProtection == ThreatEnforced) && c.UserPoolTier != TierPlus {
		p.add(k("threatProtection"), "is %q, which needs the Plus feature tier (Security Hub Cognito.1 asks for enforced): set userPoolTier to %s (billed per monthly active user), or threatProtection to %s", c.ThreatProtection, TierPlus, ThreatOff)
	}
	checkEmailSender(p, c)
}

func checkIdentityProviders(p *parser, c *Config) {
	if len(c.IdentityProviders) > MaxIdentityProviders {
		p.add(k("identityProviders"), "lists %d providers; at most %d are supported", len(c.IdentityProviders), MaxIdentityProviders)
	}
	seen := map[string]bool{}
	needsSecret, allowListBytes := false, 0
	for i, idp := range c.IdentityProviders {
		key := fmt.Sprintf("%s[%d]", k("identityProviders"), i)
		checkProviderName(p, key, idp.Name, seen)
		switch idp.Type {
		case IdpOidc:
			checkOidc(p, key, idp)
		case IdpGoogle:
			if idp.Name != "Google" {
				p.add(key+".name", "is %q, but Cognito names its Google provider Google: set name to Google", idp.Name)
			}
			checkClient(p, key, idp)
		case IdpSaml:
			checkSaml(p, key, idp)
		case "":
			p.add(key+".type", "is required: oidc, saml or google")
		default:
			p.add(key+".type", "is %q; use oidc (Okta, Entra ID, Auth0, ...), saml or google", idp.Type)
		}
		needsSecret = needsSecret || idp.ClientSecret != ""
		for attr, claim := range idp.AttributeMapping {
			if !poolAttributeRe.MatchString(attr) || claim == "" {
				p.add(fmt.Sprintf("%s.attributeMapping.%s", key, attr), "maps %q to %q; keys are user pool attributes (email, name, given_name, family_name, custom:...) and values the IdP's claim names", attr, claim)
			}
		}
		allowListBytes += checkAllowList(p, key, idp)
	}
	if needsSecret && !c.identityProvidersSecret {
		p.add(k("identityProviders"), "holds a clientSecret in plain text: set it as a secret, so it is encrypted in the stack file and never shown: pulumi config set --secret --path '%s[0].clientSecret' <secret>", k("identityProviders"))
	}
	if allowListBytes > MaxAllowListBytes {
		p.add(k("identityProviders"), "the allow-lists hold %d bytes; the pre sign-up trigger receives them in its environment, which holds about %d: list domains rather than single addresses", allowListBytes, MaxAllowListBytes)
	}
}

func checkProviderName(p *parser, key, name string, seen map[string]bool) {
	switch {
	case name == "":
		p.add(key+".name", "is required: the provider's name on the sign-in page, such as Okta or EntraID")
	case len(name) < awsfacts.MinIdpNameLength || len(name) > awsfacts.MaxIdpNameLength || !idpNameRe.MatchString(name):
		p.add(key+".name", "%q is not a provider name this program accepts: %d to %d letters, digits, dots, hyphens and underscores, starting and ending with a letter or digit (Cognito's limit)", name, awsfacts.MinIdpNameLength, awsfacts.MaxIdpNameLength)
	case strings.EqualFold(name, "COGNITO"):
		p.add(key+".name", "%q is reserved for the pool's own users (localUsers): choose another name", name)
	case seen[strings.ToLower(name)]:
		p.add(key+".name", "%q is listed twice: provider names must be unique", name)
	default:
		// Cognito names a federated user <provider>_<id>: with Entra and
		// Entra_ID, a user of Entra whose id starts with ID_ would look
		// like one of Entra_ID to the sign-up trigger.
		for other := range seen {
			a, b := strings.ToLower(name), other
			if strings.HasPrefix(a, b+"_") || strings.HasPrefix(b, a+"_") {
				p.add(key+".name", "%q and another provider's name differ only by what follows an underscore, so their users' names (<provider>_<id>) could be taken for each other's: rename one", name)
				break
			}
		}
	}
	seen[strings.ToLower(name)] = true
}

func checkOidc(p *parser, key string, idp IdentityProvider) {
	if u, err := url.Parse(idp.Issuer); err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		p.add(key+".issuer", "%q must be the provider's https issuer URL, such as https://example.okta.com or https://login.microsoftonline.com/<tenant-id>/v2.0", idp.Issuer)
	}
	checkClient(p, key, idp)
	if m := idp.AttributesRequestMethod; m != "" && m != "GET" && m != "POST" {
		p.add(key+".attributesRequestMethod", "is %q; use GET or POST", m)
	}
}

func checkSaml(p *parser, key string, idp IdentityProvider) {
	switch {
	case (idp.MetadataURL == "") == (idp.MetadataFile == ""):
		p.add(key+".metadataUrl", "set exactly one of metadataUrl (the IdP's https metadata URL) and metadataFile (the metadata document itself)")
	case idp.MetadataURL != "":
		if u, err := url.Parse(idp.MetadataURL); err != nil || u.Scheme != "https" || u.Host == "" {
			p.add(key+".metadataUrl", "%q must be an https URL", idp.MetadataURL)
		}
	case !strings.Contains(idp.MetadataFile, "EntityDescriptor"):
		p.add(key+".metadataFile", "is not a SAML metadata document (no EntityDescriptor): paste the XML your IdP gives you, or use metadataUrl")
	}
	if idp.ClientID != "" || idp.ClientSecret != "" || idp.Issuer != "" || idp.Scopes != "" {
		p.add(key, "is a SAML provider: clientId, clientSecret, issuer and scopes belong to oidc and google providers; remove them")
	}
	if idp.AttributeMapping["email"] == "" {
		p.add(key+".attributeMapping", "must map email to the SAML attribute holding the user's email, for example {\"email\": \"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\"}: users sign in by email")
	}
}

// checkAllowList checks who may sign in through a provider, and returns
// the bytes the allow-list takes in the trigger's environment.
func checkAllowList(p *parser, key string, idp IdentityProvider) int {
	listed := len(idp.AllowedEmailDomains)+len(idp.AllowedEmails) > 0
	switch {
	case idp.AllowAnyAccount && listed:
		p.add(key+".allowAnyAccount", "is true, but the provider also lists allowedEmailDomains or allowedEmails: keep the lists (only they may sign in) or allowAnyAccount (everyone the IdP signs in may), not both")
	case !idp.AllowAnyAccount && !listed && idp.Type == IdpGoogle:
		p.add(key+".allowedEmailDomains", "is empty, so anyone with a Google account could sign in: Cognito creates a user for everyone Google signs in, whatever selfSignUp says. List the domains that may (allowedEmailDomains: [example.com]) or the addresses (allowedEmails), or set allowAnyAccount: true if any Google account may enter")
	}
	size := 0
	for j, d := range idp.AllowedEmailDomains {
		if msg := checkHostName(d); msg != "" {
			p.add(fmt.Sprintf("%s.allowedEmailDomains[%d]", key, j), "%s: write the whole domain after the @ (such as example.com), in lower case", msg)
		}
		size += len(d) + 3
	}
	for j, e := range idp.AllowedEmails {
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || e != strings.ToLower(e) || a.Name != "" {
			p.add(fmt.Sprintf("%s.allowedEmails[%d]", key, j), "%q is not an e-mail address in lower case, such as alice@example.com", e)
		}
		size += len(e) + 3
	}
	return size + len(idp.Name) + 32
}

func checkClient(p *parser, key string, idp IdentityProvider) {
	if idp.ClientID == "" {
		p.add(key+".clientId", "is required: the client (application) id the IdP issued for this user pool")
	}
	if idp.ClientSecret == "" {
		p.add(key+".clientSecret", "is required: set it as a secret with: pulumi config set --secret --path '%s.clientSecret' <secret>", key)
	}
	if idp.Scopes != "" && !slices.Contains(strings.Fields(idp.Scopes), "openid") {
		p.add(key+".scopes", "%q must include openid", idp.Scopes)
	}
	if idp.Type != IdpSaml && idp.AttributeMapping != nil && idp.AttributeMapping["email"] == "" {
		p.add(key+".attributeMapping", "must map email (users sign in by email); the default is {\"email\": \"email\"}")
	}
}

func checkGroups(p *parser, groups []Group) {
	if len(groups) > MaxGroups {
		p.add(k("groups"), "lists %d groups; at most %d are supported", len(groups), MaxGroups)
	}
	seen := map[string]bool{}
	for i, g := range groups {
		key := fmt.Sprintf("%s[%d]", k("groups"), i)
		switch {
		case !groupNameRe.MatchString(g.Name):
			p.add(key+".name", "%q is not a group name this program accepts: 1 to 128 letters, digits and . _ - + = , @", g.Name)
		case seen[g.Name]:
			p.add(key+".name", "%q is listed twice: remove the duplicate", g.Name)
		}
		seen[g.Name] = true
		if len(g.Description) > 2048 {
			p.add(key+".description", "is %d characters; Cognito allows 2048", len(g.Description))
		}
	}
}

func checkAuthDomain(p *parser, c *Config) {
	d := c.AuthDomainName
	if d == "" {
		if c.AuthDomainParentRecordExists {
			p.add(k("authDomainParentRecordExists"), "is set, but authDomainName is not: remove it")
		}
		return
	}
	key := k("authDomainName")
	if msg := checkHostName(d); msg != "" {
		p.add(key, "%s", msg)
		return
	}
	zone := c.HostedZoneName
	if zone != "" && d != zone && !strings.HasSuffix(d, "."+zone) {
		p.add(key, "%q is not in the hosted zone %q, so its certificate validation and DNS record cannot be created there: use a name ending in .%s", d, zone, zone)
		return
	}
	if slices.Contains(c.HostNames(), d) {
		p.add(key, "%q is also a site host name; the sign-in domain needs a name of its own, such as auth.%s", d, zone)
		return
	}
	if len(d) > awsfacts.MaxCommonNameLength {
		p.add(key, "%q is %d characters; its certificate's Common Name may have at most %d", d, len(d), awsfacts.MaxCommonNameLength)
	}
	// Cognito refuses a custom domain whose parent has no A record.
	parent := d[strings.Index(d, ".")+1:]
	if !slices.Contains(c.HostNames(), parent) && !c.AuthDomainParentRecordExists {
		p.add(key, "is %q, and Cognito creates a custom domain only when its parent, %s, has a DNS A record. This stack creates A records for its hosts only: add %s to alternateDomainNames, use a sign-in domain under one of the hosts (such as auth.%s), or, if %s already has an A record managed elsewhere, set authDomainParentRecordExists to true", d, parent, parent, c.DomainName, parent)
	}
}

func checkEmailSender(p *parser, c *Config) {
	if c.EmailSender == "" {
		if c.EmailSenderIdentity != "" {
			p.add(k("emailSenderIdentity"), "is set, but emailSender is not: set emailSender (the From address), or remove this key")
		}
		return
	}
	addr, err := mail.ParseAddress(c.EmailSender)
	if err != nil || !strings.Contains(addr.Address, "@") {
		p.add(k("emailSender"), "%q is not an email address; use the From address Cognito's emails come from, such as no-reply@example.com or \"Example <no-reply@example.com>\"", c.EmailSender)
		return
	}
	if id := c.EmailSenderIdentity; id != "" && !strings.EqualFold(id, addr.Address) && !strings.HasSuffix(strings.ToLower(addr.Address), "@"+strings.ToLower(id)) {
		p.add(k("emailSenderIdentity"), "is %q, but it must be the From address itself or its domain (%s), verified in SES", id, addr.Address[strings.Index(addr.Address, "@")+1:])
	}
}
