package rdf

import "strings"

// isLangTag matches [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func isLangTag(s string) bool {
	parts := strings.Split(s, "-")
	for i, part := range parts {
		if part == "" {
			return false
		}
		for _, c := range part {
			letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			if !letter && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// resolveIRI resolves ref against base (RFC 3986, section 5.2). An
// absolute ref, or any ref without a base, is kept as written.
func resolveIRI(base, ref string) string {
	if base == "" || iriScheme(ref) != "" {
		return ref
	}
	b, r := splitIRI(base), splitIRI(ref)
	t := iriParts{scheme: b.scheme, frag: r.frag, hasFrag: r.hasFrag}
	switch {
	case r.hasAuth:
		t.auth, t.hasAuth, t.path, t.query, t.hasQuery = r.auth, true, removeDotSegments(r.path), r.query, r.hasQuery
	case r.path == "":
		t.auth, t.hasAuth, t.path, t.query, t.hasQuery = b.auth, b.hasAuth, b.path, b.query, b.hasQuery
		if r.hasQuery {
			t.query, t.hasQuery = r.query, true
		}
	default:
		t.auth, t.hasAuth, t.query, t.hasQuery = b.auth, b.hasAuth, r.query, r.hasQuery
		if strings.HasPrefix(r.path, "/") {
			t.path = removeDotSegments(r.path)
		} else if b.hasAuth && b.path == "" {
			t.path = removeDotSegments("/" + r.path)
		} else {
			t.path = removeDotSegments(b.path[:strings.LastIndexByte(b.path, '/')+1] + r.path)
		}
	}
	return t.String()
}

type iriParts struct {
	scheme, auth, path, query, frag string
	hasAuth, hasQuery, hasFrag      bool
}

func (t iriParts) String() string {
	var b strings.Builder
	if t.scheme != "" {
		b.WriteString(t.scheme + ":")
	}
	if t.hasAuth {
		b.WriteString("//" + t.auth)
	}
	b.WriteString(t.path)
	if t.hasQuery {
		b.WriteString("?" + t.query)
	}
	if t.hasFrag {
		b.WriteString("#" + t.frag)
	}
	return b.String()
}

// iriScheme is s's scheme, or "" when s is a relative reference.
func iriScheme(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		case i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return s[:i]
		default:
			return ""
		}
	}
	return ""
}

func splitIRI(s string) iriParts {
	var t iriParts
	if t.scheme = iriScheme(s); t.scheme != "" {
		s = s[len(t.scheme)+1:]
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		t.frag, t.hasFrag, s = s[i+1:], true, s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		t.query, t.hasQuery, s = s[i+1:], true, s[:i]
	}
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		i := strings.IndexByte(s, '/')
		if i < 0 {
			i = len(s)
		}
		t.auth, t.hasAuth, s = s[:i], true, s[i:]
	}
	t.path = s
	return t
}

// removeDotSegments removes "." and ".." segments (RFC 3986, 5.2.4).
func removeDotSegments(in string) string {
	out := make([]byte, 0, len(in))
	dropLast := func() {
		i := len(out) - 1
		for i >= 0 && out[i] != '/' {
			i--
		}
		out = out[:max(i, 0)]
	}
	for len(in) > 0 {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			dropLast()
		case in == "/..":
			in = "/"
			dropLast()
		case in == "." || in == "..":
			in = ""
		default:
			i := strings.IndexByte(in[1:], '/') + 1
			if i == 0 {
				i = len(in)
			}
			out = append(out, in[:i]...)
			in = in[i:]
		}
	}
	return string(out)
}

// ValidIRI reports whether s is an absolute IRI every syntax can write: a
// scheme, and none of the characters IRIs may not hold (spaces, <>"{}|^`\,
// controls).
func ValidIRI(s string) bool {
	if iriScheme(s) == "" {
		return false
	}
	for _, c := range s {
		if !iriChar(c) {
			return false
		}
	}
	return true
}
