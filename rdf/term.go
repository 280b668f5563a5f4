// Package rdf holds RDF graphs as plain triples and reads and writes them
// as N-Triples, Turtle, RDF/XML and JSON-LD. N-Triples and JSON-LD go
// through piprate/json-gold; Turtle and RDF/XML are written here (no
// maintained Go library for them is served by the module proxy), following
// the W3C recommendations, and are tested against rapper (raptor2).
package rdf

import (
	"fmt"
	"strings"
)

// Kind is what a term is.
type Kind uint8

const (
	KindIRI Kind = iota + 1
	KindBlank
	KindLiteral
)

// Term is an IRI, a blank node or a literal.
type Term struct {
	Kind     Kind
	Value    string // the IRI, the blank node's label (without "_:"), or the literal's lexical form
	Lang     string // a literal's language tag, lower case; "" when none
	Datatype string // a literal's datatype IRI; "" for a plain string (xsd:string) or a language-tagged one
}

// IRI is an IRI term.
func IRI(iri string) Term { return Term{Kind: KindIRI, Value: iri} }

// Blank is a blank node with a label.
func Blank(label string) Term { return Term{Kind: KindBlank, Value: label} }

// String is a plain literal (xsd:string).
func String(s string) Term { return Term{Kind: KindLiteral, Value: s} }

// LangString is a literal with a language tag.
func LangString(s, lang string) Term {
	return Term{Kind: KindLiteral, Value: s, Lang: strings.ToLower(lang)}
}

// Typed is a literal with a datatype; xsd:string is stored as "".
func Typed(s, datatype string) Term {
	if datatype == XSD+"string" {
		datatype = ""
	}
	return Term{Kind: KindLiteral, Value: s, Datatype: datatype}
}

// IsIRI, IsBlank and IsLiteral tell the kind of t.
func (t Term) IsIRI() bool     { return t.Kind == KindIRI }
func (t Term) IsBlank() bool   { return t.Kind == KindBlank }
func (t Term) IsLiteral() bool { return t.Kind == KindLiteral }

// String is t in N-Triples syntax.
func (t Term) String() string {
	switch t.Kind {
	case KindIRI:
		return "<" + escapeIRI(t.Value) + ">"
	case KindBlank:
		return "_:" + t.Value
	case KindLiteral:
		s := `"` + escapeString(t.Value) + `"`
		if t.Lang != "" {
			return s + "@" + t.Lang
		}
		if t.Datatype != "" {
			return s + "^^<" + escapeIRI(t.Datatype) + ">"
		}
		return s
	}
	return fmt.Sprintf("<invalid term %d>", t.Kind)
}

// Triple is one statement.
type Triple struct{ S, P, O Term }

// String is the triple as an N-Triples line, without the line break.
func (t Triple) String() string { return t.S.String() + " " + t.P.String() + " " + t.O.String() + " ." }

// escapeString escapes a literal's text for N-Triples and Turtle's
// short strings.
func escapeString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// escapeIRI escapes the characters an IRI reference may not hold in
// N-Triples and Turtle.
func escapeIRI(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r <= 0x20 || strings.ContainsRune(`<>"{}|^`+"`\\", r) {
			fmt.Fprintf(&b, `\u%04X`, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// kindRank orders kinds as their N-Triples forms sort: literals ("),
// IRIs (<), blank nodes (_).
var kindRank = [...]int{KindLiteral: 0, KindIRI: 1, KindBlank: 2}

// CompareTerms orders terms without building their text: by kind, value,
// then plain before language-tagged before typed literals.
func CompareTerms(a, b Term) int {
	if a.Kind != b.Kind {
		return kindRank[a.Kind] - kindRank[b.Kind]
	}
	if c := strings.Compare(a.Value, b.Value); c != 0 {
		return c
	}
	literalRank := func(t Term) int {
		switch {
		case t.Lang != "":
			return 1
		case t.Datatype != "":
			return 2
		}
		return 0
	}
	if c := literalRank(a) - literalRank(b); c != 0 {
		return c
	}
	if c := strings.Compare(a.Lang, b.Lang); c != 0 {
		return c
	}
	return strings.Compare(a.Datatype, b.Datatype)
}

// CompareTriples orders triples by subject, predicate and object.
func CompareTriples(a, b Triple) int {
	if c := CompareTerms(a.S, b.S); c != 0 {
		return c
	}
	if c := CompareTerms(a.P, b.P); c != 0 {
		return c
	}
	return CompareTerms(a.O, b.O)
}
