package rdf

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// maxTurtleWriteDepth is how deeply the writer nests blank nodes; deeper
// ones are written with labels (well inside what ReadTurtle accepts).
const maxTurtleWriteDepth = 24

// WriteTurtle writes the triples as Turtle: the prefixes used (only
// those) are declared, triples are grouped by subject with rdf:type first
// as "a", and subjects, predicates and objects are sorted so that the same
// graph always gives the same bytes. Blank nodes that are the object of
// exactly one triple are nested as [ ... ] (or as ( ... ) for a
// well-formed rdf:first/rdf:rest list); the others keep their labels.
// xsd:integer, xsd:decimal, xsd:double and xsd:boolean literals whose
// lexical form Turtle's shorthand allows are written bare; multi-line text
// is written in """ strings.
func WriteTurtle(w io.Writer, triples []Triple, prefixes []Prefix) error {
	tw := &turtleWriter{
		bySubject: map[Term][]Triple{}, refs: map[Term]int{}, labels: map[string]string{},
		used: map[string]bool{}, done: map[Term]bool{}, open: map[Term]bool{},
	}
	if err := tw.init(triples, prefixes); err != nil {
		return err
	}
	for _, s := range tw.subjects {
		if s.IsBlank() && tw.refs[s] == 1 {
			continue // nested where it is used
		}
		tw.statement(s)
	}
	for _, s := range tw.subjects {
		if !tw.done[s] { // cycles of blank nodes, or nesting cut short
			tw.statement(s)
		}
	}
	var head strings.Builder
	for _, p := range tw.prefixes {
		if tw.used[p.Name] {
			fmt.Fprintf(&head, "@prefix %s: <%s> .\n", p.Name, p.IRI)
		}
	}
	if head.Len() > 0 && tw.body.Len() > 0 {
		head.WriteString("\n")
	}
	_, err := io.WriteString(w, head.String()+tw.body.String())
	return err
}

type turtleWriter struct {
	subjects  []Term
	bySubject map[Term][]Triple
	refs      map[Term]int      // how often a blank node is an object
	labels    map[string]string // blank node label -> label written
	prefixes  []Prefix          // valid, sorted by name
	used      map[string]bool
	done      map[Term]bool // subjects written
	open      map[Term]bool // blank nodes being written
	body      strings.Builder
}

var (
	rdfFirst = IRI(RDFNS + "first")
	rdfRest  = IRI(RDFNS + "rest")
	rdfNil   = IRI(RDFNS + "nil")
)

func (tw *turtleWriter) init(triples []Triple, prefixes []Prefix) error {
	ts := slices.Clone(triples)
	for _, t := range ts {
		for _, x := range []Term{t.S, t.P, t.O} {
			if x.IsIRI() && strings.IndexFunc(x.Value, func(r rune) bool { return !iriChar(r) }) >= 0 {
				return fmt.Errorf("turtle: cannot write the IRI %q: it holds a space or one of <>\"{}|^`\\, which IRIs may not hold", x.Value)
			}
		}
		if t.O.IsLiteral() && t.O.Datatype != "" && strings.IndexFunc(t.O.Datatype, func(r rune) bool { return !iriChar(r) }) >= 0 {
			return fmt.Errorf("turtle: cannot write the datatype IRI %q", t.O.Datatype)
		}
		if !t.S.IsIRI() && !t.S.IsBlank() {
			return fmt.Errorf("turtle: cannot write %s: a subject must be an IRI or a blank node", t)
		}
		if !t.P.IsIRI() {
			return fmt.Errorf("turtle: cannot write %s: a predicate must be an IRI", t)
		}
		if !t.O.IsIRI() && !t.O.IsBlank() && !t.O.IsLiteral() {
			return fmt.Errorf("turtle: cannot write %s: the object is not a term", t)
		}
		if t.O.Lang != "" && !isLangTag(t.O.Lang) {
			return fmt.Errorf("turtle: cannot write %s: %q is not a language tag", t, t.O.Lang)
		}
	}
	slices.SortFunc(ts, compareTriples)
	ts = slices.CompactFunc(ts, func(a, b Triple) bool { return compareTriples(a, b) == 0 })
	var blanks []string
	seen := map[string]bool{}
	for _, t := range ts {
		if len(tw.subjects) == 0 || tw.subjects[len(tw.subjects)-1] != t.S {
			tw.subjects = append(tw.subjects, t.S)
		}
		tw.bySubject[t.S] = append(tw.bySubject[t.S], t)
		if t.O.IsBlank() {
			tw.refs[t.O]++
		}
		for _, b := range []Term{t.S, t.O} {
			if b.IsBlank() && !seen[b.Value] {
				seen[b.Value] = true
				blanks = append(blanks, b.Value)
			}
		}
	}
	// Labels that Turtle cannot spell are replaced by unique ones.
	slices.Sort(blanks)
	for _, l := range blanks {
		// Labels starting with "genid" are renamed too: rapper makes up
		// such labels for [] and would mistake ours for its own.
		if validBlankLabel(l) && !strings.HasPrefix(l, "genid") {
			tw.labels[l] = l
		}
	}
	taken := map[string]bool{}
	for _, l := range tw.labels {
		taken[l] = true
	}
	for _, l := range blanks {
		if _, ok := tw.labels[l]; ok {
			continue
		}
		base := sanitizeBlankLabel(l)
		label := base
		for i := 1; taken[label]; i++ {
			label = fmt.Sprintf("%s_%d", base, i)
		}
		taken[label] = true
		tw.labels[l] = label
	}
	names := map[string]bool{}
	for _, p := range prefixes {
		if p.IRI == "" || strings.IndexFunc(p.IRI, func(r rune) bool { return !iriChar(r) }) >= 0 || names[p.Name] || (p.Name != "" && !validPrefixName(p.Name)) {
			continue
		}
		names[p.Name] = true
		tw.prefixes = append(tw.prefixes, p)
	}
	slices.SortFunc(tw.prefixes, func(a, b Prefix) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// compareTriples orders by subject, then predicate (rdf:type first), then
// object.
func compareTriples(a, b Triple) int {
	if c := CompareTerms(a.S, b.S); c != 0 {
		return c
	}
	if a.P != b.P {
		switch {
		case a.P == Type:
			return -1
		case b.P == Type:
			return 1
		}
		return strings.Compare(a.P.Value, b.P.Value)
	}
	return CompareTerms(a.O, b.O)
}

func indent(depth int) string { return strings.Repeat("    ", depth) }

// statement writes one subject with all its triples at the top level.
func (tw *turtleWriter) statement(s Term) {
	tw.done[s], tw.open[s] = true, true
	if tw.body.Len() > 0 {
		tw.body.WriteString("\n")
	}
	switch {
	case s.IsBlank() && tw.refs[s] == 0:
		tw.body.WriteString("[]")
	default:
		tw.body.WriteString(tw.term(s))
	}
	tw.body.WriteString(" " + tw.predicates(s, 0) + " .\n")
	tw.open[s] = false
}

// predicates writes s's predicate-object list; continuation lines are
// indented one level deeper than depth.
func (tw *turtleWriter) predicates(s Term, depth int) string {
	ts := tw.bySubject[s]
	var groups []string
	for i := 0; i < len(ts); {
		j := i
		var objs []string
		for ; j < len(ts) && ts[j].P == ts[i].P; j++ {
			objs = append(objs, tw.object(ts[j].O, depth))
		}
		pred := "a"
		if ts[i].P != Type {
			pred = tw.iri(ts[i].P.Value)
		}
		groups = append(groups, pred+" "+strings.Join(objs, ", "))
		i = j
	}
	return strings.Join(groups, " ;\n"+indent(depth+1))
}

// object writes o, nesting a blank node used only here.
func (tw *turtleWriter) object(o Term, depth int) string {
	if !o.IsBlank() || tw.refs[o] != 1 || tw.done[o] || tw.open[o] || depth >= maxTurtleWriteDepth {
		return tw.term(o)
	}
	if items, ok := tw.list(o); ok {
		parts := make([]string, len(items))
		for i, item := range items {
			parts[i] = tw.object(item, depth+1)
		}
		return "( " + strings.Join(parts, " ") + " )"
	}
	tw.done[o] = true
	if len(tw.bySubject[o]) == 0 {
		return "[]"
	}
	tw.open[o] = true
	s := "[\n" + indent(depth+2) + tw.predicates(o, depth+1) + "\n" + indent(depth+1) + "]"
	tw.open[o] = false
	return s
}

// list returns the items of the rdf:first/rdf:rest list starting at head
// when every node of it holds just those two triples and is used once;
// its nodes are then marked as written.
func (tw *turtleWriter) list(head Term) ([]Term, bool) {
	var items, nodes []Term
	seen := map[Term]bool{}
	for n := head; n != rdfNil; {
		ts := tw.bySubject[n]
		if !n.IsBlank() || seen[n] || tw.done[n] || tw.open[n] || tw.refs[n] != 1 ||
			len(ts) != 2 || ts[0].P != rdfFirst || ts[1].P != rdfRest {
			return nil, false
		}
		seen[n] = true
		items, nodes = append(items, ts[0].O), append(nodes, n)
		n = ts[1].O
	}
	for _, n := range nodes {
		tw.done[n] = true
	}
	return items, true
}

// term writes an IRI, a blank node label or a literal.
func (tw *turtleWriter) term(t Term) string {
	switch t.Kind {
	case KindIRI:
		return tw.iri(t.Value)
	case KindBlank:
		return "_:" + tw.labels[t.Value]
	}
	v := t.Value
	if t.Lang != "" {
		return quoteTurtle(v) + "@" + t.Lang
	}
	switch t.Datatype {
	case "", XSD + "string":
		return quoteTurtle(v)
	case XSD + "integer":
		if isTurtleNumber(v, false, false) {
			return v
		}
	case XSD + "decimal":
		if isTurtleNumber(v, true, false) {
			return v
		}
	case XSD + "double":
		if isTurtleNumber(v, false, true) {
			return v
		}
	case XSD + "boolean":
		if v == "true" || v == "false" {
			return v
		}
	}
	return quoteTurtle(v) + "^^" + tw.iri(t.Datatype)
}

// iri writes a prefixed name with the longest namespace that fits, or the
// IRI in full.
func (tw *turtleWriter) iri(s string) string {
	best := -1
	for i, p := range tw.prefixes {
		if strings.HasPrefix(s, p.IRI) && validLocalName(s[len(p.IRI):]) &&
			(best < 0 || len(p.IRI) > len(tw.prefixes[best].IRI)) {
			best = i
		}
	}
	if best < 0 {
		return "<" + s + ">"
	}
	p := tw.prefixes[best]
	tw.used[p.Name] = true
	return p.Name + ":" + s[len(p.IRI):]
}

// quoteTurtle quotes a string: text with line breaks goes into """ ... """
// with its line breaks kept, anything else into "...".
func quoteTurtle(s string) string {
	if !strings.Contains(s, "\n") {
		return `"` + escapeString(s) + `"`
	}
	var b strings.Builder
	b.WriteString(`"""`)
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\\' || r == '"':
			b.WriteString(`\` + string(r))
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(`"""`)
	return b.String()
}

// isTurtleNumber matches Turtle's INTEGER, DECIMAL (decimal) or DOUBLE
// (double) token.
func isTurtleNumber(s string, decimal, double bool) bool {
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	digits := func() int {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		s = s[n:]
		return n
	}
	whole := digits()
	frac := -1
	if strings.HasPrefix(s, ".") {
		s = s[1:]
		frac = digits()
	}
	switch {
	case double:
		if whole == 0 && frac <= 0 || len(s) < 2 || (s[0] != 'e' && s[0] != 'E') {
			return false
		}
		s = strings.TrimPrefix(strings.TrimPrefix(s[1:], "+"), "-")
		return digits() > 0 && s == ""
	case decimal:
		return frac > 0 && s == ""
	}
	return whole > 0 && frac < 0 && s == ""
}

func validPrefixName(s string) bool {
	for i, r := range s {
		switch {
		case i == 0 && !isPNCharsBase(r):
			return false
		case !isPNChars(r) && r != '.':
			return false
		}
	}
	return !strings.HasSuffix(s, ".")
}

// validLocalName reports whether s can follow "prefix:" unescaped.
func validLocalName(s string) bool {
	for i, r := range s {
		first := i == 0
		switch {
		case r == ':' || isPNCharsU(r) || (r >= '0' && r <= '9'):
		case !first && (isPNChars(r) || r == '.'):
		default:
			return false
		}
	}
	return !strings.HasSuffix(s, ".")
}

func validBlankLabel(s string) bool {
	for i, r := range s {
		switch {
		case i == 0 && !isPNCharsU(r) && !(r >= '0' && r <= '9'):
			return false
		case !isPNChars(r) && r != '.':
			return false
		}
	}
	return s != "" && !strings.HasSuffix(s, ".")
}

func sanitizeBlankLabel(s string) string {
	var b strings.Builder
	b.WriteString("b_")
	for _, r := range s {
		if isPNChars(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_%X", r)
		}
	}
	return b.String()
}
