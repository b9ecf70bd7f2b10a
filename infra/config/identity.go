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
	// email is required. Default for OIDC and Google: {"email": "email"}.
	AttributeMapping map[string]string `json:"attributeMapping,omitempty"`
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

var (
	// A provider name: Cognito's ProviderName (1 to 32 characters, no
	// leading or trailing space or underscore), kept to letters, digits and
	// . _ - so that it also names the stack's resource.
	idpNameRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]{0,30}[A-Za-z0-9])?$`)
	// A group name: Cognito's GroupName (1 to 128 characters), kept to
	// letters, digits and . _ - + = , @ for the same reason.
	groupNameRe = regexp.MustCompile(`^[\p{L}\p{N}._+=,@-]{1,128}$`)
	// A user pool attribute name: standard, or custom:<name>.
	poolAttributeRe = regexp.MustCompile(`^(custom:)?[a-z_]{1,32}$|^custom:[A-Za-z0-9_.-]{1,20}$`)
)

// resolveIdentityProviders fills the defaults of the providers' optional
// fields.
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
			idp.AttributeMapping = map[string]string{"email": "email"}
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
	needsSecret := false
	for i, idp := range c.IdentityProviders {
		key := fmt.Sprintf("%s[%d]", k("identityProviders"), i)
		switch {
		case idp.Name == "":
			p.add(key+".name", "is required: the provider's name on the sign-in page, such as Okta or EntraID")
		case !idpNameRe.MatchString(idp.Name) || len(idp.Name) > 32:
			p.add(key+".name", "%q is not a provider name this program accepts: 1 to 32 letters, digits, dots, hyphens and underscores, starting and ending with a letter or digit", idp.Name)
		case strings.EqualFold(idp.Name, "COGNITO"):
			p.add(key+".name", "%q is reserved for the pool's own users (localUsers): choose another name", idp.Name)
		case seen[strings.ToLower(idp.Name)]:
			p.add(key+".name", "%q is listed twice: provider names must be unique", idp.Name)
		}
		seen[strings.ToLower(idp.Name)] = true
		switch idp.Type {
		case IdpOidc:
			if u, err := url.Parse(idp.Issuer); err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
				p.add(key+".issuer", "%q must be the provider's https issuer URL, such as https://example.okta.com or https://login.microsoftonline.com/<tenant-id>/v2.0", idp.Issuer)
			}
			checkClient(p, key, idp)
			needsSecret = needsSecret || idp.ClientSecret != ""
			if m := idp.AttributesRequestMethod; m != "" && m != "GET" && m != "POST" {
				p.add(key+".attributesRequestMethod", "is %q; use GET or POST", m)
			}
		case IdpGoogle:
			if idp.Name != "Google" {
				p.add(key+".name", "is %q, but Cognito names its Google provider Google: set name to Google", idp.Name)
			}
			checkClient(p, key, idp)
			needsSecret = needsSecret || idp.ClientSecret != ""
		case IdpSaml:
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
		case "":
			p.add(key+".type", "is required: oidc, saml or google")
		default:
			p.add(key+".type", "is %q; use oidc (Okta, Entra ID, Auth0, ...), saml or google", idp.Type)
		}
		for attr, claim := range idp.AttributeMapping {
			if !poolAttributeRe.MatchString(attr) || claim == "" {
				p.add(fmt.Sprintf("%s.attributeMapping.%s", key, attr), "maps %q to %q; keys are user pool attributes (email, name, given_name, family_name, custom:...) and values the IdP's claim names", attr, claim)
			}
		}
	}
	if needsSecret && !c.identityProvidersSecret {
		p.add(k("identityProviders"), "holds a clientSecret in plain text: set it as a secret, so it is encrypted in the stack file and never shown: pulumi config set --secret --path '%s[0].clientSecret' <secret>", k("identityProviders"))
	}
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
