package rdf

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/piprate/json-gold/ld"
)

// ErrRemoteContext is returned for a JSON-LD document whose @context is
// a remote address: reading never fetches anything.
var ErrRemoteContext = errors.New("json-ld: remote contexts are not fetched; inline the @context")

// noRemote is a document loader that refuses every address.
type noRemote struct{}

func (noRemote) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return nil, fmt.Errorf("%w (%s)", ErrRemoteContext, u)
}

// WriteJSONLD writes the triples as compacted JSON-LD with the prefixes
// as its @context.
func WriteJSONLD(w io.Writer, triples []Triple, prefixes []Prefix) error {
	proc := ld.NewJsonLdProcessor()
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = noRemote{}
	opts.Ordered = true // the same graph gives the same bytes
	sorted := slices.Clone(triples)
	slices.SortFunc(sorted, CompareTriples)
	expanded, err := ld.NewJsonLdApi().FromRDF(toDataset(sorted), opts)
	if err != nil {
		return fmt.Errorf("json-ld: %w", err)
	}
	ctx := map[string]any{}
	for _, p := range prefixes {
		ctx[p.Name] = p.IRI
	}
	compacted, err := proc.Compact(expanded, map[string]any{"@context": ctx}, opts)
	if err != nil {
		return fmt.Errorf("json-ld: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(compacted)
}

// ReadJSONLD parses a JSON-LD document; base resolves relative IRIs.
func ReadJSONLD(r io.Reader, base string) ([]Triple, error) {
	var doc any
	dec := json.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("json-ld: %w", err)
	}
	opts := ld.NewJsonLdOptions(base)
	opts.DocumentLoader = noRemote{}
	out, err := ld.NewJsonLdProcessor().ToRDF(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("json-ld: %w", err)
	}
	ds, ok := out.(*ld.RDFDataset)
	if !ok {
		return nil, fmt.Errorf("json-ld: unexpected result %T", out)
	}
	return fromDataset(ds)
}
