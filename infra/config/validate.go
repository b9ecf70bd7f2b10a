package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/regions"
)

var (
	dnsLabel       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	domainPrefixRe = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	envNameRe      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// Characters an ALB path-pattern condition accepts.
	pathPatternRe = regexp.MustCompile(`^/[A-Za-z0-9_\-.$/~"'@:+&*?]*$`)
)

// reservedPrefixWords may not appear in a Cognito domain prefix.
var reservedPrefixWords = []string{"aws", "amazon", "cognito"}

// callbackPath is where Cognito returns the browser to the ALB after sign-in.
// The ALB handles it in the authenticate-cognito rule, so no public rule may
// match it.
const CallbackPath = "/oauth2/idpresponse"

func validate(c *Config, p *parser) {
	checkRegion(p, c.Region)

	zoneOK := false
	switch {
	case p.typeErr[k("hostedZoneName")]:
	case c.HostedZoneName == "":
		p.add(k("hostedZoneName"), "is required: the public Route 53 hosted zone that holds the site's host names; set it with: pulumi config set %s example.com", k("hostedZoneName"))
	default:
		if msg := checkHostName(c.HostedZoneName); msg != "" {
			p.add(k("hostedZoneName"), "%s", msg)
		} else {
			zoneOK = true
		}
	}

	if c.DomainName == "" {
		p.add(k("domainName"), "is required: the host name users browse to; set it with: pulumi config set %s app.example.com", k("domainName"))
	} else {
		checkSiteHost(p, k("domainName"), c.DomainName, c.HostedZoneName, zoneOK)
		if len(c.DomainName) > MaxCommonNameLength {
			p.add(k("domainName"), "%q is %d characters; the certificate's first name (its Common Name) may have at most %d: use a shorter domainName and put this name in alternateDomainNames", c.DomainName, len(c.DomainName), MaxCommonNameLength)
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
		checkSiteHost(p, key, h, c.HostedZoneName, zoneOK)
	}
	if n := 1 + len(c.AlternateDomainNames); n > MaxHostNames {
		p.add(k("alternateDomainNames"), "domainName plus alternateDomainNames name %d hosts; an ACM certificate holds at most %d by default: remove %d, or request an ACM quota increase and deploy a second stack", n, MaxHostNames, n-MaxHostNames)
	}

	checkZones(p, c)
	if c.NatGateways != NatSingle && c.NatGateways != NatPerAz {
		p.add(k("natGateways"), "is %q; use %q (one NAT gateway, cheaper) or %q (one per zone, survives a zone outage)", c.NatGateways, NatSingle, NatPerAz)
	}
	checkVpcCidr(p, c.VpcCidr)

	if !c.BuiltInApp && (strings.TrimSpace(c.Image) == "" || strings.ContainsAny(c.Image, " \t\n")) {
		p.add(k("image"), "is %q; set a container image reference such as %s, or remove the key to use that default", c.Image, DefaultImage)
	}
	if !p.typeErr[k("containerPort")] && (c.ContainerPort < 1 || c.ContainerPort > 65535) {
		p.add(k("containerPort"), "is %d; it must be a TCP port from 1 to 65535, the port your container listens on (or 0 for the default)", c.ContainerPort)
	}
	checkFargateSize(p, c.Cpu, c.Memory)
	if !p.typeErr[k("desiredCount")] && (c.DesiredCount < 1 || c.DesiredCount > MaxDesiredCount) {
		p.add(k("desiredCount"), "is %d; it must be from 1 to %d tasks (2 or more keeps the site up while a task is replaced)", c.DesiredCount, MaxDesiredCount)
	}
	if !strings.HasPrefix(c.HealthCheckPath, "/") || len(c.HealthCheckPath) > 1024 || strings.ContainsAny(c.HealthCheckPath, " \t\n") {
		p.add(k("healthCheckPath"), "is %q; it must be a path that starts with / (at most 1024 characters), which your container answers with 2xx or 3xx", c.HealthCheckPath)
	}
	for _, name := range SortedKeys(c.Environment) {
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
	if !p.typeErr[k("logRetentionDays")] && !slices.Contains(logRetentionDays, c.LogRetentionDays) {
		p.add(k("logRetentionDays"), "is %d; CloudWatch Logs accepts only %s (365 or more meets NIST CloudWatch.16)", c.LogRetentionDays, joinInts(logRetentionDays))
	}

	checkPaths(p, k("publicPaths"), c.PublicPaths, MaxPublicPaths)
	switch c.Mfa {
	case MfaOff, MfaOptional, MfaOn:
	default:
		p.add(k("mfa"), "is %q; use %q, %q (users may enrol an authenticator app) or %q (every user must)", c.Mfa, MfaOff, MfaOptional, MfaOn)
	}
	if !p.typeErr[k("sessionTimeoutSeconds")] && (c.SessionTimeoutSeconds < 1 || c.SessionTimeoutSeconds > MaxSessionTimeout) {
		p.add(k("sessionTimeoutSeconds"), "is %d; the ALB accepts 1 to %d seconds (7 days)", c.SessionTimeoutSeconds, MaxSessionTimeout)
	}
	if c.CognitoDomainPrefix != "" {
		if msg := CheckDomainPrefix(c.CognitoDomainPrefix); msg != "" {
			p.add(k("cognitoDomainPrefix"), "%s; or remove the key to use a derived prefix", msg)
		}
	}
	validateIdentity(c, p)
	validateOperations(c, p)
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

func checkZones(p *parser, c *Config) {
	zonesKey, maxKey := k("availabilityZones"), k("maxAvailabilityZones")
	if p.typeErr[zonesKey] || p.typeErr[maxKey] {
		return
	}
	if c.MaxAvailabilityZones < MinAvailabilityZones || c.MaxAvailabilityZones > MaxAvailabilityZones {
		p.add(maxKey, "is %d; it must be from %d to %d: how many zones the VPC's address plan has room for", c.MaxAvailabilityZones, MinAvailabilityZones, MaxAvailabilityZones)
		return
	}
	if c.AvailabilityZones < MinAvailabilityZones {
		p.add(zonesKey, "is %d; an Application Load Balancer needs subnets in at least %d zones (Security Hub ELB.13)", c.AvailabilityZones, MinAvailabilityZones)
		return
	}
	if c.AvailabilityZones > c.MaxAvailabilityZones {
		p.add(zonesKey, "is %d, but the VPC's address plan (maxAvailabilityZones: %d) has room for %d zones. The plan decides every subnet's block and cannot change on a deployed stack; use at most %d zones here (a new stack can set maxAvailabilityZones up to %d)", c.AvailabilityZones, c.MaxAvailabilityZones, c.MaxAvailabilityZones, c.MaxAvailabilityZones, MaxAvailabilityZones)
		return
	}
	if r, ok := regions.Lookup(c.Region); ok && r.Unsupported == "" && c.AvailabilityZones > r.Zones {
		p.add(zonesKey, "is %d, but %s offers the stack %d zones (Availability Zones where Fargate runs, as of %s): use at most %d", c.AvailabilityZones, c.Region, r.Zones, regions.AsOf, r.Zones)
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

func checkSiteHost(p *parser, key, host, zone string, zoneOK bool) {
	if msg := checkHostName(host); msg != "" {
		p.add(key, "%s", msg)
		return
	}
	// The ALB's host-header condition: at most 128 characters, and only
	// letters after the last dot.
	if len(host) > MaxHostHeaderLength {
		p.add(key, "%q is %d characters; a load balancer rule matches host names of at most %d: use a shorter name", host, len(host), MaxHostHeaderLength)
		return
	}
	if tld := host[strings.LastIndex(host, ".")+1:]; strings.IndexFunc(tld, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		p.add(key, "%q ends in %q; a load balancer rule matches host names whose last part is letters only", host, tld)
		return
	}
	if zoneOK && host != zone && !strings.HasSuffix(host, "."+zone) {
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

func checkFargateSize(p *parser, cpu, memory int) {
	if p.typeErr[k("cpu")] || p.typeErr[k("memory")] {
		return
	}
	mems := FargateMemoryFor(cpu)
	if mems == nil {
		p.add(k("cpu"), "is %d; Fargate accepts 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units", cpu)
		return
	}
	if !slices.Contains(mems, memory) {
		p.add(k("memory"), "is %d MiB, which Fargate does not offer with cpu %d (\"No Fargate configuration exists\"); with cpu %d use one of %s", memory, cpu, cpu, joinInts(mems))
	}
}

// checkPaths checks ALB path patterns (publicPaths, apiPaths).
func checkPaths(p *parser, listKey string, paths []string, max int) {
	if len(paths) > max {
		p.add(listKey, "lists %d paths; at most %d are supported (each listener rule holds few): use wildcards such as /static/*", len(paths), max)
	}
	seen := map[string]bool{}
	for i, pp := range paths {
		key := fmt.Sprintf("%s[%d]", listKey, i)
		switch {
		case seen[pp]:
			p.add(key, "%q is listed twice: remove the duplicate", pp)
		case !strings.HasPrefix(pp, "/"):
			p.add(key, "%q must start with /, for example /health", pp)
		case len(pp) > MaxPathPatternLen:
			p.add(key, "%q is longer than the ALB's %d-character limit for a path pattern", pp, MaxPathPatternLen)
		case !pathPatternRe.MatchString(pp):
			p.add(key, "%q has characters an ALB path pattern does not accept: use letters, digits, and _ - . $ / ~ \" ' @ : + & * ?", pp)
		case pp == "/*" || strings.Trim(pp, "/*") == "":
			p.add(key, "%q would match every page: list only the paths that need this treatment", pp)
		case PathMatches(pp, CallbackPath):
			p.add(key, "%q matches %s, where Cognito returns users after sign-in; the ALB must handle that path, so sign-in would break: narrow the pattern", pp, CallbackPath)
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
	if size > MaxTaskDefinitionBytes {
		p.add(k("environment"), "the task definition would be about %d bytes; ECS registers at most %d (64 KiB). Keep large values out of environment variables: put them in SSM Parameter Store or Secrets Manager and read them at start-up", size, MaxTaskDefinitionBytes)
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

// CheckDomainPrefix returns what is wrong with a Cognito domain prefix, or "".
func CheckDomainPrefix(prefix string) string {
	if !domainPrefixRe.MatchString(prefix) {
		return fmt.Sprintf("%q is not a valid Cognito domain prefix: use 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen", prefix)
	}
	for _, w := range reservedPrefixWords {
		if strings.Contains(prefix, w) {
			return fmt.Sprintf("%q contains the reserved word %q, which Cognito rejects in a domain prefix", prefix, w)
		}
	}
	return ""
}

// DeriveDomainPrefix builds a Cognito domain prefix from the project, stack
// and domain: readable (domain and stack), unique enough (a hash of all
// three, since prefixes are unique per region across all AWS accounts), stable
// for the same inputs, and always valid.
func DeriveDomainPrefix(project, stack, domain string) string {
	sum := sha256.Sum256([]byte(project + "/" + stack + "/" + domain))
	hash := hex.EncodeToString(sum[:])[:10]
	base := sanitizeName(domain + "-" + stack)
	for changed := true; changed; {
		changed = false
		for _, w := range reservedPrefixWords {
			if strings.Contains(base, w) {
				base = strings.ReplaceAll(base, w, "")
				changed = true
			}
		}
	}
	base = collapseHyphens(base)
	if max := 63 - 1 - len(hash); len(base) > max {
		base = strings.Trim(base[:max], "-")
	}
	if base == "" {
		return "auth-" + hash
	}
	return base + "-" + hash
}

// sanitizeName lower-cases s and keeps letters, digits and single hyphens.
func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return collapseHyphens(b.String())
}

func collapseHyphens(s string) string {
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	return strings.Trim(s, "-")
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

// checkUnknownKeys reports every configured key in this program's namespace
// that it does not read, with the closest key it knows.
func checkUnknownKeys(p *parser, configured []string, read map[string]bool) {
	var known []string
	for key := range read {
		if strings.HasPrefix(key, Namespace+":") {
			known = append(known, strings.TrimPrefix(key, Namespace+":"))
		}
	}
	sort.Strings(known)
	for _, key := range configured {
		name, ok := strings.CutPrefix(key, Namespace+":")
		if !ok || read[key] {
			continue
		}
		if best := closest(name, known); best != "" {
			p.add(key, "is not a setting of this program; did you mean %s? Rename it: pulumi config rm %s && pulumi config set %s <value>", best, name, best)
		} else {
			p.add(key, "is not a setting of this program (they are: %s); remove it with: pulumi config rm %s", strings.Join(known, ", "), name)
		}
	}
}

// closest returns the known key nearest to name (same letters in another
// case, or a few edits away), or "".
func closest(name string, known []string) string {
	best, bestD := "", len(name)/3+2
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k
		}
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
