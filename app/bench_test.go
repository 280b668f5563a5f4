package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"interophub/app"
	"interophub/catalogue"
)

// benchmarkPage measures a full request through the Fiber app: routing,
// database reads and template rendering.
func benchmarkPage(b *testing.B, path string) {
	web, _ := newApp(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := web.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", path, res.StatusCode)
		}
	}
}

func BenchmarkHomePage(b *testing.B)   { benchmarkPage(b, "/en/") }
func BenchmarkEntryPage(b *testing.B)  { benchmarkPage(b, "/en/solutions/x-road") }
func BenchmarkBrowsePage(b *testing.B) { benchmarkPage(b, "/vi/practices?layer=IL4") }
func BenchmarkSearchPage(b *testing.B) {
	benchmarkPage(b, "/en/search?q=electronic+identity&country=EE&country=PT")
}
func BenchmarkSearchAPI(b *testing.B)  { benchmarkPage(b, "/api/v1/search?q=data+exchange&lang=vi") }
func BenchmarkSuggestAPI(b *testing.B) { benchmarkPage(b, "/api/v1/suggest?q=gov.uk+no&lang=en") }

// BenchmarkSignIn measures a whole sign-in: the form post, one argon2id
// verification, a new session.
func BenchmarkSignIn(b *testing.B) {
	web, store := newApp(b, func(d *app.Deps) { d.Limits = app.Limits{SignIn: 1 << 30, Posts: 1 << 30} })
	addUser(b, store, "lea@hub.test", catalogue.RoleLearner)
	br := newBrowser(b, web)
	br.get("/en/signin")
	form := url.Values{"email": {"lea@hub.test"}, "password": {testPassword}}
	b.ResetTimer()
	for b.Loop() {
		if r := br.post("/en/signin", form); r.status != http.StatusSeeOther {
			b.Fatalf("sign in: %d", r.status)
		}
	}
}

// BenchmarkSaveDraft measures posting an edit of a draft good practice
// through the form: validation, Markdown, the revision and the search
// outbox row, all in one transaction.
func BenchmarkSaveDraft(b *testing.B) {
	web, store := newApp(b, func(d *app.Deps) { d.Limits = app.Limits{SignIn: 1 << 30, Posts: 1 << 30} })
	addUser(b, store, "ana@hub.test", catalogue.RoleContributor, "ama")
	br := newBrowser(b, web)
	br.signIn("ana@hub.test", testPassword)
	form := url.Values{"kind": {"practice"}, "tl": {"en"}, "action": {"save"}, "owner": {"ama"}, "slug": {"bench-practice"},
		"title": {"A benchmark practice"}, "summary": {"Saved again and again."},
		"problem": {strings.Repeat("A paragraph of *Markdown* text about a public service. ", 40)}}
	if r := br.submit("/en/contribute/new?kind=practice", "/en/contribute/new", form); r.status != http.StatusSeeOther {
		b.Fatalf("create: %d %s", r.status, r.body)
	}
	br.get("/en/contribute/bench-practice/edit")
	b.ResetTimer()
	for b.Loop() {
		if r := br.post("/en/contribute/bench-practice/edit", form); r.status != http.StatusSeeOther {
			b.Fatalf("save: %d", r.status)
		}
	}
}
