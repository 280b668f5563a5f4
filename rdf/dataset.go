package rdf

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// toDataset converts triples into json-gold's dataset (default graph).
func toDataset(triples []Triple) *ld.RDFDataset {
	ds := ld.NewRDFDataset()
	quads := make([]*ld.Quad, 0, len(triples))
	for _, t := range triples {
		quads = append(quads, ld.NewQuad(toNode(t.S), toNode(t.P), toNode(t.O), "@default"))
	}
	ds.Graphs["@default"] = quads
	return ds
}

func toNode(t Term) ld.Node {
	switch t.Kind {
	case KindIRI:
		return ld.NewIRI(t.Value)
	case KindBlank:
		return ld.NewBlankNode("_:" + t.Value)
	}
	switch {
	case t.Lang != "":
		return ld.NewLiteral(t.Value, ld.RDFLangString, t.Lang)
	case t.Datatype != "":
		return ld.NewLiteral(t.Value, t.Datatype, "")
	}
	return ld.NewLiteral(t.Value, ld.XSDString, "")
}

// fromDataset takes the triples of a json-gold dataset's default graph;
// triples of named graphs are refused.
func fromDataset(ds *ld.RDFDataset) ([]Triple, error) {
	var out []Triple
	for name, quads := range ds.Graphs {
		if name != "@default" && len(quads) > 0 {
			return nil, fmt.Errorf("named graphs are not supported (graph %s)", name)
		}
		for _, q := range quads {
			s, p, o := fromNode(q.Subject), fromNode(q.Predicate), fromNode(q.Object)
			out = append(out, Triple{s, p, o})
		}
	}
	return out, nil
}

func fromNode(n ld.Node) Term {
	switch v := n.(type) {
	case ld.IRI:
		return IRI(v.Value)
	case *ld.IRI:
		return IRI(v.Value)
	case ld.BlankNode:
		return Blank(strings.TrimPrefix(v.Attribute, "_:"))
	case *ld.BlankNode:
		return Blank(strings.TrimPrefix(v.Attribute, "_:"))
	case ld.Literal:
		return literalOf(v)
	case *ld.Literal:
		return literalOf(*v)
	}
	return Term{}
}

func literalOf(l ld.Literal) Term {
	if l.Datatype == ld.RDFLangString || l.Language != "" {
		return LangString(l.Value, l.Language)
	}
	return Typed(l.Value, l.Datatype)
}

// ReadNTriples parses N-Triples (N-Quads of the default graph).
func ReadNTriples(r io.Reader) ([]Triple, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	ds, err := ld.ParseNQuads(string(data))
	if err != nil {
		return nil, fmt.Errorf("n-triples: %w", err)
	}
	return fromDataset(ds)
}

// WriteNTriples writes the triples as N-Triples, one per line, sorted so
// that the same graph always gives the same bytes.
func WriteNTriples(w io.Writer, triples []Triple) error {
	lines := make([]string, len(triples))
	for i, t := range triples {
		lines[i] = t.String()
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	for _, l := range lines {
		if _, err := io.WriteString(w, l+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// Canonical is the graph's canonical N-Quads (URDNA2015): two graphs are
// the same, blank node labels aside, when their canonical forms are equal.
func Canonical(triples []Triple) (string, error) {
	var nt strings.Builder
	if err := WriteNTriples(&nt, triples); err != nil {
		return "", err
	}
	opts := ld.NewJsonLdOptions("")
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.InputFormat = "application/n-quads"
	opts.Format = "application/n-quads"
	out, err := ld.NewJsonLdProcessor().Normalize(nt.String(), opts)
	if err != nil {
		return "", err
	}
	s, _ := out.(string)
	return s, nil
}
