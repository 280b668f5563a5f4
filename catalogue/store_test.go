package catalogue_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"interophub/catalogue"
	"interophub/content"
)

func openStore(t *testing.T, dir string) *catalogue.Store {
	t.Helper()
	s, err := catalogue.Open(context.Background(), catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func saveOrg(t *testing.T, s *catalogue.Store, slug string) {
	t.Helper()
	_, err := s.SaveOrganisation(context.Background(), catalogue.Organisation{
		Slug: slug, Name: "Org " + slug, Type: "national-authority", Country: "EE",
		Translations: []catalogue.OrganisationTranslation{{Lang: "en", Description: "An organisation."}},
	})
	if err != nil {
		t.Fatalf("save organisation: %v", err)
	}
}

func sampleEntry(slug string) catalogue.EntryInput {
	reviewed := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	return catalogue.EntryInput{
		Kind: catalogue.KindSolution, Slug: slug, State: catalogue.StatePublished, Owner: "ria",
		Homepage: "https://example.org/", Licence: "MIT", Status: "completed",
		LastReviewedAt: &reviewed,
		Concepts: map[catalogue.Scheme][]string{
			catalogue.SchemeLayer: {"IL6", "IL5"}, catalogue.SchemeTheme: {"egovernment"},
			catalogue.SchemeCountry: {"EE", "FI"}, catalogue.SchemeLanguage: {"en", "et"},
			catalogue.SchemePrinciple: {"UP4"},
		},
		Keywords: map[string][]string{"en": {"data exchange", "registries"}, "vi": {"trao đổi dữ liệu"}},
		Contacts: []catalogue.Contact{{Name: "Support desk", Email: "help@example.org"}},
		Releases: []catalogue.Release{{Version: "1.0", Notes: "First.", Distributions: []catalogue.Distribution{
			{Title: "Source", URL: "https://example.org/src", MediaType: "text/html", Licence: "MIT"},
		}}},
		Reuses: []catalogue.ReuseInput{{Organisation: "dvv", Since: 2017, Note: "National layer."}},
		Translations: []catalogue.Translation{
			{Lang: "en", Title: "Data exchange " + slug, Summary: "Moves data safely.", Body: "## How it works\n\nSecurely."},
			{Lang: "vi", Title: "Trao đổi dữ liệu " + slug, Summary: "Chuyển dữ liệu an toàn.", Body: "Nội dung."},
		},
	}
}

func TestSaveAndReadEntry(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")

	if _, err := s.SaveEntry(ctx, sampleEntry("x-road")); err != nil {
		t.Fatalf("save: %v", err)
	}
	e, err := s.EntryBySlug(ctx, catalogue.KindSolution, "x-road")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if e.Owner == nil || e.Owner.Slug != "ria" {
		t.Errorf("owner = %+v, want ria", e.Owner)
	}
	tr, ok := e.Translation("en")
	if !ok || tr.Title != "Data exchange x-road" {
		t.Fatalf("en translation = %+v", tr)
	}
	if !strings.Contains(tr.BodyHTML, `<h2 id="how-it-works">How it works</h2>`) {
		t.Errorf("body not rendered at save: %q", tr.BodyHTML)
	}
	var layers []string
	for _, c := range e.ConceptsOf(catalogue.SchemeLayer) {
		layers = append(layers, c.Code)
	}
	if strings.Join(layers, ",") != "IL5,IL6" {
		t.Errorf("layers = %v, want IL5,IL6 in code order", layers)
	}
	if got := e.KeywordsIn("vi"); len(got) != 1 || got[0] != "trao đổi dữ liệu" {
		t.Errorf("vi keywords = %v", got)
	}
	if got := e.KeywordsIn("de"); len(got) != 2 {
		t.Errorf("de keywords fall back to English, got %v", got)
	}
	if len(e.Releases) != 1 || len(e.Releases[0].Distributions) != 1 || e.Releases[0].Distributions[0].Licence != "MIT" {
		t.Errorf("releases = %+v", e.Releases)
	}
	if len(e.Reuses) != 1 || e.Reuses[0].Organisation.Slug != "dvv" || e.Reuses[0].Since != 2017 {
		t.Errorf("reuses = %+v", e.Reuses)
	}
	if _, ok := e.Translation("de"); ok {
		t.Error("de translation reported present")
	}
	if fb, _ := e.Translation("de"); fb.Lang != "en" {
		t.Errorf("fallback language = %s, want en", fb.Lang)
	}
}

func TestUpdateEntryKeepsOtherLanguages(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")
	for _, slug := range []string{"eesti-ee", "altinn"} {
		if _, err := s.SaveEntry(ctx, sampleEntry(slug)); err != nil {
			t.Fatal(err)
		}
	}
	first := sampleEntry("x-road")
	first.Related = []string{"eesti-ee"}
	saved, err := s.SaveEntry(ctx, first)
	if err != nil {
		t.Fatal(err)
	}

	in := sampleEntry("x-road")
	in.Related = []string{"altinn"}
	in.Translations = []catalogue.Translation{{Lang: "en", Title: "X-Road", Summary: "New summary."}}
	in.Keywords = map[string][]string{"en": {"interoperability"}}
	in.Releases = nil
	in.Concepts[catalogue.SchemeLayer] = []string{"IL3"}
	if _, err := s.SaveEntry(ctx, in); err != nil {
		t.Fatalf("update: %v", err)
	}
	e, err := s.EntryBySlug(ctx, catalogue.KindSolution, "x-road")
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != saved.ID {
		t.Errorf("update created a new entry: id %d, was %d", e.ID, saved.ID)
	}
	if len(e.Related) != 1 || e.Related[0].Slug != "altinn" {
		t.Errorf("related after update = %v, want only altinn", e.Related)
	}
	if tr, _ := e.Translation("en"); tr.Title != "X-Road" || tr.BodyHTML != "" {
		t.Errorf("en after update = %q / %q", tr.Title, tr.BodyHTML)
	}
	if tr, ok := e.Translation("vi"); !ok || tr.Title != "Trao đổi dữ liệu x-road" {
		t.Errorf("vi translation lost on update: %+v", tr)
	}
	if len(e.Releases) != 0 || len(e.Keywords) != 1 {
		t.Errorf("children not replaced: %d releases, %d keywords", len(e.Releases), len(e.Keywords))
	}
	if l := e.ConceptsOf(catalogue.SchemeLayer); len(l) != 1 || l[0].Code != "IL3" {
		t.Errorf("layers after update = %+v", l)
	}
}

func TestDeleteEntry(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")
	if _, err := s.SaveEntry(ctx, sampleEntry("x-road")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEntry(ctx, "x-road"); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := s.EntryBySlug(ctx, catalogue.KindSolution, "x-road"); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("read after delete: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteEntry(ctx, "x-road"); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	// The slug can be used again: nothing of the old entry is left behind.
	if _, err := s.SaveEntry(ctx, sampleEntry("x-road")); err != nil {
		t.Fatalf("save again: %v", err)
	}
}

func TestSaveEntryValidation(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")
	tests := []struct {
		name  string
		edit  func(*catalogue.EntryInput)
		field string
	}{
		{"unknown kind", func(in *catalogue.EntryInput) { in.Kind = "gadget" }, "kind"},
		{"bad slug", func(in *catalogue.EntryInput) { in.Slug = "Bad Slug!" }, "slug"},
		{"unknown owner", func(in *catalogue.EntryInput) { in.Owner = "nobody" }, "owner"},
		{"unknown theme", func(in *catalogue.EntryInput) { in.Concepts[catalogue.SchemeTheme] = []string{"astrology"} }, "concepts.theme"},
		{"unknown licence", func(in *catalogue.EntryInput) { in.Licence = "WTFPL-9" }, "licence"},
		{"unknown status", func(in *catalogue.EntryInput) { in.Status = "finished" }, "status"},
		{"no title", func(in *catalogue.EntryInput) { in.Translations[0].Title = " " }, "translations.en.title"},
		{"unknown language", func(in *catalogue.EntryInput) { in.Translations[0].Lang = "xx" }, "translations.xx"},
		{"unknown related", func(in *catalogue.EntryInput) { in.Related = []string{"missing"} }, "related"},
		{"unknown reuser", func(in *catalogue.EntryInput) { in.Reuses[0].Organisation = "ghost" }, "reuses"},
		{"bad homepage", func(in *catalogue.EntryInput) { in.Homepage = "javascript:alert(1)" }, "homepage"},
		// Rows are checked here as the form checks them, for the API and importers too.
		{"contact without a name", func(in *catalogue.EntryInput) { in.Contacts = []catalogue.Contact{{Email: "a@b.eu"}} }, "contact.0.name"},
		{"contact e-mail", func(in *catalogue.EntryInput) {
			in.Contacts = []catalogue.Contact{{Name: "Desk", Email: "not an email"}}
		}, "contact.0.email"},
		{"contact address", func(in *catalogue.EntryInput) {
			in.Contacts = []catalogue.Contact{{Name: "Desk", URL: "javascript:alert(1)"}}
		}, "contact.0.url"},
		{"release without a version", func(in *catalogue.EntryInput) { in.Releases = []catalogue.Release{{Notes: "x"}} }, "release.0.version"},
		{"download address", func(in *catalogue.EntryInput) {
			in.Releases = []catalogue.Release{{Version: "1", Distributions: []catalogue.Distribution{{Title: "x", URL: "javascript:alert(1)"}}}}
		}, "release.0.url"},
		{"reuse year", func(in *catalogue.EntryInput) { in.Reuses[0].Since = 99999 }, "reuse.0.since"},
		{"too many contacts", func(in *catalogue.EntryInput) {
			in.Contacts = make([]catalogue.Contact, catalogue.MaxListItems+1)
		}, "contacts"},
		{"keyword language", func(in *catalogue.EntryInput) { in.Keywords = map[string][]string{"<script>": {"x"}} }, "keywords"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := sampleEntry("valid-slug")
			tt.edit(&in)
			_, err := s.SaveEntry(ctx, in)
			var verr *catalogue.ValidationError
			if !errors.As(err, &verr) || !errors.Is(err, catalogue.ErrInvalid) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			found := false
			for _, f := range verr.Fields {
				found = found || f.Field == tt.field
			}
			if !found {
				t.Errorf("fields = %+v, want one for %s", verr.Fields, tt.field)
			}
		})
	}
	if _, err := s.EntryBySlug(ctx, catalogue.KindSolution, "valid-slug"); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("an invalid entry was stored: %v", err)
	}
}

func TestMarkdownIsSanitisedAtSave(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")
	in := sampleEntry("hostile")
	in.Translations[0].Body = "<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n![x](data:text/html;base64,PHNjcmlwdD4=)"
	if _, err := s.SaveEntry(ctx, in); err != nil {
		t.Fatal(err)
	}
	e, err := s.EntryBySlug(ctx, catalogue.KindSolution, "hostile")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := e.Translation("en")
	for _, bad := range []string{"<script", "javascript:", "onerror", "data:text"} {
		if strings.Contains(strings.ToLower(tr.BodyHTML), bad) {
			t.Errorf("rendered body keeps %q: %s", bad, tr.BodyHTML)
		}
	}
}

func TestVocabulariesComeFromTheEUFiles(t *testing.T) {
	s := openStore(t, t.TempDir())
	ctx := context.Background()
	want := map[catalogue.Scheme]int{
		catalogue.SchemeLayer: 6, catalogue.SchemePrinciple: 12, catalogue.SchemeTheme: 18,
		catalogue.SchemeOwnerType: 10, catalogue.SchemeStatus: 4,
	}
	for scheme, n := range want {
		cs, err := s.Concepts(ctx, scheme)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != n {
			t.Errorf("%s: %d concepts, want %d", scheme, len(cs), n)
		}
	}
	layers, _ := s.Concepts(ctx, catalogue.SchemeLayer)
	if layers[2].Code != "IL3" || layers[2].URI != "http://data.europa.eu/IL3" || layers[2].Label != "Legal interoperability" {
		t.Errorf("IL3 = %+v", layers[2])
	}
	principles, _ := s.Concepts(ctx, catalogue.SchemePrinciple)
	if principles[11].Code != "UP12" || principles[3].Label != "Reusability" {
		t.Errorf("principles out of order or mislabelled: %+v, %+v", principles[11], principles[3])
	}
	countries, _ := s.Concepts(ctx, catalogue.SchemeCountry)
	for _, c := range countries {
		if c.Code == "EE" && c.URI != "http://publications.europa.eu/resource/authority/country/EST" {
			t.Errorf("EE URI = %s", c.URI)
		}
	}
	langs, _ := s.Concepts(ctx, catalogue.SchemeLanguage)
	for _, c := range langs {
		if c.Code == "fr" && (c.URI != "http://publications.europa.eu/resource/authority/language/FRA" || c.Label != "French") {
			t.Errorf("fr = %+v", c)
		}
	}
}

func TestReopenExistingDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")
	if _, err := s.SaveEntry(ctx, sampleEntry("x-road")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := openStore(t, dir)
	if _, err := again.EntryBySlug(ctx, catalogue.KindSolution, "x-road"); err != nil {
		t.Fatalf("entry lost across reopen: %v", err)
	}
	if err := again.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestUnpublishedEntriesAreHidden(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")
	in := sampleEntry("draft-one")
	in.State = catalogue.StateDraft
	if _, err := s.SaveEntry(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EntryBySlug(ctx, catalogue.KindSolution, "draft-one"); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("draft readable publicly: %v", err)
	}
	page, err := s.ListEntries(ctx, catalogue.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 0 {
		t.Errorf("draft listed: total %d", page.Total)
	}
}
