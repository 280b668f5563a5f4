// Package rdftest checks RDF documents against rapper (raptor2), an
// implementation independent of ours, for the tests of packages that
// write RDF.
package rdftest

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"interophub/rdf"
)

var rapperName = map[rdf.Format]string{rdf.Turtle: "turtle", rdf.RDFXML: "rdfxml", rdf.NTriples: "ntriples"}

// Rapper parses data in format f with rapper and returns its triples.
// JSON-LD, which rapper does not read, gives nil. Without rapper the test
// is skipped, unless HUB_REQUIRE_RAPPER is set (as .ci/run does).
func Rapper(t testing.TB, f rdf.Format, data []byte, base string) []rdf.Triple {
	t.Helper()
	name, ok := rapperName[f]
	if !ok {
		return nil
	}
	path, err := exec.LookPath("rapper")
	if err != nil {
		if os.Getenv("HUB_REQUIRE_RAPPER") != "" {
			t.Fatal("rapper not found: install raptor2-utils")
		}
		t.Skip("rapper not found (apt-get install raptor2-utils); .ci/run installs it")
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(path, "-q", "-i", name, "-o", "ntriples", "-", base)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(data), &out, &errOut
	if err := cmd.Run(); err != nil || strings.Contains(errOut.String(), "Error") {
		t.Fatalf("rapper refused the %s document: %v\n%s", f, err, errOut.String())
	}
	triples, err := rdf.ReadNTriples(&out)
	if err != nil {
		t.Fatalf("rapper's n-triples: %v", err)
	}
	return triples
}
