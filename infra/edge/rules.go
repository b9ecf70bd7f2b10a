package edge

import "strconv"

// ALB limits on listener rule conditions (ALB quotas docs): at most three
// values in one condition, at most five values across a rule's conditions.
const (
	MaxValuesPerCondition = 3
	MaxValuesPerRule      = 5
)

// Priority bases. A rule's priority follows from its name (kind and index),
// so adding or removing host names or paths never moves an existing rule onto
// a priority another rule still holds.
const (
	PublicPriorityBase = 100
	AuthPriorityBase   = 1000
)

// Rule is one planned listener rule.
type Rule struct {
	// Name suffix, stable for a given kind and index: "public-0", "auth-1".
	Name     string
	Priority int
	Hosts    []string
	// Paths are path patterns; empty for authenticated rules (every path).
	Paths []string
	// Authenticate puts authenticate-cognito before forward.
	Authenticate bool
}

// PlanRules splits the listener rules the ALB needs into as many rules as its
// condition limits require. Public rules (host and path, no sign-in) come
// first; authenticated rules (host only) catch everything else on our hosts.
// Unknown hosts fall through to the listener's default 404.
func PlanRules(hosts, publicPaths []string) []Rule {
	var rules []Rule
	if len(publicPaths) > 0 {
		h, p := publicChunkSizes(len(hosts), len(publicPaths))
		i := 0
		for _, paths := range chunk(publicPaths, p) {
			for _, hs := range chunk(hosts, h) {
				rules = append(rules, Rule{
					Name:     "public-" + strconv.Itoa(i),
					Priority: PublicPriorityBase + i,
					Hosts:    hs,
					Paths:    paths,
				})
				i++
			}
		}
	}
	for i, hs := range chunk(hosts, MaxValuesPerCondition) {
		rules = append(rules, Rule{
			Name:         "auth-" + strconv.Itoa(i),
			Priority:     AuthPriorityBase + i,
			Hosts:        hs,
			Authenticate: true,
		})
	}
	return rules
}

// publicChunkSizes picks how many hosts and paths go in one public rule so
// that the number of rules is smallest; ties prefer more hosts per rule.
func publicChunkSizes(nHosts, nPaths int) (hosts, paths int) {
	best := -1
	for h := min(MaxValuesPerCondition, nHosts); h >= 1; h-- {
		for p := min(MaxValuesPerCondition, nPaths); p >= 1; p-- {
			if h+p > MaxValuesPerRule {
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
