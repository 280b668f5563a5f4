package adms

import (
	"sync"

	"interophub/catalogue"
)

type conceptKey struct {
	scheme catalogue.Scheme
	code   string
}

// vocab maps the catalogue's concept codes to their URIs and back.
type vocab struct {
	uri  map[conceptKey]string
	code map[string][]conceptKey // more than one when the vocabulary gives two concepts one URI
}

var vocabOnce = sync.OnceValues(func() (*vocab, error) {
	concepts, err := catalogue.Vocabularies()
	if err != nil {
		return nil, err
	}
	v := &vocab{uri: map[conceptKey]string{}, code: map[string][]conceptKey{}}
	for _, c := range concepts {
		k := conceptKey{c.Scheme, c.Code}
		v.uri[k] = c.URI
		v.code[c.URI] = append(v.code[c.URI], k)
	}
	return v, nil
})

// URI is a concept's URI, "" when the code is unknown.
func (v *vocab) URI(scheme catalogue.Scheme, code string) string {
	return v.uri[conceptKey{scheme, code}]
}

// Code is the concept a URI names in scheme (the first, when the
// vocabulary gives several concepts that URI).
func (v *vocab) Code(scheme catalogue.Scheme, uri string) (string, bool) {
	for _, k := range v.code[uri] {
		if k.scheme == scheme {
			return k.code, true
		}
	}
	return "", false
}

// Shared reports whether the vocabulary gives a concept's URI to another
// concept too (policy_domain.rdf has eProcurement and Geospatial both at
// .../health5): exports then name the code as well.
func (v *vocab) Shared(scheme catalogue.Scheme, code string) bool {
	return len(v.code[v.URI(scheme, code)]) > 1
}

// Codes are all the concepts of scheme a URI names.
func (v *vocab) Codes(scheme catalogue.Scheme, uri string) []string {
	var out []string
	for _, k := range v.code[uri] {
		if k.scheme == scheme {
			out = append(out, k.code)
		}
	}
	return out
}
