package rdf

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// rapperName is raptor2's name of each format.
var rapperName = map[Format]string{Turtle: "turtle", RDFXML: "rdfxml", NTriples: "ntriples", JSONLD: ""}

// rapper parses data in format f with raptor2's rapper (an independent
// implementation) and returns its triples. Without rapper the test is
// skipped, except when HUB_REQUIRE_RAPPER is set (.ci/run installs
// raptor2-utils and sets it, so CI never skips).
func rapper(t *testing.T, f Format, data []byte, base string) []Triple {
	t.Helper()
	path, err := exec.LookPath("rapper")
	if err != nil {
		if os.Getenv("HUB_REQUIRE_RAPPER") != "" {
			t.Fatal("rapper not found: install raptor2-utils")
		}
		t.Skip("rapper not found (apt-get install raptor2-utils); .ci/run installs it")
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(path, "-q", "-i", rapperName[f], "-o", "ntriples", "-", base)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(data), &out, &errOut
	if err := cmd.Run(); err != nil || strings.Contains(errOut.String(), "Error") {
		t.Fatalf("rapper refused the %s output: %v\n%s\n--- document:\n%s", f, err, errOut.String(), data)
	}
	triples, err := ReadNTriples(&out)
	if err != nil {
		t.Fatalf("rapper's n-triples: %v", err)
	}
	return triples
}

// sameGraph fails the test when a and b are not the same graph (blank node
// labels aside).
func sameGraph(t *testing.T, what string, a, b []Triple) {
	t.Helper()
	ca, err := Canonical(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := Canonical(b)
	if err != nil {
		t.Fatal(err)
	}
	if ca != cb {
		t.Errorf("%s: graphs differ\n--- want:\n%s--- got:\n%s", what, ca, cb)
	}
}
