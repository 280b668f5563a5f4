package harvest_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"interophub/adms"
	"interophub/catalogue"
	"interophub/content"
	"interophub/harvest"
	"interophub/rdf"
)

const base = "https://hub.example"

func openStore(t *testing.T) *catalogue.Store {
	t.Helper()
	store, err := catalogue.Open(context.Background(), catalogue.Options{Dir: t.TempDir(), Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// demoDocument is the demo catalogue exported by another hub, as
// N-Triples, with its number of entries.
func demoDocument(t *testing.T) ([]byte, int) {
	t.Helper()
	ctx := context.Background()
	other := openStore(t)
	if _, err := other.LoadDemo(ctx, content.Catalogue()); err != nil {
		t.Fatal(err)
	}
	entries, err := other.PublicEntries(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := adms.NewExporter("https://other.example")
	var buf bytes.Buffer
	if err := rdf.WriteNTriples(&buf, x.Catalogue("Other hub", time.Now(), entries)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), len(entries)
}

// harvester is a harvester into a fresh store that has one organisation.
func harvester(t *testing.T) *harvest.Harvester {
	t.Helper()
	store := openStore(t)
	if _, err := store.SaveOrganisation(context.Background(), catalogue.Organisation{Slug: "national-catalogue", Name: "National catalogue"}); err != nil {
		t.Fatal(err)
	}
	return &harvest.Harvester{Store: store, Base: base, Owner: "national-catalogue", MaxBytes: 10 << 20}
}

// TestHarvestSource: a source served on 127.0.0.1 is harvested on demand:
// everything is created, then unchanged, then a change is an update, a
// dataset gone from the source is marked gone, a broken one is rejected
// with the property at fault; a detached entry is left alone and a
// harvested one cannot be edited by hand.
func TestHarvestSource(t *testing.T) {
	ctx := context.Background()
	doc, n := demoDocument(t)
	var served atomic.Value
	served.Store(doc)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/n-triples")
		w.Write(served.Load().([]byte))
	}))
	defer srv.Close()

	h := harvester(t)
	src := &catalogue.HarvestSource{Name: "Other hub", URL: srv.URL + "/catalogue.nt", Kind: catalogue.SourceRDF, Schedule: "daily"}
	if err := h.Store.SaveHarvestSource(ctx, src, "national-catalogue"); err != nil {
		t.Fatal(err)
	}
	run, err := h.Run(ctx, src)
	if err != nil || run.Created != n || run.Rejected != 0 {
		t.Fatalf("first run: %+v, %v", run, err)
	}
	run, err = h.Run(ctx, src)
	if err != nil || run.Unchanged != n || run.Created+run.Updated != 0 {
		t.Fatalf("second run: %+v, %v", run, err)
	}

	// The source changes: a title, a dataset gone, a dataset without a description.
	title := `<https://other.example/solutions/x-road> <http://purl.org/dc/terms/title> "X-Road"@en .`
	if !bytes.Contains(doc, []byte(title)) {
		t.Fatalf("the export lacks %s", title)
	}
	changed := bytes.Replace(doc, []byte(title), []byte(strings.Replace(title, `"X-Road"`, `"X-Road data exchange layer"`, 1)), 1)
	var kept [][]byte
	for _, line := range bytes.Split(changed, []byte("\n")) {
		if bytes.Contains(line, []byte("/solutions/gov-uk-pay>")) {
			continue // gone
		}
		if bytes.HasPrefix(line, []byte("<https://other.example/solutions/gov-uk-notify> <http://purl.org/dc/terms/description>")) {
			continue // no description any more: rejected
		}
		kept = append(kept, line)
	}
	served.Store(bytes.Join(kept, []byte("\n")))
	run, err = h.Run(ctx, src)
	if err != nil || run.Updated != 1 || run.Gone != 1 || run.Rejected != 1 || run.Unchanged != n-3 {
		t.Fatalf("third run: %+v, %v", run, err)
	}
	full, err := h.Store.HarvestRunByID(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]catalogue.HarvestItem{}
	for _, it := range full.Items {
		results[it.Slug] = it
	}
	if it := results["gov-uk-notify"]; it.Result != catalogue.ItemRejected || !strings.Contains(it.Problems, "dct:description") {
		t.Errorf("gov-uk-notify: %+v", it)
	}
	if it := results["gov-uk-pay"]; it.Result != catalogue.ItemGone {
		t.Errorf("gov-uk-pay: %+v", it)
	}
	if it := results["x-road"]; it.Result != catalogue.ItemUpdated {
		t.Errorf("x-road: %+v", it)
	}
	xroad, err := h.Store.EntryBySlug(ctx, catalogue.KindSolution, "x-road")
	if err != nil || xroad.TitleIn("en") != "X-Road data exchange layer" {
		t.Fatalf("x-road after the update: %v %v", xroad, err)
	}
	pay, err := h.Store.EntryBySlug(ctx, catalogue.KindSolution, "gov-uk-pay")
	if err != nil {
		t.Fatalf("a gone entry must stay: %v", err)
	}
	info, err := h.Store.HarvestInfo(ctx, pay.ID)
	if err != nil || info == nil || info.GoneAt == nil || info.Source == nil || info.Source.Name != "Other hub" {
		t.Errorf("gov-uk-pay harvest info: %+v, %v", info, err)
	}

	// Harvested entries are locked against manual edits until detached.
	admin, err := h.Store.CreateUser(ctx, catalogue.NewUser{Email: "admin@example.org", Name: "Admin", Password: "correct horse battery staple 7", Role: catalogue.RoleAdmin, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	in := catalogue.InputFromEntry(xroad)
	for i := range in.Translations {
		if in.Translations[i].Lang == "en" {
			in.Translations[i].Title = "Edited by hand"
		}
	}
	if _, err := h.Store.EditEntry(ctx, "x-road", in, admin, ""); !errors.Is(err, catalogue.ErrHarvested) {
		t.Fatalf("edit of a harvested entry: %v", err)
	}
	if err := h.Store.DetachEntry(ctx, xroad.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.EditEntry(ctx, "x-road", in, admin, ""); err != nil {
		t.Fatalf("edit once detached: %v", err)
	}
	run, err = h.Run(ctx, src)
	if err != nil || run.Unchanged != n-2 || run.Updated != 0 {
		t.Fatalf("run after detaching: %+v, %v", run, err)
	}
	if xroad, _ = h.Store.EntryBySlug(ctx, catalogue.KindSolution, "x-road"); xroad.TitleIn("en") != "Edited by hand" {
		t.Errorf("the harvest overwrote a detached entry: %q", xroad.TitleIn("en"))
	}
}

// TestHarvestFailures: slow, oversized, failing and malformed sources give
// a failed run with the reason in plain words, and change nothing.
func TestHarvestFailures(t *testing.T) {
	ctx := context.Background()
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow.ttl":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/big.nt":
			w.Header().Set("Content-Type", "application/n-triples")
			line := []byte("<https://a.example/x> <http://purl.org/dc/terms/title> \"padding\" .\n")
			for i := 0; i < 20000; i++ {
				w.Write(line)
			}
		case "/missing.ttl":
			http.NotFound(w, r)
		case "/broken.nt":
			w.Header().Set("Content-Type", "application/n-triples")
			w.Write([]byte("<https://a.example/x> <http://purl.org/dc/terms/title> \"unterminated .\n"))
		}
	}))
	defer srv.Close()
	h := harvester(t)
	h.MaxBytes = 1 << 20
	h.Client = &http.Client{Timeout: 500 * time.Millisecond}
	for path, want := range map[string]string{
		"/slow.ttl":    "did not answer in time",
		"/big.nt":      "larger than the limit",
		"/missing.ttl": "404 Not Found",
		"/broken.nt":   "not valid ntriples",
	} {
		src := &catalogue.HarvestSource{Name: path, URL: srv.URL + path, Kind: catalogue.SourceRDF, Schedule: "manual"}
		if err := h.Store.SaveHarvestSource(ctx, src, "national-catalogue"); err != nil {
			t.Fatal(err)
		}
		run, err := h.Run(ctx, src)
		if err == nil || !strings.Contains(err.Error(), want) || run.Status != catalogue.RunFailed || !strings.Contains(run.Error, want) {
			t.Errorf("%s: err %v, run %+v; want %q", path, err, run, want)
		}
	}
	counts, _ := h.Store.CountByKind(ctx)
	for kind, n := range counts {
		if n > 0 {
			t.Errorf("failed harvests created %d %s entries", n, kind)
		}
	}
}

// TestImportPubliccodeFolder: the publiccode.yml fixtures of package
// publiccode, imported as a folder: files without name, url or
// description (or not YAML at all) are rejected with the key at fault,
// the others created with their warnings kept for the quality panel; a
// second import changes nothing.
func TestImportPubliccodeFolder(t *testing.T) {
	ctx := context.Background()
	h := harvester(t)
	dir := t.TempDir()
	fixtures, err := filepath.Glob("../publiccode/testdata/*.yml")
	if err != nil || len(fixtures) < 20 {
		t.Fatalf("fixtures: %d, %v", len(fixtures), err)
	}
	rejected := map[string]bool{}
	for _, f := range fixtures {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		golden, _ := os.ReadFile(strings.TrimSuffix(f, ".yml") + ".golden")
		if bytes.HasPrefix(golden, []byte("rejected: true")) || bytes.HasPrefix(golden, []byte("error:")) {
			rejected[filepath.Base(f)] = true
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run, err := h.ImportPubliccode(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	full, err := h.Store.HarvestRunByID(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Items) != len(fixtures) || run.Rejected != len(rejected) || run.Created+run.Rejected != len(fixtures) {
		t.Fatalf("run: %d items, %d created, %d rejected; want %d files, %d rejected", len(full.Items), run.Created, run.Rejected, len(fixtures), len(rejected))
	}
	for _, it := range full.Items {
		name := filepath.Base(it.Subject)
		if rejected[name] != (it.Result == catalogue.ItemRejected) {
			t.Errorf("%s: %s", name, it.Result)
		}
		if it.Result == catalogue.ItemRejected && !strings.Contains(it.Problems, `"severity":"error"`) {
			t.Errorf("%s: rejected without an error: %s", name, it.Problems)
		}
	}
	// A warning of the last harvest shows on the entry's quality panel.
	var withWarnings *catalogue.HarvestItem
	for i, it := range full.Items {
		if it.Result == catalogue.ItemCreated && strings.Contains(it.Problems, `"severity":"warning"`) {
			withWarnings = &full.Items[i]
			break
		}
	}
	if withWarnings == nil {
		t.Fatal("no created file had a warning")
	}
	info, err := h.Store.HarvestInfo(ctx, *withWarnings.EntryID)
	if err != nil || info == nil || len(info.Problems) == 0 || info.Problems[0].Fix == "" {
		t.Errorf("quality panel of %s: %+v, %v", withWarnings.Slug, info, err)
	}
	again, err := h.ImportPubliccode(ctx, []string{dir})
	if err != nil || again.Unchanged != run.Created || again.Created+again.Updated != 0 {
		t.Errorf("second import: %+v, %v", again, err)
	}
}

// TestScheduledPubliccodeSource: a publiccode.yml source served on
// 127.0.0.1 with an hourly schedule is harvested by the scheduler, and its
// next run is set an hour later.
func TestScheduledPubliccodeSource(t *testing.T) {
	data, err := os.ReadFile("../publiccode/testdata/v04-complete.yml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(data)
	}))
	defer srv.Close()
	h := harvester(t)
	ctx := context.Background()
	src := &catalogue.HarvestSource{Name: "Code hosting", URL: srv.URL + "/publiccode.yml", Kind: catalogue.SourcePubliccode, Schedule: "hourly"}
	if err := h.Store.SaveHarvestSource(ctx, src, "national-catalogue"); err != nil {
		t.Fatal(err)
	}
	scheduleCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); h.Schedule(scheduleCtx, 20*time.Millisecond) }()
	var runs []*catalogue.HarvestRun
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if runs, err = h.Store.HarvestRuns(ctx, src.ID, 10); err == nil && len(runs) > 0 && runs[0].Status != catalogue.RunRunning {
			break
		}
	}
	stop()
	<-done
	if len(runs) != 1 || runs[0].Status != catalogue.RunDone || runs[0].Created != 1 {
		t.Fatalf("scheduled runs: %+v", runs)
	}
	again, err := h.Store.HarvestSourceByID(ctx, src.ID)
	if err != nil || again.NextRunAt == nil || time.Until(*again.NextRunAt) < 50*time.Minute {
		t.Errorf("next run: %+v, %v", again.NextRunAt, err)
	}
}

// TestOwnExportIsNotImportedOverItself: a site's own export read back is
// rejected entity by entity, saying why, instead of duplicating entries.
func TestOwnExportIsNotImportedOverItself(t *testing.T) {
	ctx := context.Background()
	h := harvester(t)
	if _, err := h.Store.LoadDemo(ctx, content.Catalogue()); err != nil {
		t.Fatal(err)
	}
	entries, err := h.Store.PublicEntries(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := adms.NewExporter(base)
	file := filepath.Join(t.TempDir(), "own.nt")
	var buf bytes.Buffer
	if err := rdf.WriteNTriples(&buf, x.Catalogue("Interop Hub", time.Now(), entries)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run, err := h.ImportRDF(ctx, file, "")
	if err != nil || run.Rejected != len(entries) || run.Created != 0 {
		t.Fatalf("own export: %+v, %v", run, err)
	}
	full, _ := h.Store.HarvestRunByID(ctx, run.ID)
	if !strings.Contains(full.Items[0].Problems, "own entry") {
		t.Errorf("reason: %s", full.Items[0].Problems)
	}
}

// TestHarvestKeepsDecisionsAndLinks: a dataset without an IRI is rejected;
// a link to a dataset rejected once appears when it is accepted; an entry a
// moderator archived stays archived when its source changes; a source
// whose address changes keeps its entries; a contact address that is not
// one is left out and the catalogue still exports.
func TestHarvestKeepsDecisionsAndLinks(t *testing.T) {
	ctx := context.Background()
	doc := func(betaDescription, alphaTitle string) string {
		return `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<https://src.example/alpha> a dcat:Dataset ; dct:identifier "alpha" ; dct:title "` + alphaTitle + `"@en ;
  dct:description "Alpha."@en ; dct:relation <https://src.example/beta> ;
  dcat:contactPoint [ vcard:fn "Desk" ; vcard:hasURL "call the office" ] .
<https://src.example/beta> a dcat:Dataset ; dct:identifier "beta" ; dct:title "Beta"@en ` + betaDescription + ` .
[] a dcat:Dataset ; dct:title "Nameless"@en ; dct:description "No IRI."@en .
`
	}
	var served atomic.Value
	served.Store(doc("", "Alpha"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8") // as raw file hosts answer
		w.Write([]byte(served.Load().(string)))
	}))
	defer srv.Close()
	h := harvester(t)
	src := &catalogue.HarvestSource{Name: "Src", URL: srv.URL + "/catalogue.ttl?raw=1", Kind: catalogue.SourceRDF, Schedule: "manual"}
	if err := h.Store.SaveHarvestSource(ctx, src, "national-catalogue"); err != nil {
		t.Fatal(err)
	}
	run, err := h.Run(ctx, src)
	if err != nil || run.Created != 1 || run.Rejected != 2 {
		t.Fatalf("first run: %+v, %v", run, err)
	}
	full, _ := h.Store.HarvestRunByID(ctx, run.ID)
	var reasons string
	for _, it := range full.Items {
		reasons += it.Problems
	}
	for _, want := range []string{"blank node", "dct:description", "vcard:hasURL"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("the report does not mention %q: %s", want, reasons)
		}
	}
	alpha, err := h.Store.EntryBySlug(ctx, catalogue.KindSolution, "alpha")
	if err != nil || len(alpha.Related) != 0 || len(alpha.Contacts) != 1 || alpha.Contacts[0].URL != "" {
		t.Fatalf("alpha: %+v, %v", alpha, err)
	}

	// Beta gets its description: it is created, and alpha's link to it appears.
	served.Store(doc(`; dct:description "Beta."@en`, "Alpha"))
	if run, err = h.Run(ctx, src); err != nil || run.Created != 1 || run.Unchanged != 1 {
		t.Fatalf("second run: %+v, %v", run, err)
	}
	if alpha, _ = h.Store.EntryBySlug(ctx, catalogue.KindSolution, "alpha"); len(alpha.Related) != 1 || alpha.Related[0].Slug != "beta" {
		t.Errorf("alpha's link to beta: %+v", alpha.Related)
	}

	// A moderator archives alpha; the source changes it; it stays archived.
	mod, err := h.Store.CreateUser(ctx, catalogue.NewUser{Email: "mod@example.org", Name: "Mod", Password: "correct horse battery staple 7", Role: catalogue.RoleModerator, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.Transition(ctx, "alpha", catalogue.StateArchived, mod, "withdrawn here"); err != nil {
		t.Fatal(err)
	}
	served.Store(doc(`; dct:description "Beta."@en`, "Alpha, renamed"))
	src.URL = srv.URL + "/moved/catalogue.ttl" // the source moves: its entries are the same
	if err := h.Store.SaveHarvestSource(ctx, src, "national-catalogue"); err != nil {
		t.Fatal(err)
	}
	if run, err = h.Run(ctx, src); err != nil || run.Updated != 1 || run.Created != 0 {
		t.Fatalf("third run: %+v, %v", run, err)
	}
	e, err := h.Store.EntryForEdit(ctx, "alpha")
	if err != nil || e.State != catalogue.StateArchived || e.TitleIn("en") != "Alpha, renamed" {
		t.Errorf("alpha after the change: %v %q, %v", e.State, e.TitleIn("en"), err)
	}
}

// TestFolderSourcesStayInTheirRoot: a publiccode.yml folder source is read
// only inside the harvester's root folder.
func TestFolderSourcesStayInTheirRoot(t *testing.T) {
	ctx := context.Background()
	h := harvester(t)
	h.Root = t.TempDir()
	inside := filepath.Join(h.Root, "repos")
	outside := t.TempDir()
	for _, dir := range []string{inside, outside} {
		data, _ := os.ReadFile("../publiccode/testdata/v04-complete.yml")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "publiccode.yml"), data, 0o644)
	}
	for dir, ok := range map[string]bool{inside: true, outside: false} {
		src := &catalogue.HarvestSource{Name: dir, URL: dir, Kind: catalogue.SourcePubliccode, Schedule: "manual"}
		if err := h.Store.SaveHarvestSource(ctx, src, "national-catalogue"); err != nil {
			t.Fatal(err)
		}
		run, err := h.Run(ctx, src)
		if ok && (err != nil || run.Created != 1) {
			t.Errorf("inside the root: %+v, %v", run, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "must be inside")) {
			t.Errorf("outside the root: %v", err)
		}
	}
}
