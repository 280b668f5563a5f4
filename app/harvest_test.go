package app_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"interophub/app"
	"interophub/catalogue"
	"interophub/harvest"
)

// harvestedTurtle is another catalogue's ADMS-AP: one good asset, one
// without a description (rejected).
const harvestedTurtle = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://catalogue.example/asset/open-forms> a dcat:Dataset, adms:Asset ;
  dct:identifier "open-forms" ;
  dct:title "Open Forms"@en, "Formulaires ouverts"@fr ;
  dct:description "A form builder for municipalities."@en ;
  dct:publisher [ a foaf:Agent ; foaf:name "Municipal Cooperative" ] ;
  dct:license <http://spdx.org/licenses/EUPL-1.2> ;
  dcat:theme <http://example.org/not-a-theme> ;
  dcat:landingPage <https://open-forms.example/> .
<https://catalogue.example/asset/no-description> a dcat:Dataset ;
  dct:title "No description"@en .
`

// TestHarvestAdmin: an administrator adds a source (a bad address is
// refused next to its field), harvests it now and reads the report; the
// harvested entry says where it comes from, shows its quality panel to
// editors only, refuses manual edits until a moderator detaches it.
func TestHarvestAdmin(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/turtle")
		w.Write([]byte(harvestedTurtle))
	}))
	defer srv.Close()
	web, store := newApp(t, func(d *app.Deps) {
		d.Harvester = &harvest.Harvester{Store: d.Catalogue.(*catalogue.Store), Base: "http://hub.test", Owner: "interop-hub"}
	})
	addUser(t, store, "admin@example.org", catalogue.RoleAdmin)
	addUser(t, store, "learner@example.org", catalogue.RoleLearner)
	admin := newBrowser(t, web)
	admin.signIn("admin@example.org", testPassword)
	tr := locales(t).Locale("en")

	r := admin.submit("/en/admin/harvest", "/en/admin/harvest", url.Values{"name": {"Municipal catalogue"}, "url": {"ftp://nowhere"}, "kind": {"rdf"}, "owner": {"interop-hub"}, "schedule": {"daily"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), tr.Tr("form.problem.format")) || !strings.Contains(r.body, `value="Municipal catalogue"`) {
		t.Fatalf("bad address: %d", r.status)
	}
	r = admin.post("/en/admin/harvest", url.Values{"name": {"Municipal catalogue"}, "url": {srv.URL + "/catalogue.ttl"}, "kind": {"rdf"}, "owner": {"interop-hub"}, "schedule": {"manual"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("add source: %d\n%s", r.status, r.body)
	}
	source := r.header.Get("Location")
	r = admin.post(source, url.Values{"action": {"run"}})
	runURL := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !regexp.MustCompile(`^/en/admin/harvest/runs/\d+$`).MatchString(runURL) {
		t.Fatalf("run now: %d -> %q", r.status, runURL)
	}
	// The harvest goes on in the background; its page follows it.
	done := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !done; time.Sleep(50 * time.Millisecond) {
		done = !strings.Contains(admin.get(runURL).body, `http-equiv="refresh"`)
	}
	if !done {
		t.Fatal("the run did not finish")
	}
	report := html.UnescapeString(admin.get(runURL).body)
	mustContain(t, "run report", report, tr.Tr("harvest.result.created"), tr.Tr("harvest.result.rejected"),
		"https://catalogue.example/asset/no-description", "dct:description", "dcat:theme", "open-forms")

	entry := html.UnescapeString(admin.get("/en/solutions/open-forms").body)
	mustContain(t, "entry for the admin", entry, tr.Tr("harvest.entry.from", "Source", "Municipal catalogue"),
		tr.Tr("harvest.quality.title"), "http://example.org/not-a-theme", tr.Tr("harvest.entry.detach"))
	visitor := html.UnescapeString(get(t, web, "/en/solutions/open-forms").body)
	mustContain(t, "entry for a visitor", visitor, tr.Tr("harvest.entry.from", "Source", "Municipal catalogue"))
	if strings.Contains(visitor, tr.Tr("harvest.quality.title")) {
		t.Error("visitors see the quality panel")
	}

	e, err := store.EntryBySlug(context.Background(), catalogue.KindSolution, "open-forms")
	if err != nil {
		t.Fatal(err)
	}
	edit := "/en/contribute/open-forms/edit?tl=en"
	form := url.Values{"title": {"Open Forms, edited"}, "summary": {"A form builder."}, "owner": {e.Owner.Slug}}
	r = admin.submit(edit, edit, form)
	if r.status == http.StatusSeeOther || !strings.Contains(html.UnescapeString(r.body), tr.Tr("harvest.locked.error")) || !strings.Contains(r.body, "Open Forms, edited") {
		t.Fatalf("edit of a harvested entry: %d", r.status)
	}
	if r := admin.post("/en/contribute/open-forms/detach", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("detach: %d", r.status)
	}
	if r := admin.submit(edit, edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("edit once detached: %d\n%s", r.status, r.body)
	}
	mustContain(t, "entry once detached", html.UnescapeString(get(t, web, "/en/solutions/open-forms").body), "Open Forms, edited")

	learner := newBrowser(t, web)
	learner.signIn("learner@example.org", testPassword)
	for _, target := range []string{"/en/admin/harvest", source, runURL} {
		if r := learner.get(target); r.status != http.StatusForbidden {
			t.Errorf("a learner opens %s: %d", target, r.status)
		}
	}
}
