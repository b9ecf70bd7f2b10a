// Package names checks the one rule for names across the repository. It
// is apart from the whole-program tests because it reads every Go file: in
// their package, any edit would rerun them all.
package names

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// initialisms are Go's common initialisms (the list staticcheck's ST1003
// uses), plus URN as the Pulumi SDK writes it (resource.URN). They keep one
// case; every other abbreviation is written as a word (CONTRIBUTING.md,
// "Names").
var initialisms = strings.Fields("ACL API ASCII CPU CSS DNS EOF GUID HTML HTTP HTTPS ID IP JSON QPS RAM RPC SLA SMTP SQL SSH TCP TLS TTL UDP UI GID UID UUID URI URL UTF8 VM XML XMPP XSRF XSS SIP RTP AMQP DB TS URN")

// Every name the repository declares (both modules) follows the one rule
// for initialisms: ClientID and SignInURL, not ClientId and SignInUrl; and
// AlbArn, not ALBArn.
func TestNames(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".." || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, id := range declared(f) {
			checked++
			if msg := nameProblem(id.Name); msg != "" {
				t.Errorf("%s: %s", fset.Position(id.Pos()), msg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 1000 {
		t.Errorf("only %d names checked: the walk missed the code", checked)
	}
	for _, good := range []string{"ClientID", "clientID", "SignInURL", "APIPaths", "AlbArn", "VpcID", "IdpOidc", "ACLs", "JwksURL"} {
		if msg := nameProblem(good); msg != "" {
			t.Errorf("the rule rejects %s: %s", good, msg)
		}
	}
	for _, bad := range []string{"ClientId", "SignInUrl", "ALBArn", "VPCId", "IdPOIDC", "JWKSURL", "Cpu"} {
		if nameProblem(bad) == "" {
			t.Errorf("the rule accepts %s", bad)
		}
	}
}

// declared are the names a file declares: functions, types, constants and
// variables, fields and parameters, and := and range variables.
func declared(f *ast.File) []*ast.Ident {
	var out []*ast.Ident
	add := func(ids ...*ast.Ident) {
		for _, id := range ids {
			if id != nil && id.Name != "_" {
				out = append(out, id)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			add(x.Name)
		case *ast.TypeSpec:
			add(x.Name)
		case *ast.ValueSpec:
			add(x.Names...)
		case *ast.Field:
			add(x.Names...)
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, e := range x.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		}
		return true
	})
	return out
}

// nameProblem says what is wrong with a name, or "".
func nameProblem(name string) string {
	for i, w := range camelWords(name) {
		base := strings.TrimRight(w, "0123456789")
		if n := len(base); n > 2 && base[n-1] == 's' && strings.ToUpper(base[:n-1]) == base[:n-1] {
			base = base[:n-1] // a plural initialism: ACLs
		}
		upper := strings.ToUpper(base)
		switch {
		case base == "":
		case slices.Contains(initialisms, upper):
			if base != upper && !(i == 0 && base == strings.ToLower(base)) {
				return "write " + upper + " in one case in " + name
			}
		case base == upper && len(base) >= 2 && !madeOfInitialisms(base):
			return base + " in " + name + " is not one of Go's initialisms: write it as a word (" + base[:1] + strings.ToLower(base[1:]) + ")"
		}
	}
	return ""
}

// madeOfInitialisms reports whether a run of capitals is initialisms side
// by side (JSONURL), with digits at the end.
func madeOfInitialisms(s string) bool {
	if strings.TrimLeft(s, "0123456789") == "" {
		return true
	}
	for _, i := range initialisms {
		if strings.HasPrefix(s, i) && madeOfInitialisms(s[len(i):]) {
			return true
		}
	}
	return false
}

// camelWords splits a name into its words: a capital and the small letters
// after it, a run of capitals (with a plural s: ACLs), a run of small
// letters; digits stay with the word before them.
func camelWords(name string) []string {
	r := []rune(name)
	var out []string
	for i := 0; i < len(r); {
		j := i
		switch {
		case unicode.IsUpper(r[i]):
			for j < len(r) && unicode.IsUpper(r[j]) {
				j++
			}
			switch {
			case j < len(r) && r[j] == 's' && j-i > 1 && (j+1 == len(r) || !unicode.IsLower(r[j+1])):
				j++ // ACLs
			case j < len(r) && unicode.IsLower(r[j]) && j-i > 1:
				j-- // the last capital starts the next word: ALBArn
			case j < len(r) && unicode.IsLower(r[j]):
				for j < len(r) && (unicode.IsLower(r[j]) || unicode.IsDigit(r[j])) {
					j++
				}
			}
			for j < len(r) && unicode.IsDigit(r[j]) {
				j++
			}
		case unicode.IsLower(r[i]) || unicode.IsDigit(r[i]):
			for j < len(r) && (unicode.IsLower(r[j]) || unicode.IsDigit(r[j])) {
				j++
			}
		default:
			i++
			continue
		}
		out = append(out, string(r[i:j]))
		i = j
	}
	return out
}
