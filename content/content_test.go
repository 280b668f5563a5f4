package content_test

import (
	"context"
	"strings"
	"testing"

	"interophub/catalogue"
	"interophub/content"
)

// requiredSlugs must exist in the demo catalogue (docs/interfaces.md).
var requiredSlugs = []string{
	"x-road", "gov-uk-notify", "gov-uk-pay", "gov-uk-verify", "mosaico", "autenticacao-gov",
	"european-interoperability-framework", "interoperable-europe-act", "adms-ap", "dcat-ap",
	"publiccode-yml", "once-only-principle", "citizen-spots", "spain-law-11-2007",
	"norway-digital-first", "austria-ict-impact-assessment", "introduction-to-interoperability",
}

func TestDemoCatalogueIsComplete(t *testing.T) {
	demo, err := catalogue.ReadDemo(content.Catalogue())
	if err != nil {
		t.Fatal(err)
	}
	perKind := map[catalogue.Kind]int{}
	slugs := map[string]bool{}
	for _, e := range demo.Entries {
		perKind[e.Kind]++
		if slugs[e.Slug] {
			t.Errorf("slug %s used twice", e.Slug)
		}
		slugs[e.Slug] = true
	}
	if len(demo.Entries) < 60 {
		t.Errorf("%d entries, want at least 60", len(demo.Entries))
	}
	for kind, min := range map[catalogue.Kind]int{catalogue.KindSolution: 20, catalogue.KindStandard: 15, catalogue.KindPractice: 20, catalogue.KindCourse: 3} {
		if perKind[kind] < min {
			t.Errorf("%d %s entries, want at least %d", perKind[kind], kind, min)
		}
	}
	for _, slug := range requiredSlugs {
		if !slugs[slug] {
			t.Errorf("required slug %s is missing", slug)
		}
	}
	orgs := map[string]bool{}
	for _, o := range demo.Organisations {
		if orgs[o.Slug] {
			t.Errorf("organisation %s defined twice", o.Slug)
		}
		orgs[o.Slug] = true
		desc := map[string]bool{}
		for _, tr := range o.Translations {
			desc[tr.Lang] = tr.Description != ""
		}
		if !desc["en"] || !desc["vi"] {
			t.Errorf("organisation %s lacks an English or Vietnamese description", o.Slug)
		}
	}

	for _, e := range demo.Entries {
		byLang := map[string]catalogue.Translation{}
		for _, tr := range e.Translations {
			byLang[tr.Lang] = tr
		}
		for _, lang := range []string{"en", "vi"} {
			tr := byLang[lang]
			if tr.Title == "" || tr.Summary == "" || len(strings.Fields(tr.Body)) < 80 {
				t.Errorf("%s: %s text incomplete (title %q, %d words of body)", e.Slug, lang, tr.Title, len(strings.Fields(tr.Body)))
			}
			if e.Kind == catalogue.KindPractice && (tr.Problem == "" || tr.Solution == "" || tr.Results == "" || tr.Lessons == "") {
				t.Errorf("%s: %s practice sections incomplete", e.Slug, lang)
			}
		}
		for _, lang := range []string{"fr", "de", "es", "it", "pt"} {
			if tr := byLang[lang]; tr.Title == "" || tr.Summary == "" {
				t.Errorf("%s: no %s title and summary", e.Slug, lang)
			}
		}
		if len(e.Concepts[catalogue.SchemeLayer]) == 0 || len(e.Concepts[catalogue.SchemeTheme]) == 0 {
			t.Errorf("%s: needs at least one EIF layer and one theme", e.Slug)
		}
		if len(e.Keywords["en"]) == 0 || len(e.Keywords["vi"]) == 0 {
			t.Errorf("%s: needs English and Vietnamese keywords", e.Slug)
		}
		if len(e.Related) == 0 {
			t.Errorf("%s: no related entries", e.Slug)
		}
		if e.Kind == catalogue.KindPractice && e.Practice == nil {
			t.Errorf("%s: practice without its country, level, sector and year", e.Slug)
		}
		if !orgs[e.Owner] {
			t.Errorf("%s: owner %q is not an organisation", e.Slug, e.Owner)
		}
	}
}

// TestDemoLoadsOnceAndCompletely loads the demo into an empty database, then
// again, and checks the second load changes nothing.
func TestDemoLoadsOnceAndCompletely(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := store.LoadDemo(ctx, content.Catalogue())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	demo, _ := catalogue.ReadDemo(content.Catalogue())
	if n != len(demo.Entries) {
		t.Errorf("loaded %d of %d entries", n, len(demo.Entries))
	}
	counts, err := store.CountByKind(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, c := range counts {
		total += c
	}
	if total != int64(len(demo.Entries)) {
		t.Errorf("%d public entries after load, want %d", total, len(demo.Entries))
	}
	for _, slug := range requiredSlugs {
		found := false
		for _, kind := range catalogue.Kinds {
			if e, err := store.EntryBySlug(ctx, kind, slug); err == nil {
				found = true
				if len(e.Related) == 0 {
					t.Errorf("%s lost its related entries", slug)
				}
			}
		}
		if !found {
			t.Errorf("%s not in the database", slug)
		}
	}
	// Updated is the later of created and last reviewed, not the load time:
	// linking related entries in the second pass is not an edit.
	for _, in := range demo.Entries {
		e, err := store.EntryBySlug(ctx, in.Kind, in.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if !e.UpdatedAt.Equal(in.UpdatedAt) || len(e.Related) != len(in.Related) {
			t.Errorf("%s: updated %s, want %s; %d related, want %d", in.Slug, e.UpdatedAt, in.UpdatedAt, len(e.Related), len(in.Related))
		}
	}
	again, err := store.LoadDemo(ctx, content.Catalogue())
	if err != nil || again != 0 {
		t.Errorf("second load: %d entries, err %v; want 0, nil", again, err)
	}
}
