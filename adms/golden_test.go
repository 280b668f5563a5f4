package adms_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"interophub/adms"
	"interophub/catalogue"
	"interophub/rdf"
	"interophub/rdf/rdftest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenExport: a solution, a standard, a practice and a course,
// exported as a catalogue in each format, give the bytes of the golden
// files (testdata/golden/catalogue.*; go test ./adms -update rewrites
// them); rapper reads each as the same graph as our own reader.
func TestGoldenExport(t *testing.T) {
	var picked []*catalogue.Entry
	want := map[string]bool{"x-road": true, "dcat-ap": true, "citizen-spots": true, "introduction-to-interoperability": true}
	for _, e := range demoEntries(t) {
		if want[e.Slug] {
			picked = append(picked, e)
		}
	}
	if len(picked) != len(want) {
		t.Fatalf("found %d of %d entries", len(picked), len(want))
	}
	x, err := adms.NewExporter(base)
	if err != nil {
		t.Fatal(err)
	}
	triples := x.Catalogue("Interop Hub", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), picked)
	for _, f := range rdf.Formats {
		var buf bytes.Buffer
		if err := rdf.Write(&buf, f, triples, adms.Prefixes); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		golden := filepath.Join("testdata", "golden", "catalogue"+f.Extension())
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		wantBytes, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), wantBytes) {
			t.Errorf("%s differs from %s (run go test ./adms -update and review the diff)", f, golden)
		}
		ours, err := rdf.Read(bytes.NewReader(buf.Bytes()), f, base+"/")
		if err != nil {
			t.Fatalf("%s: our reader: %v", f, err)
		}
		sameGraph(t, string(f)+" read back", triples, ours)
		if theirs := rdftest.Rapper(t, f, buf.Bytes(), base+"/"); theirs != nil {
			sameGraph(t, string(f)+" read by rapper", triples, theirs)
		}
	}
}

func sameGraph(t *testing.T, what string, a, b []rdf.Triple) {
	t.Helper()
	ca, err := rdf.Canonical(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := rdf.Canonical(b)
	if err != nil {
		t.Fatal(err)
	}
	if ca != cb {
		t.Errorf("%s: not the same graph", what)
	}
}
