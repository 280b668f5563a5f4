package rdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxTurtleDepth is how deeply blank node property lists and collections
// may nest in a document read.
const maxTurtleDepth = 64

// ReadTurtle parses Turtle (W3C RDF 1.1 Turtle); base resolves relative
// IRIs. Blank node labels of the document are kept, except that labels
// starting with "genid" become "genid_" + label, so that they never meet
// the labels made up for anonymous nodes ("genid1", "genid2", ...).
func ReadTurtle(r io.Reader, base string) ([]Triple, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("turtle: %w", err)
	}
	p := &turtleReader{src: string(data), base: base, prefixes: map[string]string{}}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			c, size := utf8.DecodeRune(data[i:])
			if c == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return nil, p.errAt(i, "the document is not valid UTF-8")
	}
	if strings.HasPrefix(p.src, "\uFEFF") {
		p.pos = len("\uFEFF")
	}
	seen, kept := map[Triple]bool{}, 0
	for {
		p.skipWS()
		if p.pos >= len(p.src) {
			return p.out, nil
		}
		if err := p.statement(); err != nil {
			return nil, err
		}
		// A graph is a set: drop repeated triples.
		for _, t := range p.out[kept:] {
			if !seen[t] {
				seen[t] = true
				p.out[kept] = t
				kept++
			}
		}
		p.out = p.out[:kept]
	}
}

type turtleReader struct {
	src      string
	pos      int
	base     string
	prefixes map[string]string
	gen      int
	depth    int
	out      []Triple
}

// errAt is an error naming the line and column of byte offset pos.
func (p *turtleReader) errAt(pos int, format string, args ...any) error {
	pos = min(max(pos, 0), len(p.src))
	before := p.src[:pos]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Errorf("turtle: line %d, column %d: %s", line, col, fmt.Sprintf(format, args...))
}

func (p *turtleReader) errHere(format string, args ...any) error {
	return p.errAt(p.pos, format, args...)
}

// peekAt is the rune at byte offset p.pos+off, or -1 at the end.
func (p *turtleReader) peekAt(off int) rune {
	if p.pos+off >= len(p.src) {
		return -1
	}
	c, _ := utf8.DecodeRuneInString(p.src[p.pos+off:])
	return c
}

func (p *turtleReader) peek() rune { return p.peekAt(0) }

// next consumes one rune.
func (p *turtleReader) next() rune {
	c, size := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += size
	return c
}

// found describes what is at the current position, for error messages.
func (p *turtleReader) found() string {
	if p.pos >= len(p.src) {
		return "the end of the document"
	}
	return strconv.QuoteRune(p.peek())
}

func (p *turtleReader) skipWS() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		case '#':
			if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
				p.pos += i + 1
			} else {
				p.pos = len(p.src)
			}
		default:
			return
		}
	}
}

// expect consumes c after white space, or fails saying what was expected.
func (p *turtleReader) expect(c byte, what string) error {
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return nil
	}
	return p.errHere("expected %q %s, found %s", string(c), what, p.found())
}

func (p *turtleReader) emit(s, pred, o Term) { p.out = append(p.out, Triple{s, pred, o}) }

func (p *turtleReader) fresh() Term {
	p.gen++
	return Blank("genid" + strconv.Itoa(p.gen))
}

// keyword reports whether a case-insensitive keyword (PREFIX, BASE)
// stands at the current position as a whole word.
func (p *turtleReader) keyword(word string) bool {
	end := p.pos + len(word)
	if end > len(p.src) || !strings.EqualFold(p.src[p.pos:end], word) {
		return false
	}
	if end == len(p.src) {
		return true
	}
	c, _ := utf8.DecodeRuneInString(p.src[end:])
	return !isPNChars(c) && c != ':' && c != '.'
}

func (p *turtleReader) statement() error {
	start := p.pos
	switch {
	case p.peek() == '@':
		p.pos++
		switch {
		case strings.HasPrefix(p.src[p.pos:], "prefix") && p.keyword("prefix"):
			p.pos += len("prefix")
			if err := p.prefixDecl(); err != nil {
				return err
			}
		case strings.HasPrefix(p.src[p.pos:], "base") && p.keyword("base"):
			p.pos += len("base")
			if err := p.baseDecl(); err != nil {
				return err
			}
		default:
			return p.errAt(start, "unknown directive: only @prefix and @base exist")
		}
		return p.expect('.', "after the directive")
	case p.keyword("PREFIX"):
		p.pos += len("PREFIX")
		return p.prefixDecl()
	case p.keyword("BASE"):
		p.pos += len("BASE")
		return p.baseDecl()
	}
	if err := p.triples(); err != nil {
		return err
	}
	return p.expect('.', "at the end of the statement")
}

func (p *turtleReader) prefixDecl() error {
	p.skipWS()
	start := p.pos
	name, err := p.prefixName()
	if err != nil {
		return err
	}
	if p.peek() != ':' {
		return p.errAt(start, "expected a prefix name ending in \":\", found %s", p.found())
	}
	p.pos++
	p.skipWS()
	if p.peek() != '<' {
		return p.errHere("expected the prefix's IRI in <...>, found %s", p.found())
	}
	iri, err := p.iriRef()
	if err != nil {
		return err
	}
	p.prefixes[name] = iri
	return nil
}

func (p *turtleReader) baseDecl() error {
	p.skipWS()
	if p.peek() != '<' {
		return p.errHere("expected the base IRI in <...>, found %s", p.found())
	}
	iri, err := p.iriRef()
	if err != nil {
		return err
	}
	p.base = iri
	return nil
}

func (p *turtleReader) triples() error {
	var subj Term
	var err error
	switch p.peek() {
	case '[':
		if p.anonAhead() {
			subj, err = p.blankNodePropertyList()
			break
		}
		if subj, err = p.blankNodePropertyList(); err != nil {
			return err
		}
		p.skipWS()
		if p.peek() == '.' {
			return nil
		}
		return p.predicateObjectList(subj)
	case '(':
		subj, err = p.collection()
	case '"', '\'':
		return p.errHere("a literal cannot be a subject")
	default:
		subj, err = p.iriOrBlank("a subject")
	}
	if err != nil {
		return err
	}
	return p.predicateObjectList(subj)
}

// anonAhead reports whether "[" is followed by "]" (white space aside).
func (p *turtleReader) anonAhead() bool {
	save := p.pos
	p.pos++
	p.skipWS()
	anon := p.peek() == ']'
	p.pos = save
	return anon
}

func (p *turtleReader) predicateObjectList(subj Term) error {
	for {
		p.skipWS()
		pred, err := p.verb()
		if err != nil {
			return err
		}
		if err := p.objectList(subj, pred); err != nil {
			return err
		}
		p.skipWS()
		if p.peek() != ';' {
			return nil
		}
		for p.peek() == ';' {
			p.pos++
			p.skipWS()
		}
		if c := p.peek(); c == '.' || c == ']' || c == -1 {
			return nil
		}
	}
}

func (p *turtleReader) verb() (Term, error) {
	if p.peek() == 'a' {
		if c := p.peekAt(1); !isPNChars(c) && c != ':' && c != '.' {
			p.pos++
			return Type, nil
		}
	}
	switch c := p.peek(); {
	case c == '<' || c == ':' || isPNCharsBase(c):
		iri, err := p.iri("a predicate")
		return IRI(iri), err
	}
	return Term{}, p.errHere("expected a predicate (an IRI or \"a\"), found %s", p.found())
}

func (p *turtleReader) objectList(subj, pred Term) error {
	for {
		p.skipWS()
		o, err := p.object()
		if err != nil {
			return err
		}
		p.emit(subj, pred, o)
		p.skipWS()
		if p.peek() != ',' {
			return nil
		}
		p.pos++
	}
}

// iri reads an IRIREF or a prefixed name.
func (p *turtleReader) iri(what string) (string, error) {
	if p.peek() == '<' {
		return p.iriRef()
	}
	if c := p.peek(); c != ':' && !isPNCharsBase(c) {
		return "", p.errHere("expected %s (an IRI in <...> or a prefixed name), found %s", what, p.found())
	}
	start := p.pos
	prefix, err := p.prefixName()
	if err != nil {
		return "", err
	}
	if p.peek() != ':' {
		return "", p.errAt(start, "expected %s (an IRI in <...> or a prefixed name), found %q", what, p.src[start:p.pos])
	}
	p.pos++
	return p.expandPrefixed(start, prefix)
}

func (p *turtleReader) expandPrefixed(start int, prefix string) (string, error) {
	ns, ok := p.prefixes[prefix]
	if !ok {
		return "", p.errAt(start, "the prefix %q is not declared", prefix+":")
	}
	local, err := p.localName()
	if err != nil {
		return "", err
	}
	return ns + local, nil
}

// prefixName reads PN_PREFIX (possibly empty) up to, not including, ":".
func (p *turtleReader) prefixName() (string, error) {
	start := p.pos
	if p.peek() == ':' {
		return "", nil
	}
	if !isPNCharsBase(p.peek()) {
		return "", p.errHere("expected a prefix name, found %s", p.found())
	}
	p.next()
	for c := p.peek(); isPNChars(c) || c == '.'; c = p.peek() {
		p.next()
	}
	name := p.src[start:p.pos]
	if strings.HasSuffix(name, ".") && p.peek() == ':' {
		return "", p.errAt(start, "the prefix name %q may not end with \".\"", name)
	}
	return name, nil
}

// localName reads PN_LOCAL after the ":" of a prefixed name, unescaping
// \-escapes and keeping %-escapes as written.
func (p *turtleReader) localName() (string, error) {
	var b strings.Builder
	first := true
	for {
		c := p.peek()
		switch {
		case c == '\\':
			e := p.peekAt(1)
			if e < 0 || !strings.ContainsRune("_~.-!$&'()*+,;=/?#@%", e) {
				return "", p.errHere("invalid escape in a local name: only \\ before one of _~.-!$&'()*+,;=/?#@%% is allowed")
			}
			b.WriteRune(e)
			p.pos += 2
		case c == '%':
			if !isHex(p.peekAt(1)) || !isHex(p.peekAt(2)) {
				return "", p.errHere("\"%%\" in a local name must be followed by two hexadecimal digits")
			}
			b.WriteString(p.src[p.pos : p.pos+3])
			p.pos += 3
		case c == ':' || isPNCharsU(c) || (c >= '0' && c <= '9') || (!first && isPNChars(c)):
			b.WriteRune(p.next())
		case c == '.' && !first:
			// Dots are part of the name only when a name character follows.
			i := p.pos
			for i < len(p.src) && p.src[i] == '.' {
				i++
			}
			n, _ := utf8.DecodeRuneInString(p.src[i:])
			if i == len(p.src) || !(isPNChars(n) || n == ':' || n == '\\' || n == '%') {
				return b.String(), nil
			}
			b.WriteString(p.src[p.pos:i])
			p.pos = i
		default:
			return b.String(), nil
		}
		first = false
	}
}

// iriRef reads <...> and resolves it against the base.
func (p *turtleReader) iriRef() (string, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			return "", p.errAt(start, "the IRI is not closed with \">\"")
		}
		switch c := p.peek(); {
		case c == '>':
			p.pos++
			return resolveIRI(p.base, b.String()), nil
		case c == '\\':
			at := p.pos
			r, err := p.uchar()
			if err != nil {
				return "", err
			}
			if !iriChar(r) {
				return "", p.errAt(at, "the escape %s stands for %q, which an IRI may not hold", p.src[at:p.pos], r)
			}
			b.WriteRune(r)
		case !iriChar(c) || strings.ContainsRune("<\"{}|^`", c):
			return "", p.errHere("the character %q is not allowed in an IRI (write it as \\u%04X)", c, c)
		default:
			b.WriteRune(p.next())
		}
	}
}

// uchar reads \uXXXX or \UXXXXXXXX.
func (p *turtleReader) uchar() (rune, error) {
	n := 0
	switch p.peekAt(1) {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, p.errHere("invalid escape: only \\u and \\U escapes are allowed here")
	}
	if p.pos+2+n > len(p.src) {
		return 0, p.errHere("the \\%c escape needs %d hexadecimal digits", p.peekAt(1), n)
	}
	v, err := strconv.ParseUint(p.src[p.pos+2:p.pos+2+n], 16, 32)
	if err != nil {
		return 0, p.errHere("the \\%c escape needs %d hexadecimal digits", p.peekAt(1), n)
	}
	if v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, p.errHere("the escape %s is not a Unicode character", p.src[p.pos:p.pos+2+n])
	}
	p.pos += 2 + n
	return rune(v), nil
}

// iriOrBlank reads a subject: an IRI, a labelled blank node or [].
func (p *turtleReader) iriOrBlank(what string) (Term, error) {
	switch c := p.peek(); {
	case c == '_' && p.peekAt(1) == ':':
		return p.blankLabel()
	case c == '[' && p.anonAhead():
		return p.blankNodePropertyList()
	case c == '<' || c == ':' || isPNCharsBase(c):
		iri, err := p.iri(what)
		return IRI(iri), err
	}
	return Term{}, p.errHere("expected %s (an IRI or a blank node), found %s", what, p.found())
}

func (p *turtleReader) blankLabel() (Term, error) {
	p.pos += 2
	start := p.pos
	if c := p.peek(); !isPNCharsU(c) && !(c >= '0' && c <= '9') {
		return Term{}, p.errHere("expected a blank node label after \"_:\", found %s", p.found())
	}
	p.next()
	for {
		c := p.peek()
		if isPNChars(c) {
			p.next()
			continue
		}
		if c == '.' {
			i := p.pos
			for i < len(p.src) && p.src[i] == '.' {
				i++
			}
			if n, _ := utf8.DecodeRuneInString(p.src[i:]); i < len(p.src) && isPNChars(n) {
				p.pos = i
				continue
			}
		}
		break
	}
	label := p.src[start:p.pos]
	if strings.HasPrefix(label, "genid") {
		label = "genid_" + label
	}
	return Blank(label), nil
}

func (p *turtleReader) enter() error {
	p.depth++
	if p.depth > maxTurtleDepth {
		return p.errHere("blank nodes and collections nest more than %d deep", maxTurtleDepth)
	}
	return nil
}

// blankNodePropertyList reads [ ... ] (or []) and returns its node.
func (p *turtleReader) blankNodePropertyList() (Term, error) {
	start := p.pos
	if err := p.enter(); err != nil {
		return Term{}, err
	}
	defer func() { p.depth-- }()
	p.pos++
	node := p.fresh()
	p.skipWS()
	if p.peek() == ']' {
		p.pos++
		return node, nil
	}
	if err := p.predicateObjectList(node); err != nil {
		return Term{}, err
	}
	p.skipWS()
	if p.peek() != ']' {
		if p.pos >= len(p.src) {
			return Term{}, p.errAt(start, "the blank node \"[\" is not closed with \"]\"")
		}
		return Term{}, p.errHere("expected \"]\" to close the blank node, found %s", p.found())
	}
	p.pos++
	return node, nil
}

// collection reads ( ... ) into rdf:first/rdf:rest triples.
func (p *turtleReader) collection() (Term, error) {
	start := p.pos
	if err := p.enter(); err != nil {
		return Term{}, err
	}
	defer func() { p.depth-- }()
	p.pos++
	var items []Term
	for {
		p.skipWS()
		if p.peek() == ')' {
			p.pos++
			break
		}
		if c := p.peekAt(1); p.pos >= len(p.src) || (p.peek() == '.' && !(c >= '0' && c <= '9')) {
			return Term{}, p.errAt(start, "the collection \"(\" is not closed with \")\"")
		}
		o, err := p.object()
		if err != nil {
			return Term{}, err
		}
		items = append(items, o)
	}
	return emitList(items, p.fresh, p.emit), nil
}

func (p *turtleReader) object() (Term, error) {
	switch c := p.peek(); {
	case c == '<':
		iri, err := p.iriRef()
		return IRI(iri), err
	case c == '_' && p.peekAt(1) == ':':
		return p.blankLabel()
	case c == '[':
		return p.blankNodePropertyList()
	case c == '(':
		return p.collection()
	case c == '"' || c == '\'':
		return p.literal()
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return p.number()
	case c == ':' || isPNCharsBase(c):
		start := p.pos
		prefix, err := p.prefixName()
		if err != nil {
			return Term{}, err
		}
		if p.peek() == ':' {
			p.pos++
			iri, err := p.expandPrefixed(start, prefix)
			return IRI(iri), err
		}
		p.pos = start
		for c := p.peek(); (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); c = p.peek() {
			p.pos++
		}
		if w := p.src[start:p.pos]; w == "true" || w == "false" {
			return Typed(w, XSD+"boolean"), nil
		}
		p.pos = start
		return Term{}, p.errHere("expected an object, found %q (a prefixed name needs \":\")", prefix)
	}
	return Term{}, p.errHere("expected an object (an IRI, a blank node, a collection or a literal), found %s", p.found())
}

func (p *turtleReader) digits() int {
	n := 0
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}

// exponentAhead reports whether an exponent ([eE][+-]?[0-9]) starts at off.
func (p *turtleReader) exponentAhead(off int) bool {
	if c := p.peekAt(off); c != 'e' && c != 'E' {
		return false
	}
	c := p.peekAt(off + 1)
	if c == '+' || c == '-' {
		c = p.peekAt(off + 2)
	}
	return c >= '0' && c <= '9'
}

// number reads an INTEGER, DECIMAL or DOUBLE, keeping the lexical form.
func (p *turtleReader) number() (Term, error) {
	start := p.pos
	if c := p.peek(); c == '+' || c == '-' {
		p.pos++
	}
	whole := p.digits()
	datatype := XSD + "integer"
	frac := false
	if p.peek() == '.' {
		if c := p.peekAt(1); c >= '0' && c <= '9' {
			p.pos++
			p.digits()
			frac = true
			datatype = XSD + "decimal"
		} else if whole > 0 && p.exponentAhead(1) {
			p.pos++
		}
	}
	if whole == 0 && !frac {
		p.pos = start
		return Term{}, p.errHere("expected an object, found %s (a number needs digits)", p.found())
	}
	if p.exponentAhead(0) {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		p.digits()
		datatype = XSD + "double"
	}
	return Typed(p.src[start:p.pos], datatype), nil
}

// literal reads a quoted string with its language tag or datatype.
func (p *turtleReader) literal() (Term, error) {
	start := p.pos
	q := p.src[p.pos]
	long := strings.HasPrefix(p.src[p.pos:], strings.Repeat(string(q), 3))
	closing := string(q)
	if long {
		closing = strings.Repeat(closing, 3)
	}
	p.pos += len(closing)
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			return Term{}, p.errAt(start, "the string is not closed with %s", closing)
		}
		c := p.peek()
		switch {
		case strings.HasPrefix(p.src[p.pos:], closing):
			p.pos += len(closing)
			return p.literalSuffix(b.String())
		case c == '\\':
			r, err := p.echar()
			if err != nil {
				return Term{}, err
			}
			b.WriteRune(r)
		case !long && (c == '\n' || c == '\r'):
			return Term{}, p.errHere("line break inside a %s string: close it, write \\n or use %s", closing, strings.Repeat(closing, 3))
		default:
			b.WriteRune(p.next())
		}
	}
}

func (p *turtleReader) echar() (rune, error) {
	switch p.peekAt(1) {
	case 'u', 'U':
		return p.uchar()
	}
	r, ok := map[rune]rune{'t': '\t', 'b': '\b', 'n': '\n', 'r': '\r', 'f': '\f', '"': '"', '\'': '\'', '\\': '\\'}[p.peekAt(1)]
	if !ok {
		return 0, p.errHere("invalid escape in a string: use \\t \\b \\n \\r \\f \\\" \\' \\\\ \\u or \\U")
	}
	p.pos += 2
	return r, nil
}

func (p *turtleReader) literalSuffix(value string) (Term, error) {
	save := p.pos
	p.skipWS()
	switch {
	case p.peek() == '@':
		p.pos++
		start := p.pos
		if !isLangTag(p.scanLang()) {
			return Term{}, p.errAt(start, "expected a language tag after \"@\" (like en or en-GB)")
		}
		return LangString(value, p.src[start:p.pos]), nil
	case strings.HasPrefix(p.src[p.pos:], "^^"):
		p.pos += 2
		p.skipWS()
		dt, err := p.iri("a datatype")
		if err != nil {
			return Term{}, err
		}
		return Typed(value, dt), nil
	}
	p.pos = save
	return String(value), nil
}

// scanLang consumes letters, digits and "-" and returns them.
func (p *turtleReader) scanLang() string {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if !(c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			break
		}
		p.pos++
	}
	return p.src[start:p.pos]
}

// iriChar reports whether an IRI may hold c (IRIREF's character class).
func iriChar(c rune) bool { return c > 0x20 && !strings.ContainsRune("<>\"{}|^`\\", c) }

func isHex(c rune) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// isPNCharsBase, isPNCharsU and isPNChars are the character classes of
// Turtle's prefixed names and blank node labels.
func isPNCharsBase(c rune) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return true
	case c < 0xC0:
		return false
	}
	return (c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
		(c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
		(c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
		(c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF)
}

func isPNCharsU(c rune) bool { return c == '_' || isPNCharsBase(c) }

func isPNChars(c rune) bool {
	return isPNCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
		(c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040)
}
