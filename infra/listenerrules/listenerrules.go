// Package listenerrules lays out the load balancer's listener rules: which
// hosts and paths each one matches, whether it signs users in, and its
// priority. ("Rule" means an ALB listener rule everywhere in this project.)
// It depends only on awsfacts, so configuration validation can count the
// rules a stack needs against the ALB's quota before anything is registered.
package listenerrules

import (
	"strconv"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
)

// Priority bases. A rule's priority follows from its name (kind and index),
// so adding or removing host names or paths never moves an existing rule onto
// a priority another rule still holds. Public rules come first, then API
// rules, then the rules that sign users in.
const (
	PublicPriorityBase = 100
	APIPriorityBase    = 500
	AuthPriorityBase   = 1000
)

// Rule is one listener rule of the layout.
type Rule struct {
	// Name suffix, stable for a given kind and index: "public-0", "api-0", "auth-1".
	Name     string
	Priority int
	Hosts    []string
	// Paths are path patterns; empty for authenticated rules (every path).
	Paths []string
	// Authenticate puts authenticate-cognito before forward.
	Authenticate bool
	// Deny: a request without a session gets 401 instead of a redirect to
	// the sign-in page (onUnauthenticatedRequest deny), for API calls a
	// fetch() makes.
	Deny bool
}

// Layout splits the listener rules the ALB needs into as many rules as its
// condition limits require. Public rules (host and path, no sign-in) come
// first; API rules (host and path, sign-in required, 401 without a
// session) next; authenticated rules (host only) catch everything else on
// our hosts. Unknown hosts fall through to the listener's default 404.
func Layout(hosts, publicPaths, apiPaths []string) []Rule {
	var out []Rule
	out = append(out, pathRules("public-", PublicPriorityBase, hosts, publicPaths, false)...)
	out = append(out, pathRules("api-", APIPriorityBase, hosts, apiPaths, true)...)
	for i, hs := range chunk(hosts, awsfacts.MaxConditionValues) {
		out = append(out, Rule{
			Name:         "auth-" + strconv.Itoa(i),
			Priority:     AuthPriorityBase + i,
			Hosts:        hs,
			Authenticate: true,
		})
	}
	return out
}

func pathRules(prefix string, base int, hosts, paths []string, api bool) []Rule {
	if len(paths) == 0 {
		return nil
	}
	var out []Rule
	h, p := publicChunkSizes(len(hosts), len(paths))
	i := 0
	for _, ps := range chunk(paths, p) {
		for _, hs := range chunk(hosts, h) {
			out = append(out, Rule{
				Name:         prefix + strconv.Itoa(i),
				Priority:     base + i,
				Hosts:        hs,
				Paths:        ps,
				Authenticate: api,
				Deny:         api,
			})
			i++
		}
	}
	return out
}

// publicChunkSizes picks how many hosts and paths go in one public rule so
// that the number of rules is smallest; ties prefer more hosts per rule.
func publicChunkSizes(nHosts, nPaths int) (hosts, paths int) {
	best := -1
	for h := min(awsfacts.MaxConditionValues, nHosts); h >= 1; h-- {
		for p := min(awsfacts.MaxConditionValues, nPaths); p >= 1; p-- {
			if h+p > awsfacts.MaxRuleValues {
				continue
			}
			n := ceilDiv(nHosts, h) * ceilDiv(nPaths, p)
			if best < 0 || n < best {
				best, hosts, paths = n, h, p
			}
		}
	}
	return hosts, paths
}

func chunk(s []string, size int) [][]string {
	var out [][]string
	for len(s) > 0 {
		n := min(size, len(s))
		out = append(out, s[:n:n])
		s = s[n:]
	}
	return out
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
