package rdf

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
)

// XML literals (rdf:parseType="Literal"), DOCTYPE entities and XML
// escaping for the RDF/XML reader and writer.

// xmlLiteral reads the content of a parseType="Literal" property element
// up to its end tag and serialises it the way exclusive XML
// canonicalisation does: namespace declarations where a prefix is first
// used, attributes sorted, empty elements as start and end tags.
func (r *rxReader) xmlLiteral() (string, error) {
	var b strings.Builder
	var decls []map[string]string // declarations written on each open element
	var names []string            // qualified names of the open elements
	inScope := func(p string) string {
		for i := len(decls) - 1; i >= 0; i-- {
			if v, ok := decls[i][p]; ok {
				return v
			}
		}
		return ""
	}
	type attr struct{ space, local, qname, value string }
	for {
		tok, err := r.next()
		if err != nil {
			return "", r.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			decl := map[string]string{}
			p, ok := r.prefixOf(t.Name.Space, true)
			if !ok {
				return "", r.errf("no prefix for the namespace %s in an XML literal", t.Name.Space)
			}
			qname := t.Name.Local
			if p != "" {
				qname = p + ":" + qname
			}
			if inScope(p) != t.Name.Space {
				decl[p] = t.Name.Space
			}
			var attrs []attr
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns":
				case a.Name.Space == "":
					attrs = append(attrs, attr{"", a.Name.Local, a.Name.Local, a.Value})
				case a.Name.Space == rxXMLNS:
					attrs = append(attrs, attr{rxXMLNS, a.Name.Local, "xml:" + a.Name.Local, a.Value})
				default:
					ap, ok := r.prefixOf(a.Name.Space, false)
					if !ok {
						return "", r.errf("no prefix for the namespace %s in an XML literal", a.Name.Space)
					}
					if inScope(ap) != a.Name.Space {
						decl[ap] = a.Name.Space
					}
					attrs = append(attrs, attr{a.Name.Space, a.Name.Local, ap + ":" + a.Name.Local, a.Value})
				}
			}
			slices.SortFunc(attrs, func(x, y attr) int {
				if c := strings.Compare(x.space, y.space); c != 0 {
					return c
				}
				return strings.Compare(x.local, y.local)
			})
			b.WriteString("<" + qname)
			prefixes := make([]string, 0, len(decl))
			for p := range decl {
				prefixes = append(prefixes, p)
			}
			slices.Sort(prefixes)
			for _, p := range prefixes {
				if p == "" {
					b.WriteString(` xmlns="` + rxEscapeAttr(decl[p]) + `"`)
				} else {
					b.WriteString(" xmlns:" + p + `="` + rxEscapeAttr(decl[p]) + `"`)
				}
			}
			for _, a := range attrs {
				b.WriteString(" " + a.qname + `="` + rxEscapeAttr(a.value) + `"`)
			}
			b.WriteString(">")
			decls, names = append(decls, decl), append(names, qname)
		case xml.EndElement:
			if len(names) == 0 {
				return b.String(), nil
			}
			b.WriteString("</" + names[len(names)-1] + ">")
			decls, names = decls[:len(decls)-1], names[:len(names)-1]
		case xml.CharData:
			b.WriteString(rxEscapeText(string(t)))
		case xml.Comment:
			b.WriteString("<!--" + string(t) + "-->")
		case xml.ProcInst:
			b.WriteString("<?" + t.Target)
			if len(t.Inst) > 0 {
				b.WriteString(" " + string(t.Inst))
			}
			b.WriteString("?>")
		}
	}
}

// prefixOf is a prefix in scope bound to the namespace space; for an
// element the default namespace is preferred.
func (r *rxReader) prefixOf(space string, element bool) (string, bool) {
	lookup := func(p string) (string, bool) {
		for i := len(r.ns) - 1; i >= 0; i-- {
			if v, ok := r.ns[i][p]; ok {
				return v, true
			}
		}
		return "", false
	}
	if element {
		if v, _ := lookup(""); v == space {
			return "", true
		}
	}
	if space == "" {
		return "", false // an unprefixed attribute is handled by the caller
	}
	for i := len(r.ns) - 1; i >= 0; i-- {
		var found []string
		for p, v := range r.ns[i] {
			if p != "" && v == space {
				if w, _ := lookup(p); w == space {
					found = append(found, p)
				}
			}
		}
		if len(found) > 0 {
			return slices.Min(found), true
		}
	}
	return "", false
}

// doctype takes the general entities declared in a DOCTYPE's internal
// subset, so that the decoder replaces their references. Values must be
// plain text; external and parameter entities are refused.
func (r *rxReader) doctype(dir string) error {
	if !strings.HasPrefix(dir, "DOCTYPE") {
		return nil
	}
	i := strings.IndexByte(dir, '[')
	if i < 0 {
		return nil
	}
	subset := dir[i+1:]
	for {
		k := strings.Index(subset, "<!ENTITY")
		if k < 0 {
			return nil
		}
		s := strings.TrimLeft(subset[k+len("<!ENTITY"):], " \t\r\n")
		if strings.HasPrefix(s, "%") {
			return r.errf("parameter entities are not supported")
		}
		end := strings.IndexAny(s, " \t\r\n")
		if end < 0 {
			return r.errf("malformed entity declaration")
		}
		name := s[:end]
		s = strings.TrimLeft(s[end:], " \t\r\n")
		if s == "" || s[0] != '"' && s[0] != '\'' {
			if strings.HasPrefix(s, "SYSTEM") || strings.HasPrefix(s, "PUBLIC") {
				return r.errf("external entity %q is not supported", name)
			}
			return r.errf("malformed declaration of entity %q", name)
		}
		end = strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return r.errf("entity %q has no closing quote", name)
		}
		value, err := r.entityValue(name, s[1:1+end])
		if err != nil {
			return err
		}
		subset = s[end+2:]
		if !rxIsNCName(name) {
			return r.errf("entity name %q is not an XML name", name)
		}
		if len(r.entities) >= rxMaxEntities {
			return r.errf("more than %d entities are declared", rxMaxEntities)
		}
		if _, dup := r.entities[name]; !dup {
			r.entities[name] = value // the first declaration binds
		}
	}
}

// entityValue expands character and entity references in a declared
// entity's value.
func (r *rxReader) entityValue(name, v string) (string, error) {
	var b strings.Builder
	for v != "" {
		c := v[0]
		switch c {
		case '<':
			return "", r.errf("entity %q holds markup, which is not supported", name)
		case '%':
			return "", r.errf("entity %q refers to a parameter entity, which is not supported", name)
		case '&':
			end := strings.IndexByte(v, ';')
			if end < 0 {
				return "", r.errf("entity %q holds an unterminated reference", name)
			}
			ref := v[1:end]
			v = v[end+1:]
			if num, ok := strings.CutPrefix(ref, "#"); ok {
				base := 10
				if hex, ok := strings.CutPrefix(num, "x"); ok {
					num, base = hex, 16
				}
				n, err := strconv.ParseUint(num, base, 32)
				if err != nil || !rxIsXMLChar(rune(n)) {
					return "", r.errf("entity %q holds a bad character reference &%s;", name, ref)
				}
				b.WriteRune(rune(n))
				continue
			}
			predefined := map[string]string{"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": `"`}
			if s, ok := predefined[ref]; ok {
				b.WriteString(s)
			} else if s, ok := r.entities[ref]; ok {
				b.WriteString(s)
			} else {
				return "", r.errf("entity %q refers to the undeclared entity %q", name, ref)
			}
		default:
			b.WriteByte(c)
			v = v[1:]
		}
		if b.Len() > rxMaxEntity {
			return "", r.errf("entity %q is longer than %d bytes", name, rxMaxEntity)
		}
	}
	if bad := rxBadXMLChar(b.String()); bad >= 0 {
		return "", r.errf("entity %q holds the character %U, which XML does not allow", name, bad)
	}
	return b.String(), nil
}

// rxEscapeText escapes character data (as canonical XML does).
func rxEscapeText(s string) string {
	return rxTextEscaper.Replace(s)
}

// rxEscapeAttr escapes a double-quoted attribute value.
func rxEscapeAttr(s string) string {
	return rxAttrEscaper.Replace(s)
}

var (
	rxTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	rxAttrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;",
		"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
)
