package app_test

import (
	"context"
	"errors"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"interophub/app"
	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/content"
)

func locales(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRootNegotiatesLanguage(t *testing.T) {
	web, _ := newApp(t)
	for header, want := range map[string]string{"": "/en/", "vi-VN,vi;q=0.9": "/vi/", "de-AT": "/de/", "zh-CN": "/en/"} {
		r := get(t, web, "/", "Accept-Language", header)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
			t.Errorf("Accept-Language %q: %d to %q, want 303 to %s", header, r.status, r.header.Get("Location"), want)
		}
	}
}

// TestPagesInThreeLanguages opens every kind of page in English, Vietnamese
// and German and checks the language of the page and its key content.
func TestPagesInThreeLanguages(t *testing.T) {
	web, store := newApp(t)
	tr := locales(t)
	ctx := context.Background()
	entries := map[catalogue.Kind]string{
		catalogue.KindSolution: "x-road", catalogue.KindStandard: "european-interoperability-framework",
		catalogue.KindPractice: "citizen-spots", catalogue.KindCourse: "introduction-to-interoperability",
	}
	for _, lang := range []string{"en", "vi", "de"} {
		loc := tr.Locale(lang)
		pages := map[string][]string{
			"/" + lang + "/":                  {loc.Tr("home.title"), loc.Tr("home.featured")},
			"/" + lang + "/about":             {loc.Tr("about.title"), loc.Tr("about.p2")},
			"/" + lang + "/publish":           {loc.Tr("publish.title"), loc.Tr("publish.harvest.heading")},
			"/" + lang + "/organisations/ria": {"Estonian Information System Authority", loc.Tr("org.owns")},
			"/" + lang + "/search?q=identity": {loc.Tr("search.title"), loc.Tr("filter.kind")},
		}
		for _, kind := range catalogue.Kinds {
			pages["/"+lang+"/"+kind.Plural()] = []string{loc.Tr("kind." + string(kind) + ".plural"), loc.Tr("kind." + string(kind) + ".intro")}
			e, err := store.EntryBySlug(ctx, kind, entries[kind])
			if err != nil {
				t.Fatalf("%s: %v", entries[kind], err)
			}
			tl, _ := e.Translation(lang)
			pages["/"+lang+e.Path()] = []string{tl.Title, loc.Tr("entry.details"), loc.Tr("entry.owner")}
		}
		for path, wants := range pages {
			t.Run(path, func(t *testing.T) {
				r := get(t, web, path)
				if r.status != http.StatusOK {
					t.Fatalf("status %d", r.status)
				}
				mustContain(t, path, r.body, `<html lang="`+lang+`">`, `<main id="main"`, `href="#main"`)
				for _, w := range wants {
					mustContain(t, path, html.UnescapeString(r.body), w)
				}
				if got := r.header.Get("Content-Language"); got != lang {
					t.Errorf("Content-Language = %q", got)
				}
			})
		}
	}
}

// TestEveryDemoEntryRenders opens every demo entry and checks its title,
// summary and owner are on the page.
func TestEveryDemoEntryRenders(t *testing.T) {
	web, store := newApp(t)
	demo, err := catalogue.ReadDemo(content.Catalogue())
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range demo.Entries {
		e, err := store.EntryBySlug(context.Background(), in.Kind, in.Slug)
		if err != nil {
			t.Fatalf("%s: %v", in.Slug, err)
		}
		for _, lang := range []string{"en", "vi"} {
			r := get(t, web, "/"+lang+e.Path())
			if r.status != http.StatusOK {
				t.Errorf("%s in %s: status %d", in.Slug, lang, r.status)
				continue
			}
			tl, ok := e.Translation(lang)
			if !ok {
				t.Errorf("%s has no %s text", in.Slug, lang)
				continue
			}
			body := html.UnescapeString(r.body)
			mustContain(t, in.Slug+" "+lang, body, tl.Title, tl.Summary, e.Owner.Name)
			if strings.Contains(body, "entry.") || strings.Contains(body, "vocab.") {
				t.Errorf("%s in %s shows an untranslated key", in.Slug, lang)
			}
		}
	}
}

func TestFallbackToEnglishIsAnnounced(t *testing.T) {
	web, store := newApp(t)
	tr := locales(t)
	e, err := store.EntryBySlug(context.Background(), catalogue.KindSolution, "x-road")
	if err != nil {
		t.Fatal(err)
	}
	en, _ := e.Translation("en")
	de, ok := e.Translation("de")
	if !ok {
		t.Fatal("x-road has no German title")
	}

	// Bulgarian: no text at all, everything in English with a notice.
	bg := tr.Locale("bg")
	r := get(t, web, "/bg/solutions/x-road")
	body := html.UnescapeString(r.body)
	mustContain(t, "bg", body, en.Title, bg.Tr("entry.fallback", "Language", bg.LanguageNameInSentence("bg")), `<header class="entry-header" lang="en">`)

	// German: title and summary in German, the body in English, said so.
	deLoc := tr.Locale("de")
	r = get(t, web, "/de/solutions/x-road")
	body = html.UnescapeString(r.body)
	mustContain(t, "de", body, de.Title, de.Summary, deLoc.Tr("entry.fallback.text", "Language", deLoc.LanguageNameInSentence("de")), `<div class="entry-main" lang="en">`)

	// Vietnamese: everything in Vietnamese, no notice.
	vi := tr.Locale("vi")
	r = get(t, web, "/vi/solutions/x-road")
	if strings.Contains(html.UnescapeString(r.body), vi.Tr("entry.fallback.text", "Language", vi.LanguageNameInSentence("vi"))) {
		t.Error("vi page announces a fallback it does not use")
	}
}

// TestEditorialContact shows the configured editorial address on the About
// and publishing pages, and no contact section when none is configured.
func TestEditorialContact(t *testing.T) {
	web, _ := newApp(t, func(d *app.Deps) { d.ContactEmail = "editors@hub.test" })
	de := locales(t).Locale("de")
	for _, path := range []string{"/de/about", "/de/publish"} {
		r := get(t, web, path)
		mustContain(t, path, html.UnescapeString(r.body), de.Tr("contact.heading"), de.Tr("contact.text"), `<a href="mailto:editors@hub.test">editors@hub.test</a>`)
	}
	bare, _ := newApp(t)
	if r := get(t, bare, "/de/about"); strings.Contains(r.body, "mailto:") || strings.Contains(r.body, `id="contact"`) {
		t.Error("a contact section without a configured address")
	}
}

func TestNotFoundInTheUsersLanguage(t *testing.T) {
	web, _ := newApp(t)
	tr := locales(t)
	tests := []struct{ path, accept, lang string }{
		{"/vi/khong-co-trang-nay/abc/def", "", "vi"},
		{"/de/solutions/no-such-solution", "", "de"},
		{"/fr/organisations/nobody", "", "fr"},
		{"/xx/", "fr-FR,fr", "fr"},
		{"/no/such/page/at/all", "sv", "sv"},
		{"/en/practices/x-road", "", "en"}, // a solution is not a practice
	}
	for _, tt := range tests {
		r := get(t, web, tt.path, "Accept-Language", tt.accept)
		if r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", tt.path, r.status)
		}
		loc := tr.Locale(tt.lang)
		mustContain(t, tt.path, html.UnescapeString(r.body), `<html lang="`+tt.lang+`">`, loc.Tr("error.404.title"), loc.Tr("error.home"))
	}
}

// failing is a catalogue whose every read fails, as a broken database would.
type failing struct{ app.Catalogue }

var errBroken = errors.New("disk I/O error at /var/secret/hub.db")

func (failing) CountByKind(context.Context) (map[catalogue.Kind]int64, error) { return nil, errBroken }
func (failing) Ping(context.Context) error                                    { return errBroken }

func TestServerErrorsHideTheCause(t *testing.T) {
	accounts, err := catalogue.Open(context.Background(), catalogue.Options{Dir: t.TempDir(), Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	defer accounts.Close()
	web, err := app.New(app.Deps{Catalogue: failing{}, Search: emptyIndex(t), Accounts: accounts, Workflow: accounts, Follows: accounts, Attachments: accounts, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := get(t, web, "/it/")
	if r.status != http.StatusInternalServerError {
		t.Fatalf("status %d", r.status)
	}
	loc := locales(t).Locale("it")
	mustContain(t, "500", html.UnescapeString(r.body), loc.Tr("error.500.title"), `<html lang="it">`)
	if strings.Contains(r.body, "secret") || strings.Contains(r.body, "disk I/O") {
		t.Error("the error page leaks the cause")
	}
	if r := get(t, web, "/readyz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("readyz with a broken database: %d", r.status)
	}
	if r := get(t, web, "/healthz"); r.status != http.StatusOK {
		t.Errorf("healthz: %d", r.status)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	web, _ := newApp(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := get(t, web, path); r.status != http.StatusOK {
			t.Errorf("%s: %d", path, r.status)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	web, _ := newApp(t)
	for _, path := range []string{"/en/", "/en/solutions/x-road", "/nope", "/healthz"} {
		r := get(t, web, path)
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, r.header)
		}
		if r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain http", path)
		}
	}
	store, err := catalogue.Open(context.Background(), catalogue.Options{Dir: t.TempDir(), Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	secure, err := app.New(app.Deps{Catalogue: store, Search: emptyIndex(t), Accounts: store, Workflow: store, Follows: store, Attachments: store, BaseURL: "https://hub.example.eu", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, secure, "/en/"); !strings.HasPrefix(r.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS behind an https base URL: %v", r.header)
	}
}

// TestRequestBodyLimit posts an oversized body to the real server on a
// loopback port (fasthttp rejects it before any handler runs, which the
// in-memory app.Test cannot show) and expects the translated 413 page.
func TestRequestBodyLimit(t *testing.T) {
	web, _ := newApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = web.Listener(ln) }()
	t.Cleanup(func() { _ = web.Shutdown() })

	req, err := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/fr/search", strings.NewReader(strings.Repeat("a", app.BodyLimit+1)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: status %d, want 413", res.StatusCode)
	}
	fr := locales(t).Locale("fr")
	mustContain(t, "413 page", html.UnescapeString(string(body)), fr.Tr("error.413.title"), fr.Tr("error.413.text"))
}

var stylesheet = regexp.MustCompile(`href="(/static/css/app\.[0-9a-f]+\.css)"`)

func TestStaticAssetsAreCachedForever(t *testing.T) {
	web, _ := newApp(t)
	m := stylesheet.FindStringSubmatch(get(t, web, "/en/").body)
	if m == nil {
		t.Fatal("no hashed stylesheet link on the home page")
	}
	r := get(t, web, m[1])
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("Cache-Control = %q", r.header.Get("Cache-Control"))
	}
	if r := get(t, web, "/static/css/app.css"); r.status != http.StatusNotFound {
		t.Errorf("unhashed name served: %d", r.status)
	}
}

func TestLanguageSwitcherAndAlternates(t *testing.T) {
	web, _ := newApp(t)
	r := get(t, web, "/en/solutions?layer=IL6")
	for _, lang := range i18n.Languages {
		mustContain(t, lang, r.body,
			`<link rel="alternate" hreflang="`+lang+`" href="http://hub.test/`+lang+`/solutions?layer=IL6">`,
			`<a href="/`+lang+`/solutions?layer=IL6" hreflang="`+lang+`" lang="`+lang+`"`,
		)
	}
	mustContain(t, "x-default", r.body, `hreflang="x-default" href="http://hub.test/en/solutions?layer=IL6"`)
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
var cardLink = regexp.MustCompile(`<h3 class="card-title"><a href="([^"]+)">`)

// TestBrowseWalksEveryPage follows the "next page" links of each kind and
// checks every public entry is listed exactly once.
func TestBrowseWalksEveryPage(t *testing.T) {
	web, store := newApp(t)
	counts, err := store.CountByKind(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range catalogue.Kinds {
		seen := map[string]bool{}
		path := "/en/" + kind.Plural()
		for pages := 0; path != ""; pages++ {
			if pages > 20 {
				t.Fatal("pagination does not end")
			}
			r := get(t, web, path)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d", path, r.status)
			}
			for _, m := range cardLink.FindAllStringSubmatch(r.body, -1) {
				if seen[m[1]] {
					t.Errorf("%s listed twice", m[1])
				}
				seen[m[1]] = true
				if !strings.HasPrefix(m[1], "/en/"+kind.Plural()+"/") {
					t.Errorf("%s listed under %s", m[1], kind)
				}
			}
			path = ""
			if m := nextLink.FindStringSubmatch(r.body); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
		if int64(len(seen)) != counts[kind] {
			t.Errorf("%s: %d listed, %d public", kind, len(seen), counts[kind])
		}
	}
}

func TestBrowseFilters(t *testing.T) {
	web, store := newApp(t)
	ctx := context.Background()
	r := get(t, web, "/en/solutions?layer=IL6&country=EE&country=PT")
	links := cardLink.FindAllStringSubmatch(r.body, -1)
	if len(links) == 0 {
		t.Fatal("no technical solutions from Estonia or Portugal")
	}
	for _, m := range links {
		slug := m[1][strings.LastIndex(m[1], "/")+1:]
		e, err := store.EntryBySlug(ctx, catalogue.KindSolution, slug)
		if err != nil {
			t.Fatal(err)
		}
		var layer, country bool
		for _, c := range e.Concepts {
			layer = layer || (c.Scheme == catalogue.SchemeLayer && c.Code == "IL6")
			country = country || (c.Scheme == catalogue.SchemeCountry && (c.Code == "EE" || c.Code == "PT"))
		}
		if !layer || !country {
			t.Errorf("%s does not match the filters", slug)
		}
	}
	loc := locales(t).Locale("en")
	mustContain(t, "chips", r.body, loc.Tr("browse.remove"), `name="country" value="EE" checked`, loc.Tr("browse.clear"))

	r = get(t, web, "/en/solutions?after=garbage")
	if r.status != http.StatusOK {
		t.Fatalf("bad cursor: %d", r.status)
	}
	mustContain(t, "bad cursor", r.body, loc.Tr("error.bad_cursor"))
}
