package config

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
)

// DeriveDomainPrefix builds a Cognito domain prefix from the project, stack
// and domain: readable (domain and stack), unique enough (a hash of all
// three, since prefixes are unique per region across all AWS accounts), stable
// for the same inputs, and always valid (awsfacts.CheckCognitoPrefix).
func DeriveDomainPrefix(project, stack, domain string) string {
	sum := sha256.Sum256([]byte(project + "/" + stack + "/" + domain))
	hash := hex.EncodeToString(sum[:])[:10]
	base := sanitizeName(domain + "-" + stack)
	for changed := true; changed; {
		changed = false
		for _, w := range awsfacts.CognitoPrefixReservedWords {
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
