package rdf

import (
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
)

// Format is an RDF syntax.
type Format string

const (
	Turtle   Format = "turtle"
	RDFXML   Format = "rdfxml"
	JSONLD   Format = "jsonld"
	NTriples Format = "ntriples"
)

// Formats are the syntaxes read and written, in the order they are offered.
var Formats = []Format{Turtle, RDFXML, JSONLD, NTriples}

// MediaType is the format's IANA media type.
func (f Format) MediaType() string {
	switch f {
	case Turtle:
		return "text/turtle"
	case RDFXML:
		return "application/rdf+xml"
	case JSONLD:
		return "application/ld+json"
	case NTriples:
		return "application/n-triples"
	}
	return ""
}

// Extension is the format's file name suffix, with its dot.
func (f Format) Extension() string {
	switch f {
	case Turtle:
		return ".ttl"
	case RDFXML:
		return ".rdf"
	case JSONLD:
		return ".jsonld"
	case NTriples:
		return ".nt"
	}
	return ""
}

// ParseFormat reads a format name as the command line takes it.
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(name) {
	case "turtle", "ttl":
		return Turtle, nil
	case "rdfxml", "rdf/xml", "xml", "rdf":
		return RDFXML, nil
	case "jsonld", "json-ld":
		return JSONLD, nil
	case "ntriples", "n-triples", "nt":
		return NTriples, nil
	}
	return "", fmt.Errorf("unknown RDF format %q: use turtle, rdfxml, jsonld or ntriples", name)
}

// FormatOfExtension is the format a file name's suffix names.
func FormatOfExtension(name string) (Format, bool) {
	switch strings.ToLower(path.Ext(name)) {
	case ".ttl":
		return Turtle, true
	case ".rdf", ".owl", ".xml":
		return RDFXML, true
	case ".jsonld", ".json":
		return JSONLD, true
	case ".nt":
		return NTriples, true
	}
	return "", false
}

// FormatOfMediaType is the format a Content-Type header names.
func FormatOfMediaType(contentType string) (Format, bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", false
	}
	switch mt {
	case "text/turtle", "application/x-turtle":
		return Turtle, true
	case "application/rdf+xml":
		return RDFXML, true
	case "application/ld+json":
		return JSONLD, true
	case "application/n-triples", "text/plain":
		return NTriples, true
	}
	return "", false
}

// Read parses a document in format f; base resolves relative IRIs.
func Read(r io.Reader, f Format, base string) ([]Triple, error) {
	switch f {
	case Turtle:
		return ReadTurtle(r, base)
	case RDFXML:
		return ReadRDFXML(r, base)
	case JSONLD:
		return ReadJSONLD(r, base)
	case NTriples:
		return ReadNTriples(r)
	}
	return nil, fmt.Errorf("unknown RDF format %q", f)
}

// Write writes the triples in format f, abbreviating IRIs with prefixes
// where the format can.
func Write(w io.Writer, f Format, triples []Triple, prefixes []Prefix) error {
	switch f {
	case Turtle:
		return WriteTurtle(w, triples, prefixes)
	case RDFXML:
		return WriteRDFXML(w, triples, prefixes)
	case JSONLD:
		return WriteJSONLD(w, triples, prefixes)
	case NTriples:
		return WriteNTriples(w, triples)
	}
	return fmt.Errorf("unknown RDF format %q", f)
}
