package config

import (
	"fmt"
	"maps"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/infra/regions"
)

var (
	dnsLabel  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	envNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// Characters an ALB path-pattern condition accepts.
	pathPatternRe = regexp.MustCompile(`^/[A-Za-z0-9_\-.$/~"'@:+&*?]*$`)
)

// Limits this program sets (AWS's own are in awsfacts).
const (
	MinAvailabilityZones = 2 // ELB.13: an ALB needs subnets in two or more zones
	MaxAvailabilityZones = 6 // the most zones any region offers
	MaxPublicPaths       = 30
	MaxDesiredCount      = 1000 // ECS: tasks per service
	MaxWritablePaths     = 10
	// taskDefinitionOverhead bounds what the task definition holds besides
	// the image, the configured environment and the mounts: the stack's own
	// variables (ARNs and URLs), roles, log configuration, port mapping.
	taskDefinitionOverhead = 4096
)

// AdminGroupVariable names the container's variable holding adminGroup:
// the group whose members the application treats as administrators.
const AdminGroupVariable = "ADMIN_GROUP"

// AllowListVariable names the pre sign-up trigger's variable holding who may
// sign up through each identity provider.
const AllowListVariable = "ALLOWED"

// StackEnvironment are the variables the stack itself passes to the
// container (see stack); the environment key may not set them.
var StackEnvironment = []string{AdminGroupVariable, "ALB_ARN", "AWS_REGION", "COGNITO_CLIENT_ID", "COGNITO_DOMAIN", "COGNITO_ISSUER", "LOGOUT_URL", "PORT"}

// forbiddenEnvNames are credentials that must never be set as plain
// environment variables (Security Hub ECS.8): use the task role instead.
var forbiddenEnvNames = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "ECS_ENGINE_AUTH_DATA"}

// validate checks every value, reporting all problems.
func validate(c *Config, p *parser) {
	checkRegion(p, c.Provider.Region)
	checkSite(p, c)
	checkZones(p, c)
	oneOf(p, "natGateways", c.NatGateways, map[NatGateways]string{NatSingle: "one NAT gateway, cheaper", NatPerAz: "one per zone, survives a zone outage"})
	checkVpcCidr(p, c.VpcCidr)
	checkContainer(p, c)
	checkPaths(p, "publicPaths", c.PublicPaths, MaxPublicPaths)
	oneOf(p, "mfa", c.Mfa, map[Mfa]string{MfaOff: "no second factor", MfaOptional: "users may enrol an authenticator app", MfaOn: "every user must"})
	between(p, "sessionTimeoutSeconds", c.SessionTimeoutSeconds, 1, awsfacts.MaxSessionTimeoutSeconds, "seconds, which the ALB accepts (7 days at most)")
	if c.CognitoDomainPrefix != "" {
		if msg := awsfacts.CheckCognitoPrefix(c.CognitoDomainPrefix); msg != "" {
			p.add(k("cognitoDomainPrefix"), "%s; or remove the key to use a derived prefix", msg)
		}
	}
	validateIdentity(c, p)
	validateOperations(c, p)
	checkProvider(p, c)
}

// between reports an integer outside lo..hi.
func between(p *parser, key string, v, lo, hi int, what string) {
	if p.ok(key) && (v < lo || v > hi) {
		p.add(k(key), "is %d; it must be from %d to %d %s", v, lo, hi, what)
	}
}

func checkRegion(p *parser, region string) {
	if region == "" {
		p.add(RegionKey, "is required: every resource, the certificate included, is created in this region; set it with: pulumi config set aws:region eu-west-1")
		return
	}
	r, ok := regions.Lookup(region)
	switch {
	case !ok:
		p.add(RegionKey, "is %q, which is not an AWS region this program knows (its table is as of %s); use one of %s. If AWS has opened %s and it offers Cognito user pools, add it to infra/regions", region, regions.AsOf, strings.Join(regions.Supported(), ", "), region)
	case r.Unsupported != "":
		p.add(RegionKey, "is %q: %s. Use one of %s", region, r.Unsupported, strings.Join(regions.Supported(), ", "))
	}
}

// checkSite checks the hosted zone and the host names users browse to.
func checkSite(p *parser, c *Config) {
	zoneValid := false
	switch {
	case !p.ok("hostedZoneName"):
	case c.HostedZoneName == "":
		p.add(k("hostedZoneName"), "is required: the public Route 53 hosted zone that holds the site's host names; set it with: pulumi config set %s example.com", k("hostedZoneName"))
	default:
		if msg := checkHostName(c.HostedZoneName); msg != "" {
			p.add(k("hostedZoneName"), "%s", msg)
		} else {
			zoneValid = true
		}
	}

	if c.DomainName == "" {
		p.add(k("domainName"), "is required: the host name users browse to; set it with: pulumi config set %s app.example.com", k("domainName"))
	} else {
		checkSiteHost(p, k("domainName"), c.DomainName, c.HostedZoneName, zoneValid)
		if len(c.DomainName) > awsfacts.MaxCommonNameLength {
			p.add(k("domainName"), "%q is %d characters; the certificate's first name (its Common Name) may have at most %d: use a shorter domainName and put this name in alternateDomainNames", c.DomainName, len(c.DomainName), awsfacts.MaxCommonNameLength)
		}
	}
	seen := map[string]bool{c.DomainName: true}
	for i, h := range c.AlternateDomainNames {
		key := fmt.Sprintf("%s[%d]", k("alternateDomainNames"), i)
		if seen[h] {
			p.add(key, "%q is listed twice (domainName and alternateDomainNames together must name each host once): remove the duplicate", h)
			continue
		}
		seen[h] = true
		checkSiteHost(p, key, h, c.HostedZoneName, zoneValid)
	}
	if n := len(c.HostNames()); n > awsfacts.MaxCertificateNames {
		p.add(k("alternateDomainNames"), "domainName plus alternateDomainNames name %d hosts; an ACM certificate holds at most %d by default: remove %d, or request an ACM quota increase and deploy a second stack", n, awsfacts.MaxCertificateNames, n-awsfacts.MaxCertificateNames)
	}
}

func checkZones(p *parser, c *Config) {
	zonesKey, maxKey := k("availabilityZones"), k("maxAvailabilityZones")
	if !p.ok("availabilityZones") || !p.ok("maxAvailabilityZones") {
		return
	}
	if c.MaxAvailabilityZones < MinAvailabilityZones || c.MaxAvailabilityZones > MaxAvailabilityZones {
		p.add(maxKey, "is %d; it must be from %d to %d: how many zones the VPC's address layout has room for", c.MaxAvailabilityZones, MinAvailabilityZones, MaxAvailabilityZones)
		return
	}
	if c.AvailabilityZones < MinAvailabilityZones {
		p.add(zonesKey, "is %d; an Application Load Balancer needs subnets in at least %d zones (Security Hub ELB.13)", c.AvailabilityZones, MinAvailabilityZones)
		return
	}
	if c.AvailabilityZones > c.MaxAvailabilityZones {
		p.add(zonesKey, "is %d, but the VPC's address layout (maxAvailabilityZones: %d) has room for %d zones. The layout decides every subnet's block and cannot change on a deployed stack; use at most %d zones here (a new stack can set maxAvailabilityZones up to %d)", c.AvailabilityZones, c.MaxAvailabilityZones, c.MaxAvailabilityZones, c.MaxAvailabilityZones, MaxAvailabilityZones)
		return
	}
	if r, ok := regions.Lookup(c.Provider.Region); ok && r.Unsupported == "" && c.AvailabilityZones > r.Zones {
		p.add(zonesKey, "is %d, but %s offers the stack %d zones (Availability Zones where Fargate runs, as of %s): use at most %d", c.AvailabilityZones, c.Provider.Region, r.Zones, regions.AsOf, r.Zones)
	}
}

// checkHostName returns what is wrong with a DNS name, or "".
func checkHostName(h string) string {
	switch {
	case strings.HasSuffix(h, "."):
		return fmt.Sprintf("%q ends with a dot: write it without the trailing dot", h)
	case h != strings.ToLower(h):
		return fmt.Sprintf("%q has capital letters: write host names in lower case", h)
	case strings.Contains(h, "*"):
		return fmt.Sprintf("%q is a wildcard: list each host name users browse to, since Cognito needs an exact callback URL for each", h)
	case len(h) > 253:
		return fmt.Sprintf("%q is longer than 253 characters", h)
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return fmt.Sprintf("%q is not a fully qualified domain name (such as app.example.com)", h)
	}
	for _, l := range labels {
		if !dnsLabel.MatchString(l) {
			return fmt.Sprintf("%q is not a valid domain name: each dot-separated part must be 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen", h)
		}
	}
	return ""
}

func checkSiteHost(p *parser, key, host, zone string, zoneOk bool) {
	if msg := checkHostName(host); msg != "" {
		p.add(key, "%s", msg)
		return
	}
	// The ALB's host-header condition: at most 128 characters, and only
	// letters after the last dot.
	if len(host) > awsfacts.MaxHostHeaderLength {
		p.add(key, "%q is %d characters; a load balancer rule matches host names of at most %d: use a shorter name", host, len(host), awsfacts.MaxHostHeaderLength)
		return
	}
	if tld := host[strings.LastIndex(host, ".")+1:]; strings.IndexFunc(tld, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		p.add(key, "%q ends in %q; a load balancer rule matches host names whose last part is letters only", host, tld)
		return
	}
	if zoneOk && host != zone && !strings.HasSuffix(host, "."+zone) {
		p.add(key, "%q is not in the hosted zone %q, so its certificate validation and DNS records cannot be created there: use a name ending in .%s, or change hostedZoneName", host, zone, zone)
	}
}

func checkVpcCidr(p *parser, cidr string) {
	key := k("vpcCidr")
	pfx, err := netip.ParsePrefix(cidr)
	if err != nil || !pfx.Addr().Is4() {
		p.add(key, "%q is not an IPv4 CIDR block; use for example 10.0.0.0/16", cidr)
		return
	}
	if pfx.Masked() != pfx {
		p.add(key, "%q has host bits set; the block starts at %s", cidr, pfx.Masked())
		return
	}
	if pfx.Bits() < 16 || pfx.Bits() > 20 {
		p.add(key, "%q is a /%d; use a /16 to /20 block so every zone gets a public and a private subnet with room for tasks", cidr, pfx.Bits())
	}
	private := false
	for _, r := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
		if netip.MustParsePrefix(r).Contains(pfx.Addr()) {
			private = true
		}
	}
	if !private {
		p.add(key, "%q is not in a private (RFC 1918) range; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16", cidr)
	}
}

// checkContainer checks the image, its size, environment and file system.
func checkContainer(p *parser, c *Config) {
	if !c.BuiltInApp && (strings.TrimSpace(c.Image) == "" || strings.ContainsAny(c.Image, " \t\n")) {
		p.add(k("image"), "is %q; set a container image reference such as %s, or remove the key to use that default", c.Image, DefaultImage)
	}
	between(p, "containerPort", c.ContainerPort, 1, 65535, "(a TCP port: the one your container listens on; or 0 for the default)")
	checkFargateSize(p, c.CPU, c.Memory)
	between(p, "desiredCount", c.DesiredCount, 1, MaxDesiredCount, "tasks (2 or more keeps the site up while a task is replaced)")
	if !strings.HasPrefix(c.HealthCheckPath, "/") || len(c.HealthCheckPath) > 1024 || strings.ContainsAny(c.HealthCheckPath, " \t\n") {
		p.add(k("healthCheckPath"), "is %q; it must be a path that starts with / (at most 1024 characters), which your container answers with 2xx or 3xx", c.HealthCheckPath)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Environment)) {
		key := fmt.Sprintf("%s.%s", k("environment"), name)
		switch {
		case slices.Contains(forbiddenEnvNames, strings.ToUpper(name)):
			p.add(key, "%s is a credential and must not be a plain environment variable (Security Hub ECS.8): remove it; the task role gives the container AWS permissions", name)
		case slices.Contains(StackEnvironment, name):
			p.add(key, "%s is set by the stack itself (it tells the container its load balancer, Cognito client and sign-out URL): remove it", name)
		case !envNameRe.MatchString(name):
			p.add(key, "%q is not a valid environment variable name: use letters, digits and underscores, not starting with a digit", name)
		}
	}
	checkWritablePaths(p, c)
	checkTaskDefinitionSize(p, c)
	if p.ok("logRetentionDays") && !slices.Contains(awsfacts.LogRetentionDays, c.LogRetentionDays) {
		p.add(k("logRetentionDays"), "is %d; CloudWatch Logs accepts only %s (365 or more meets NIST CloudWatch.16)", c.LogRetentionDays, joinInts(awsfacts.LogRetentionDays))
	}
}

func checkFargateSize(p *parser, cpu, memory int) {
	if !p.ok("cpu") || !p.ok("memory") {
		return
	}
	mems := awsfacts.FargateMemory(cpu)
	if mems == nil {
		p.add(k("cpu"), "is %d; Fargate accepts %s CPU units", cpu, joinInts(awsfacts.FargateCPUs()))
		return
	}
	if !awsfacts.FargateOffers(cpu, memory) {
		p.add(k("memory"), "is %d MiB, which Fargate does not offer with cpu %d (\"No Fargate configuration exists\"); with cpu %d use one of %s", memory, cpu, cpu, joinInts(mems))
	}
}

// checkPaths checks ALB path patterns (publicPaths, apiPaths).
func checkPaths(p *parser, listKey string, paths []string, max int) {
	if len(paths) > max {
		p.add(k(listKey), "lists %d paths; at most %d are supported (each listener rule holds few): use wildcards such as /static/*", len(paths), max)
	}
	seen := map[string]bool{}
	for i, pp := range paths {
		key := fmt.Sprintf("%s[%d]", k(listKey), i)
		switch {
		case seen[pp]:
			p.add(key, "%q is listed twice: remove the duplicate", pp)
		case !strings.HasPrefix(pp, "/"):
			p.add(key, "%q must start with /, for example /health", pp)
		case len(pp) > awsfacts.MaxPathPatternLength:
			p.add(key, "%q is longer than the ALB's %d-character limit for a path pattern", pp, awsfacts.MaxPathPatternLength)
		case !pathPatternRe.MatchString(pp):
			p.add(key, "%q has characters an ALB path pattern does not accept: use letters, digits, and _ - . $ / ~ \" ' @ : + & * ?", pp)
		case pp == "/*" || strings.Trim(pp, "/*") == "":
			p.add(key, "%q would match every page: list only the paths that need this treatment", pp)
		case PathMatches(pp, awsfacts.CallbackPath):
			p.add(key, "%q matches %s, where Cognito returns users after sign-in; the ALB must handle that path, so sign-in would break: narrow the pattern", pp, awsfacts.CallbackPath)
		}
		seen[pp] = true
	}
}

// checkTaskDefinitionSize: ECS registers task definitions of at most 64 KiB.
// The container definition holds the image, every environment variable
// (the configured ones and the stack's own, whose values are ARNs and URLs)
// and the mounts; the rest of the task definition is small and fixed.
func checkTaskDefinitionSize(p *parser, c *Config) {
	size := taskDefinitionOverhead + len(c.Image)
	for name, v := range c.Environment {
		size += len(name) + len(v) + len(`{"name":"","value":""},`)
	}
	for _, w := range c.WritablePaths {
		size += len(w) + 2*len(`{"sourceVolume":"writable-00","containerPath":"","readOnly":false},`)
	}
	if size > awsfacts.MaxTaskDefinitionBytes {
		p.add(k("environment"), "the task definition would be about %d bytes; ECS registers at most %d (64 KiB). Keep large values out of environment variables: put them in SSM Parameter Store or Secrets Manager and read them at start-up", size, awsfacts.MaxTaskDefinitionBytes)
	}
}

func checkWritablePaths(p *parser, c *Config) {
	if len(c.WritablePaths) > MaxWritablePaths {
		p.add(k("writablePaths"), "lists %d paths; at most %d are supported", len(c.WritablePaths), MaxWritablePaths)
	}
	seen := map[string]bool{}
	for i, wp := range c.WritablePaths {
		key := fmt.Sprintf("%s[%d]", k("writablePaths"), i)
		switch {
		case !strings.HasPrefix(wp, "/") || path.Clean(wp) != wp || wp == "/":
			p.add(key, "%q must be an absolute directory path such as /tmp (not / itself, no trailing slash)", wp)
		case seen[wp]:
			p.add(key, "%q is listed twice: remove the duplicate", wp)
		}
		seen[wp] = true
	}
}

// PathMatches reports whether an ALB path pattern (`*` any run of characters,
// `?` exactly one) matches a path.
func PathMatches(pattern, p string) bool {
	if pattern == "" {
		return p == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(p); i++ {
			if PathMatches(pattern[1:], p[i:]) {
				return true
			}
		}
		return false
	case '?':
		return p != "" && PathMatches(pattern[1:], p[1:])
	default:
		return p != "" && p[0] == pattern[0] && PathMatches(pattern[1:], p[1:])
	}
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
