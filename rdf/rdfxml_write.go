package rdf

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// rxMaxNest is how deep the writer nests blank nodes inside their single
// referrer before it falls back to rdf:nodeID (each level costs two XML
// elements, and readers cap the depth).
const rxMaxNest = 16

// WriteRDFXML writes the triples as RDF/XML: one node element per subject
// (typed with its first rdf:type where that IRI is an XML name), sorted,
// blank nodes nested where they are the object of exactly one triple and
// labelled with rdf:nodeID otherwise. Predicates whose IRI does not end in
// an XML name (NCName) cannot be written in RDF/XML and give an error, as
// do characters XML 1.0 does not allow.
func WriteRDFXML(w io.Writer, triples []Triple, prefixes []Prefix) error {
	ts, err := rxCheck(triples)
	if err != nil {
		return err
	}
	wr := &rxWriter{
		names:  rxNewNames(prefixes),
		bySubj: map[Term][]Triple{},
		refs:   map[Term]int{},
		nested: map[Term]bool{},
		typed:  map[Term]int{},
	}
	var subjects []Term
	for _, t := range ts {
		if _, ok := wr.bySubj[t.S]; !ok {
			subjects = append(subjects, t.S)
		}
		wr.bySubj[t.S] = append(wr.bySubj[t.S], t)
		if t.O.IsBlank() {
			wr.refs[t.O]++
		}
	}
	slices.SortFunc(subjects, rxCompareTerms)
	for _, s := range subjects {
		list := wr.bySubj[s]
		slices.SortFunc(list, func(a, b Triple) int {
			if a.P != b.P && (a.P == Type || b.P == Type) {
				if a.P == Type {
					return -1 // rdf:type first
				}
				return 1
			}
			if c := strings.Compare(a.P.Value, b.P.Value); c != 0 {
				return c
			}
			return rxCompareTerms(a.O, b.O)
		})
		for _, t := range list {
			if err := wr.names.need(t.P.Value, "prop"); err != nil {
				return fmt.Errorf("rdf/xml: cannot write the predicate <%s>: %v", t.P.Value, err)
			}
		}
		wr.typed[s] = wr.chooseType(list)
	}
	wr.labelBlanks(ts)
	roots := wr.planNesting(subjects)

	b := &wr.b
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n<rdf:RDF")
	for _, p := range wr.names.declarations() {
		b.WriteString("\n  xmlns:" + p.Name + `="` + rxEscapeAttr(p.IRI) + `"`)
	}
	b.WriteString(">\n")
	for _, s := range roots {
		wr.node(s, "  ")
	}
	b.WriteString("</rdf:RDF>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// rxCheck refuses triples RDF/XML cannot hold and drops duplicates.
func rxCheck(triples []Triple) ([]Triple, error) {
	seen := make(map[Triple]bool, len(triples))
	out := make([]Triple, 0, len(triples))
	for _, t := range triples {
		switch {
		case t.S.Kind != KindIRI && t.S.Kind != KindBlank:
			return nil, fmt.Errorf("rdf/xml: cannot write %s: the subject must be an IRI or a blank node", t)
		case t.P.Kind != KindIRI:
			return nil, fmt.Errorf("rdf/xml: cannot write %s: the predicate must be an IRI", t)
		case t.O.Kind < KindIRI || t.O.Kind > KindLiteral:
			return nil, fmt.Errorf("rdf/xml: cannot write %s: the object is not a term", t)
		case t.O.Lang != "" && !isLangTag(t.O.Lang):
			return nil, fmt.Errorf("rdf/xml: cannot write %s: %q is not a language tag", t, t.O.Lang)
		}
		for _, s := range []string{t.S.Value, t.P.Value, t.O.Value, t.O.Lang, t.O.Datatype} {
			if bad := rxBadXMLChar(s); bad >= 0 {
				return nil, fmt.Errorf("rdf/xml: cannot write %s: the character %U is not allowed in XML 1.0", t, bad)
			}
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// rxCompareTerms orders IRIs, then blank nodes, then literals.
func rxCompareTerms(a, b Term) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.Value, b.Value),
		strings.Compare(a.Lang, b.Lang), strings.Compare(a.Datatype, b.Datatype))
}

type rxWriter struct {
	names  *rxNames
	bySubj map[Term][]Triple // each subject's triples, rdf:type first
	refs   map[Term]int      // how many triples have the blank node as object
	nested map[Term]bool     // blank nodes written inside their referrer
	typed  map[Term]int      // index of the rdf:type triple written as the element name, or -1
	labels map[string]string // blank node label -> rdf:nodeID
	b      strings.Builder
}

// chooseType is the index of the rdf:type triple written as the node
// element's name, or -1: the first type in a given prefix's namespace,
// else the first that splits into a namespace and an XML name.
func (wr *rxWriter) chooseType(list []Triple) int {
	first := -1
	for i, t := range list {
		if t.P != Type || !t.O.IsIRI() || wr.names.need(t.O.Value, "node") != nil {
			continue
		}
		if wr.names.givenSplit(t.O.Value) {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

// labelBlanks gives blank nodes rdf:nodeID values: their own label when it
// is an XML name, otherwise b1, b2...
func (wr *rxWriter) labelBlanks(ts []Triple) {
	var all []string
	for _, t := range ts {
		for _, x := range []Term{t.S, t.O} {
			if x.IsBlank() {
				all = append(all, x.Value)
			}
		}
	}
	slices.Sort(all)
	all = slices.Compact(all)
	wr.labels = map[string]string{}
	taken := map[string]bool{}
	for _, l := range all {
		if rxIsNCName(l) {
			wr.labels[l], taken[l] = l, true
		}
	}
	n := 0
	for _, l := range all {
		if _, ok := wr.labels[l]; ok {
			continue
		}
		for {
			n++
			if id := "b" + strconv.Itoa(n); !taken[id] {
				wr.labels[l], taken[id] = id, true
				break
			}
		}
	}
}

// planNesting decides which blank nodes are nested and returns the
// subjects written at the top level, in order.
func (wr *rxWriter) planNesting(subjects []Term) []Term {
	isRoot := map[Term]bool{}
	nestable := func(o, referrer Term) bool {
		_, isSubj := wr.bySubj[o]
		return o.IsBlank() && wr.refs[o] == 1 && isSubj && o != referrer && !wr.nested[o] && !isRoot[o]
	}
	candidate := map[Term]bool{}
	for _, s := range subjects {
		for _, t := range wr.bySubj[s] {
			if nestable(t.O, s) {
				candidate[t.O] = true
			}
		}
	}
	var walk func(s Term, depth int)
	walk = func(s Term, depth int) {
		for _, t := range wr.bySubj[s] {
			if depth < rxMaxNest && nestable(t.O, s) {
				wr.nested[t.O] = true
				walk(t.O, depth+1)
			}
		}
	}
	var roots []Term
	for _, s := range subjects {
		if !candidate[s] {
			roots, isRoot[s] = append(roots, s), true
			walk(s, 0)
		}
	}
	// Blank nodes in cycles, or too deep: write them at the top level.
	for _, s := range subjects {
		if candidate[s] && !wr.nested[s] && !isRoot[s] {
			roots, isRoot[s] = append(roots, s), true
			walk(s, 0)
		}
	}
	slices.SortFunc(roots, rxCompareTerms)
	return roots
}

// node writes a node element for s with its property elements.
func (wr *rxWriter) node(s Term, indent string) {
	b := &wr.b
	list := wr.bySubj[s]
	name := "rdf:Description"
	if i := wr.typed[s]; i >= 0 {
		name = wr.names.qname(list[i].O.Value)
	}
	b.WriteString(indent + "<" + name)
	switch {
	case s.IsIRI():
		b.WriteString(` rdf:about="` + rxEscapeAttr(s.Value) + `"`)
	case !wr.nested[s] && wr.refs[s] > 0:
		b.WriteString(` rdf:nodeID="` + wr.labels[s.Value] + `"`)
	}
	if len(list) == 1 && wr.typed[s] == 0 {
		b.WriteString("/>\n")
		return
	}
	b.WriteString(">\n")
	props := make([]Triple, 0, len(list))
	for i, t := range list {
		if i != wr.typed[s] {
			props = append(props, t)
		}
	}
	slices.SortStableFunc(props, func(a, b Triple) int {
		if a.P != b.P && (a.P == Type || b.P == Type) {
			if a.P == Type {
				return -1 // rdf:type first
			}
			return 1
		}
		return strings.Compare(wr.names.qname(a.P.Value), wr.names.qname(b.P.Value))
	})
	for _, t := range props {
		wr.property(t, indent+"  ")
	}
	b.WriteString(indent + "</" + name + ">\n")
}

// property writes one property element.
func (wr *rxWriter) property(t Triple, indent string) {
	b := &wr.b
	q := wr.names.qname(t.P.Value)
	o := t.O
	switch {
	case o.IsIRI():
		b.WriteString(indent + "<" + q + ` rdf:resource="` + rxEscapeAttr(o.Value) + `"/>` + "\n")
	case o.IsBlank() && wr.nested[o]:
		b.WriteString(indent + "<" + q + ">\n")
		wr.node(o, indent+"  ")
		b.WriteString(indent + "</" + q + ">\n")
	case o.IsBlank():
		b.WriteString(indent + "<" + q + ` rdf:nodeID="` + wr.labels[o.Value] + `"/>` + "\n")
	default:
		b.WriteString(indent + "<" + q)
		if o.Lang != "" {
			b.WriteString(` xml:lang="` + rxEscapeAttr(o.Lang) + `"`)
		} else if o.Datatype != "" {
			b.WriteString(` rdf:datatype="` + rxEscapeAttr(o.Datatype) + `"`)
		}
		b.WriteString(">" + rxEscapeText(o.Value) + "</" + q + ">\n")
	}
}

// rxNames splits IRIs into namespace and local name and chooses the
// namespace prefixes: the given ones where they fit, ns1, ns2... otherwise.
type rxNames struct {
	given  []Prefix          // usable given prefixes, longest IRI first
	splits map[string]int    // IRI -> index where its local name starts
	spaces map[string]string // namespace -> prefix; "" until declarations()
}

func rxNewNames(prefixes []Prefix) *rxNames {
	n := &rxNames{splits: map[string]int{}, spaces: map[string]string{RDFNS: "rdf"}}
	names := map[string]bool{"rdf": true}
	iris := map[string]bool{RDFNS: true}
	n.given = append(n.given, Prefix{"rdf", RDFNS})
	for _, p := range prefixes {
		if !rxIsNCName(p.Name) || strings.HasPrefix(strings.ToLower(p.Name), "xml") ||
			names[p.Name] || iris[p.IRI] || p.IRI == "" || p.IRI == rxXMLNS ||
			p.IRI == "http://www.w3.org/2000/xmlns/" || rxBadXMLChar(p.IRI) >= 0 {
			continue
		}
		names[p.Name], iris[p.IRI] = true, true
		n.given = append(n.given, p)
	}
	slices.SortStableFunc(n.given, func(a, b Prefix) int { return cmp.Compare(len(b.IRI), len(a.IRI)) })
	return n
}

// need records the split of an IRI written as an element name, or says
// why it cannot be one. where is "prop" or "node", as for rxForbidden.
func (n *rxNames) need(iri, where string) error {
	if rxForbidden(iri, where) || where == "node" && iri == RDFNS+"Description" {
		return fmt.Errorf("it is an RDF/XML syntax name")
	}
	if where == "prop" && iri == RDFNS+"li" {
		return fmt.Errorf("rdf:li is read back as rdf:_1, rdf:_2 and so on")
	}
	if _, ok := n.splits[iri]; ok {
		return nil
	}
	at := -1
	for _, p := range n.given {
		if rest, ok := strings.CutPrefix(iri, p.IRI); ok && rxIsNCName(rest) {
			at = len(p.IRI)
			break
		}
	}
	if at < 0 {
		at = rxLocalStart(iri)
	}
	if at < 0 {
		return fmt.Errorf("RDF/XML needs it to end in an XML name (NCName) after a non-empty namespace")
	}
	n.splits[iri] = at
	if _, ok := n.spaces[iri[:at]]; !ok {
		n.spaces[iri[:at]] = ""
	}
	return nil
}

// givenSplit tells whether a recorded IRI is abbreviated with a given
// prefix.
func (n *rxNames) givenSplit(iri string) bool {
	at, ok := n.splits[iri]
	if !ok {
		return false
	}
	for _, p := range n.given {
		if p.IRI == iri[:at] {
			return true
		}
	}
	return false
}

// rxLocalStart is where the longest XML name ending iri starts, leaving a
// non-empty namespace before it, or -1.
func rxLocalStart(iri string) int {
	start := len(iri)
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(iri[:start])
		if !rxIsNameChar(r) {
			break
		}
		start -= size
	}
	for i, r := range iri[start:] {
		if start+i > 0 && rxIsNameStart(r) {
			return start + i
		}
	}
	return -1
}

// declarations assigns prefixes to the namespaces used and lists them,
// sorted by prefix.
func (n *rxNames) declarations() []Prefix {
	taken := map[string]bool{}
	for _, p := range n.given {
		taken[p.Name] = true
	}
	var spaces []string
	for ns := range n.spaces {
		spaces = append(spaces, ns)
	}
	slices.Sort(spaces)
	next := 0
	var out []Prefix
	for _, ns := range spaces {
		name := n.spaces[ns]
		for _, p := range n.given {
			if name == "" && p.IRI == ns {
				name = p.Name
			}
		}
		for name == "" {
			next++
			if c := "ns" + strconv.Itoa(next); !taken[c] {
				name, taken[c] = c, true
			}
		}
		n.spaces[ns] = name
		out = append(out, Prefix{name, ns})
	}
	slices.SortFunc(out, func(a, b Prefix) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// qname is the prefixed name of an IRI recorded by need.
func (n *rxNames) qname(iri string) string {
	at := n.splits[iri]
	return n.spaces[iri[:at]] + ":" + iri[at:]
}
