package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"interophub/adms"
	"interophub/catalogue"
	"interophub/publiccode"
	"interophub/rdf"
)

// TestEntryRDF: an entry answers as ADMS-AP RDF by suffix and by Accept
// header, its language-neutral URI redirects browsers to the page, and
// the whole catalogue is at /catalogue.{ttl,rdf,jsonld,nt}.
func TestEntryRDF(t *testing.T) {
	web, store := newApp(t)
	reader, err := adms.NewReader("http://hub.test")
	if err != nil {
		t.Fatal(err)
	}
	read := func(what string, r response, f rdf.Format) []adms.Asset {
		t.Helper()
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), f.MediaType()) {
			t.Fatalf("%s: status %d, type %q", what, r.status, r.header.Get("Content-Type"))
		}
		triples, err := rdf.Read(strings.NewReader(r.body), f, "http://hub.test/")
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, r.body)
		}
		return reader.Read(triples)
	}
	for _, f := range rdf.Formats {
		assets := read("suffix "+string(f), get(t, web, "/en/solutions/x-road"+f.Extension()), f)
		if len(assets) != 1 || assets[0].Input.Slug != "x-road" || len(assets[0].Rejected) > 0 {
			t.Errorf("%s: %+v", f, assets)
		}
		assets = read("accept "+string(f), get(t, web, "/solutions/x-road", "Accept", f.MediaType()), f)
		if len(assets) != 1 || assets[0].Input.Slug != "x-road" {
			t.Errorf("accept %s: %d assets", f, len(assets))
		}
	}
	r := get(t, web, "/fr/solutions/x-road", "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.header.Get("Vary"), "Accept") {
		t.Errorf("a browser gets the page: %d %q, Vary %q", r.status, r.header.Get("Content-Type"), r.header.Get("Vary"))
	}
	r = get(t, web, "/solutions/x-road", "Accept-Language", "de-AT,de;q=0.9")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/de/solutions/x-road" {
		t.Errorf("entry URI for a browser: %d -> %q", r.status, r.header.Get("Location"))
	}
	if r := get(t, web, "/solutions/no-such-entry.ttl"); r.status != http.StatusNotFound {
		t.Errorf("unknown entry: %d", r.status)
	}

	counts, err := store.CountByKind(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += int(n)
	}
	for _, f := range rdf.Formats {
		if assets := read("catalogue "+string(f), get(t, web, "/catalogue"+f.Extension()), f); len(assets) != total {
			t.Errorf("catalogue %s: %d assets, want %d", f, len(assets), total)
		}
	}
	// The whole-catalogue document is kept between requests, and built
	// again once the catalogue changes.
	first := get(t, web, "/catalogue.nt")
	if r := get(t, web, "/catalogue.nt", "If-None-Match", first.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Errorf("a harvester with the current document (%s): %d, want 304 (ETag now %s)", first.header.Get("ETag"), r.status, r.header.Get("ETag"))
	}
	e, err := store.EntryBySlug(context.Background(), catalogue.KindSolution, "x-road")
	if err != nil {
		t.Fatal(err)
	}
	in := catalogue.InputFromEntry(e)
	in.Homepage, in.UpdatedAt = "https://x-road.example/", time.Now()
	if _, err := store.SaveEntry(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	second := get(t, web, "/catalogue.nt")
	if first.header.Get("ETag") == "" || first.header.Get("ETag") == second.header.Get("ETag") || !strings.Contains(second.body, "<https://x-road.example/>") {
		t.Errorf("the catalogue after a change: ETag %q then %q, new homepage there: %v", first.header.Get("ETag"), second.header.Get("ETag"), strings.Contains(second.body, "x-road.example"))
	}
	if r := get(t, web, "/catalogue.xml"); r.status != http.StatusNotFound {
		t.Errorf("/catalogue.xml: %d", r.status)
	}
}

// TestSolutionAsPubliccode: a solution downloads as a publiccode.yml file
// that the publiccode reader accepts with its name, licence and address;
// other kinds have no such file.
func TestSolutionAsPubliccode(t *testing.T) {
	web, _ := newApp(t)
	r := get(t, web, "/en/solutions/x-road/publiccode.yml")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/yaml") ||
		!strings.Contains(r.header.Get("Content-Disposition"), `filename="publiccode.yml"`) {
		t.Fatalf("download: %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
	}
	res, err := publiccode.Parse([]byte(r.body))
	if err != nil || res.Rejected || res.Input.Licence != "MIT" || res.Input.Slug != "x-road" {
		t.Fatalf("read back: %+v, %v\n%s", res, err, r.body)
	}
	mustContain(t, "entry page", get(t, web, "/en/solutions/x-road").body, `href="/en/solutions/x-road/publiccode.yml"`, `href="/en/solutions/x-road.ttl"`)
	if r := get(t, web, "/en/solutions/no-such-thing/publiccode.yml"); r.status != http.StatusNotFound {
		t.Errorf("unknown solution: %d", r.status)
	}
}
