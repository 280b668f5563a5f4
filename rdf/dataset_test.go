package rdf

import (
	"bytes"
	"strings"
	"testing"
)

// TestNTriplesAndJSONLDRoundTrip: the sample graph survives writing and
// reading back in N-Triples and JSON-LD, and rapper reads our N-Triples
// as the same graph.
func TestNTriplesAndJSONLDRoundTrip(t *testing.T) {
	for _, f := range []Format{NTriples, JSONLD} {
		var buf bytes.Buffer
		if err := Write(&buf, f, sample(), CommonPrefixes); err != nil {
			t.Fatalf("%s: write: %v", f, err)
		}
		back, err := Read(bytes.NewReader(buf.Bytes()), f, "")
		if err != nil {
			t.Fatalf("%s: read: %v\n%s", f, err, buf.String())
		}
		sameGraph(t, string(f), sample(), back)
		if f == NTriples {
			sameGraph(t, "rapper", sample(), rapper(t, f, buf.Bytes(), "https://hub.example/"))
		}
		if f == JSONLD && !strings.Contains(buf.String(), `"dcat:Dataset"`) {
			t.Errorf("json-ld is not compacted with the prefixes:\n%s", buf.String())
		}
	}
}

// TestNTriplesIsStable: the same graph gives the same bytes, sorted.
func TestNTriplesIsStable(t *testing.T) {
	var a, b bytes.Buffer
	triples := sample()
	WriteNTriples(&a, triples)
	for i, j := 0, len(triples)-1; i < j; i, j = i+1, j-1 {
		triples[i], triples[j] = triples[j], triples[i]
	}
	WriteNTriples(&b, triples)
	if a.String() != b.String() {
		t.Error("n-triples output depends on triple order")
	}
}

func TestJSONLDRefusesRemoteContexts(t *testing.T) {
	_, err := ReadJSONLD(strings.NewReader(`{"@context": "https://example.org/ctx.jsonld", "@id": "https://a/", "name": "x"}`), "")
	if err == nil || !strings.Contains(err.Error(), "remote contexts are not fetched") {
		t.Errorf("remote context: %v", err)
	}
}
