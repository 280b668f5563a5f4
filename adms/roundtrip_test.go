package adms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"interophub/adms"
	"interophub/catalogue"
	"interophub/content"
	"interophub/rdf"
)

const base = "https://hub.example"

// demoEntries are the demo catalogue's public entries, as stored.
func demoEntries(t testing.TB) []*catalogue.Entry {
	t.Helper()
	ctx := context.Background()
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: t.TempDir(), Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.LoadDemo(ctx, content.Catalogue()); err != nil {
		t.Fatal(err)
	}
	entries, err := store.PublicEntries(ctx, 0, 1000)
	if err != nil || len(entries) < 50 {
		t.Fatalf("demo entries: %d, %v", len(entries), err)
	}
	return entries
}

// comparable is an input as the export can carry it: without what is not
// published (featured, workflow state), times to the second, lists whose
// order the RDF graph does not keep sorted.
func comparable(in catalogue.EntryInput) string {
	in.Featured = false
	in.State = catalogue.StatePublished
	in.CreatedAt = in.CreatedAt.UTC().Truncate(time.Second)
	in.UpdatedAt = in.UpdatedAt.UTC().Truncate(time.Second)
	if in.LastReviewedAt != nil {
		t := in.LastReviewedAt.UTC().Truncate(time.Second)
		in.LastReviewedAt = &t
	}
	sort.Slice(in.Translations, func(i, j int) bool { return in.Translations[i].Lang < in.Translations[j].Lang })
	for i := range in.Translations {
		in.Translations[i].UpdatedAt = time.Time{}
	}
	for _, list := range in.Concepts {
		slices.Sort(list)
	}
	for lang := range in.Concepts {
		if len(in.Concepts[lang]) == 0 {
			delete(in.Concepts, lang)
		}
	}
	for _, list := range in.Keywords {
		slices.Sort(list)
	}
	slices.Sort(in.Related)
	sort.Slice(in.Releases, func(i, j int) bool { return in.Releases[i].Version < in.Releases[j].Version })
	for i := range in.Releases {
		if d := in.Releases[i].Date; d != nil {
			t := d.UTC().Truncate(24 * time.Hour)
			in.Releases[i].Date = &t
		}
	}
	out, _ := json.MarshalIndent(in, "", " ")
	return string(out)
}

// TestExportImportRoundTrip: every demo entry, exported in each format and
// read back, gives the same entry.
func TestExportImportRoundTrip(t *testing.T) {
	entries := demoEntries(t)
	x, err := adms.NewExporter(base)
	if err != nil {
		t.Fatal(err)
	}
	r, err := adms.NewReader(base)
	if err != nil {
		t.Fatal(err)
	}
	triples := x.Catalogue("Interop Hub", time.Now(), entries)
	for _, f := range []rdf.Format{rdf.NTriples, rdf.JSONLD, rdf.Turtle, rdf.RDFXML} {
		var buf bytes.Buffer
		if err := rdf.Write(&buf, f, triples, adms.Prefixes); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		back, err := rdf.Read(&buf, f, base+"/")
		if err != nil {
			t.Fatalf("%s: read: %v", f, err)
		}
		assets := r.Read(back)
		if len(assets) != len(entries) {
			t.Fatalf("%s: %d assets read, want %d", f, len(assets), len(entries))
		}
		bySlug := map[string]adms.Asset{}
		for _, a := range assets {
			if len(a.Rejected) > 0 || len(a.Warnings) > 0 {
				t.Errorf("%s: %s: rejected %v, warnings %v", f, a.Input.Slug, a.Rejected, a.Warnings)
			}
			bySlug[a.Input.Slug] = a
		}
		for _, e := range entries {
			a, ok := bySlug[e.Slug]
			if !ok {
				t.Errorf("%s: %s not read back", f, e.Slug)
				continue
			}
			if want, got := comparable(catalogue.InputFromEntry(e)), comparable(a.Input); want != got {
				t.Errorf("%s: %s differs after the round trip:\n%s", f, e.Slug, diffLines(want, got))
			}
		}
	}
}

// diffLines shows the lines of a that b lacks and the other way round.
func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
