package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

// Account is the AWS account id in every fake ARN.
const Account = "123456789012"

// Mock is one registration the recording mock answers: what was registered,
// and the id and outputs to answer with. Values are derived from the URN,
// so they are stable run to run. The outputs are the inputs (the recorder
// keeps them) plus what an entry's Mock sets.
type Mock struct {
	Region string // where the resource is: its provider's region
	Name   string // the logical name
	// URN seeds every fake value: the resource's URN or, for a resource
	// moved by an alias of the same type, the URN it had before (the same
	// cloud resource keeps its identifiers).
	URN    string
	Inputs map[string]any // as registered, in plain form (tools/synth.Plain)
	// ID is what the mock answers as the resource's id; it starts as a
	// random-looking hex string.
	ID      string
	Outputs map[string]any
}

// Secret marks an output the mock answers as a secret.
type Secret struct{ Value string }

// Set sets an output.
func (m *Mock) Set(key string, v any) {
	if m.Outputs == nil {
		m.Outputs = map[string]any{}
	}
	m.Outputs[key] = v
}

// Hex is n hex digits derived from the URN and a label.
func (m *Mock) Hex(label string, n int) string { return HexOf(m.URN+"/"+label, n) }

// Input is a string input, or "".
func (m *Mock) Input(key string) string {
	s, _ := m.Inputs[key].(string)
	return s
}

// Physical is the resource's physical name: its name input, or Pulumi's
// auto-name (the logical name, "-" and seven characters).
func (m *Mock) Physical() string {
	if n := m.Input("name"); n != "" {
		return n
	}
	return m.Name + "-" + m.Hex("name", 7)
}

// ArnPrefix is "arn:aws:<service>:<region>:<account>:".
func (m *Mock) ArnPrefix(service string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:", service, m.Region, Account)
}

// HexOf is n hex digits derived from seed.
func HexOf(seed string, n int) string {
	var s string
	for i := 0; len(s) < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s#%d", seed, i)))
		s += hex.EncodeToString(sum[:])
	}
	return s[:n]
}

func digitsOf(seed string, n int) string {
	v := new(big.Int).SetBytes([]byte(HexOf(seed, 32)))
	return fmt.Sprintf("%0*s", n, v.String())[:n]
}

func alnumOf(seed string, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	h := HexOf(seed, 2*n)
	out := make([]byte, n)
	for i := range out {
		b, _ := hex.DecodeString(h[2*i : 2*i+2])
		out[i] = alphabet[int(b[0])%len(alphabet)]
	}
	return string(out)
}

func uuidOf(seed string) string {
	h := HexOf(seed, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// lastSegment is the part of a URN after its last "::" (the resource's name).
func lastSegment(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}
