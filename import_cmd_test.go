package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"interophub/content"
	"interophub/rdf"
)

// demoDataDir is a data folder with the demo catalogue loaded.
func demoDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	store, err := openStore(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadDemo(context.Background(), content.Catalogue()); err != nil {
		t.Fatal(err)
	}
	store.Close()
	return dir
}

// TestExportImportCommands: export rdf writes the catalogue in each
// format; import rdf reads it into another data folder (all created, then
// all unchanged); import publiccode reports each file and exits 1 when one
// was rejected; usage errors exit 2.
func TestExportImportCommands(t *testing.T) {
	src := demoDataDir(t)
	out := filepath.Join(t.TempDir(), "catalogue.ttl")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"export", "rdf", "--data", src, "--format", "turtle", "--out", out, "--base-url", "https://other.example"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	triples, err := rdf.ReadTurtle(bytes.NewReader(data), "")
	if err != nil || len(triples) < 1000 {
		t.Fatalf("exported turtle: %d triples, %v", len(triples), err)
	}
	for _, f := range []string{"rdfxml", "jsonld", "ntriples"} {
		stdout.Reset()
		if code := run([]string{"export", "rdf", "--data", src, "--format", f}, nil, &stdout, &stderr); code != 0 || stdout.Len() == 0 {
			t.Errorf("export %s: exit %d, %d bytes", f, code, stdout.Len())
		}
	}

	dst := demoDataDir(t) // the same demo: the other hub's entries get new addresses
	stdout.Reset()
	if code := run([]string{"import", "rdf", "--data", dst, out}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("import rdf: exit %d: %s\n%s", code, stderr.String(), stdout.String())
	}
	if !strings.Contains(stdout.String(), "created x-road-2") || !strings.Contains(stdout.String(), " 0 rejected") {
		t.Errorf("import rdf report:\n%s", stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"import", "rdf", "--data", dst, "--json", out}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("second import: exit %d: %s", code, stderr.String())
	}
	var report struct {
		Created, Unchanged int
		Items              []struct{ Result string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil || report.Created != 0 || report.Unchanged == 0 || report.Unchanged != len(report.Items) {
		t.Errorf("second import, JSON: %+v, %v", report, err)
	}

	stdout.Reset()
	code := run([]string{"import", "publiccode", "--data", dst, "publiccode/testdata/v04-complete.yml", "publiccode/testdata/missing-url.yml"}, nil, &stdout, &stderr)
	if code != 1 {
		t.Errorf("import publiccode with a rejected file: exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "created ") || !strings.Contains(stdout.String(), "rejected ") || !strings.Contains(stdout.String(), "missing-url.yml: url") {
		t.Errorf("import publiccode report:\n%s", stdout.String())
	}
	for _, args := range [][]string{{"import"}, {"import", "csv", "x"}, {"import", "rdf"}, {"import", "rdf", "--format", "xls", "x.ttl"}, {"export", "rdf", "--format", "csv"}} {
		if code := run(args, nil, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
