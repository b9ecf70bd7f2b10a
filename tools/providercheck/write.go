package providercheck

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// origin is what one line of the written configuration stands for.
type origin struct {
	res    *resource
	pulumi string
}

// jsonWriter writes a node tree as indented JSON, one value per line, and
// remembers which resource and Pulumi property each line holds, so that a
// Terraform diagnostic's line leads back to the Pulumi property.
type jsonWriter struct {
	buf   bytes.Buffer
	line  int // 1-based number of the line being written
	lines map[int]origin
	res   *resource // the resource being written, if any
}

func newWriter() *jsonWriter {
	return &jsonWriter{line: 1, lines: map[int]origin{}}
}

func (w *jsonWriter) newline(indent int) {
	w.buf.WriteByte('\n')
	w.line++
	w.buf.WriteString(strings.Repeat("  ", indent))
}

func (w *jsonWriter) mark(n *node) {
	if w.res != nil && n != nil {
		w.lines[w.line] = origin{res: w.res, pulumi: n.pulumi}
	}
}

func (w *jsonWriter) write(n *node, indent int) {
	switch {
	case n.isObj:
		w.buf.WriteByte('{')
		for i, f := range n.fields {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.newline(indent + 1)
			w.mark(f.val)
			w.str(f.key)
			w.buf.WriteString(": ")
			w.write(f.val, indent+1)
		}
		if len(n.fields) > 0 {
			w.newline(indent)
		}
		w.buf.WriteByte('}')
	case n.isArr:
		w.buf.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.newline(indent + 1)
			w.mark(e)
			w.write(e, indent+1)
		}
		if len(n.elems) > 0 {
			w.newline(indent)
		}
		w.buf.WriteByte(']')
	default:
		b, _ := json.Marshal(n.scalar)
		w.buf.Write(b)
	}
}

func (w *jsonWriter) str(s string) {
	b, _ := json.Marshal(s)
	w.buf.Write(b)
}

// obj builds an object node from plain Go values (provider blocks and the
// like, which no Pulumi property stands behind).
func obj(kv ...any) *node {
	n := &node{isObj: true}
	for i := 0; i+1 < len(kv); i += 2 {
		n.set(kv[i].(string), plain(kv[i+1]))
	}
	return n
}

func plain(v any) *node {
	switch x := v.(type) {
	case *node:
		return x
	case []*node:
		return &node{isArr: true, elems: x}
	case map[string]any:
		n := &node{isObj: true}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			n.set(k, plain(x[k]))
		}
		return n
	default:
		return &node{scalar: v}
	}
}
