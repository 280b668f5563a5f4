package app_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"interophub/app"
	"interophub/search"
)

func TestSearchPage(t *testing.T) {
	web, _ := newApp(t)
	tr := locales(t)

	r := get(t, web, "/en/search?q=xroad")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, "xroad", r.body, `<a href="/en/solutions/x-road">X-<mark>Road</mark></a>`, `name="q" value="xroad"`)

	r = get(t, web, "/vi/search?q=dinh+danh+dien+tu")
	vi := tr.Locale("vi")
	mustContain(t, "vi", html.UnescapeString(r.body), `<html lang="vi"`, "/vi/solutions/estonia-e-id", vi.Tr("search.sort.relevance"))

	// Two countries: both checked, each removable on its own, the state in the URL.
	r = get(t, web, "/en/search?country=EE&country=PT&kind=solution")
	body := html.UnescapeString(r.body)
	mustContain(t, "facets", body, `name="country" value="EE" checked`, `name="country" value="PT" checked`,
		`href="/en/search?country=PT&kind=solution"`, `href="/en/search?country=EE&kind=solution"`,
		"/en/solutions/x-road", "/en/solutions/autenticacao-gov")
	if strings.Contains(body, "/en/practices/") {
		t.Error("a practice in results filtered to solutions")
	}

	// Did you mean.
	r = get(t, web, "/en/search?q=embasy")
	mustContain(t, "did you mean", html.UnescapeString(r.body), tr.Locale("en").Tr("search.did_you_mean"), `href="/en/search?q=embassy"`)
}

func TestSearchPagePagination(t *testing.T) {
	web, _ := newApp(t)
	first := get(t, web, "/en/search?sort=title")
	mustContain(t, "page 1", first.body, `<span aria-current="page">1</span>`, `href="/en/search?page=2&amp;sort=title" rel="next"`)
	second := get(t, web, "/en/search?sort=title&page=2")
	mustContain(t, "page 2", second.body, `<span aria-current="page">2</span>`, `rel="prev"`)
	if first.body == second.body {
		t.Error("page 2 shows what page 1 shows")
	}
}

// TestSearchBadInput: every kind of bad input gets a translated message,
// a 400, and the rest of the search still runs; never a 500.
func TestSearchBadInput(t *testing.T) {
	web, _ := newApp(t)
	de := locales(t).Locale("de")
	many := strings.Repeat("&country=EE", search.MaxFacetValues+1)
	tests := []struct {
		name, query, message string
	}{
		{"long query", "q=" + strings.Repeat("x", search.MaxQueryLength+5), de.Tr("search.error.too_long", "Max", search.MaxQueryLength)},
		{"too many values", "q=road" + many, de.Tr("search.error.too_many", "Max", search.MaxFacetValues)},
		{"unknown value", "q=road&country=ZZ", de.Tr("search.error.unknown_filter", "Value", "ZZ")},
		{"hostile value", "q=road&theme=%3Cscript%3E", de.Tr("search.error.unknown_filter", "Value", "<script>")},
		{"page out of range", "q=x-road&page=999", de.Tr("search.error.page")},
		{"page not a number", "page=abc", de.Tr("search.error.page")},
		{"unknown facet is ignored", "colour=red&q=x-road", ""},
	}
	for _, tt := range tests {
		r := get(t, web, "/de/search?"+tt.query)
		if tt.message == "" {
			if r.status != http.StatusOK {
				t.Errorf("%s: status %d", tt.name, r.status)
			}
			continue
		}
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tt.name, r.status)
		}
		if !strings.Contains(html.UnescapeString(r.body), tt.message) || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("%s: no message %q", tt.name, tt.message)
		}
		if strings.Contains(r.body, "<script>") {
			t.Errorf("%s: unescaped input", tt.name)
		}
	}
}

func TestZeroResultQueriesAreRecorded(t *testing.T) {
	web, store := newApp(t)
	for range 2 {
		get(t, web, "/fr/search?q=Qwxzyv+Plorp")
	}
	misses, err := store.SearchMisses(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(misses) != 1 || misses[0].Query != "qwxzyv plorp" || misses[0].Lang != "fr" || misses[0].Count != 2 {
		t.Errorf("misses = %+v", misses)
	}
	r := get(t, web, "/fr/search?q=Qwxzyv+Plorp")
	mustContain(t, "no results", html.UnescapeString(r.body), locales(t).Locale("fr").Tr("search.none"))
}

func TestSearchAPI(t *testing.T) {
	web, _ := newApp(t)
	r := get(t, web, "/api/v1/search?q=x-road&lang=de&kind=solution")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %s", r.status, r.header.Get("Content-Type"))
	}
	var res struct {
		Total  int     `json:"total"`
		TookMS float64 `json:"took_ms"`
		Hits   []struct {
			Slug, Kind, Title, Summary, URL string
			Highlights                      map[string]string
		} `json:"hits"`
		Facets map[string]map[string]int `json:"facets"`
	}
	if err := json.Unmarshal([]byte(r.body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || res.Hits[0].Slug != "x-road" || res.Hits[0].URL != "http://hub.test/de/solutions/x-road" ||
		!strings.Contains(res.Hits[0].Highlights["title"], "<mark>") || res.Facets["kind"]["solution"] != res.Total {
		t.Errorf("unexpected result: %s", r.body)
	}
	if res.Facets["kind"]["practice"] == 0 {
		t.Errorf("kind counts should ignore the kind filter: %v", res.Facets["kind"])
	}

	for _, q := range []string{"country=ZZ", "q=" + url.QueryEscape(strings.Repeat("a", 600)), "q=x-road&page=99", "size=500"} {
		r := get(t, web, "/api/v1/search?"+q)
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if r.status != http.StatusBadRequest || json.Unmarshal([]byte(r.body), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
}

func TestSuggestAPI(t *testing.T) {
	web, _ := newApp(t)
	r := get(t, web, "/api/v1/suggest?q=gov.uk+noti&lang=en")
	var res struct {
		Suggestions []struct{ Title, URL string } `json:"suggestions"`
	}
	if err := json.Unmarshal([]byte(r.body), &res); err != nil || len(res.Suggestions) == 0 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if res.Suggestions[0].Title != "GOV.UK Notify" || res.Suggestions[0].URL != "/en/solutions/gov-uk-notify" {
		t.Errorf("first suggestion %+v", res.Suggestions[0])
	}
	if r := get(t, web, "/api/v1/suggest?q="); r.status != http.StatusOK || !strings.Contains(r.body, `"suggestions":[]`) {
		t.Errorf("empty query: %d %s", r.status, r.body)
	}
}

// TestSearchWhileTheIndexIsBuilt: before a first index exists the page
// says so in the user's language and asks to retry; the API too.
func TestSearchWhileTheIndexIsBuilt(t *testing.T) {
	web, _ := newApp(t, func(d *app.Deps) { d.Search = emptyIndex(t) })
	r := get(t, web, "/it/search?q=x-road")
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	mustContain(t, "building", html.UnescapeString(r.body), locales(t).Locale("it").Tr("search.building", "Percent", 0))
	if r := get(t, web, "/api/v1/search?q=x-road"); r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "index_building") {
		t.Errorf("api: %d %s", r.status, r.body)
	}
	if r := get(t, web, "/readyz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("readyz without an index: %d", r.status)
	}
}

// TestSearchFindsLessons: words of a lesson find its course, and the result
// names and links the lesson, in the page language when it is written in it,
// with the passage highlighted.
func TestSearchFindsLessons(t *testing.T) {
	web, _ := newApp(t)
	tr := locales(t)

	r := get(t, web, "/en/search?q=household+definition&kind=course")
	body := html.UnescapeString(r.body)
	mustContain(t, "en", body, `<a href="/en/courses/introduction-to-interoperability">`,
		tr.Locale("en").Tr("search.in_lesson", "Number", 3),
		`<a href="/en/courses/introduction-to-interoperability/the-interoperability-layers">The interoperability layers</a>`,
		`<mark>household</mark>`)

	r = get(t, web, "/fr/search?q=m%C3%A9nage&kind=course")
	body = html.UnescapeString(r.body)
	mustContain(t, "fr", body, tr.Locale("fr").Tr("search.in_lesson", "Number", 3),
		`<a href="/fr/courses/introduction-to-interoperability/the-interoperability-layers">Les couches de l’interopérabilité</a>`,
		`<mark>ménage`)

	// The API names the lesson too.
	r = get(t, web, "/api/v1/search?q=household+definition&kind=course&lang=en")
	var res struct {
		Hits []struct {
			Slug   string
			Lesson *struct {
				Number     int
				Title, URL string
				Snippet    string
			}
		}
	}
	if err := json.Unmarshal([]byte(r.body), &res); err != nil || len(res.Hits) == 0 || res.Hits[0].Lesson == nil {
		t.Fatalf("API: %v %s", err, r.body)
	}
	if l := res.Hits[0].Lesson; l.Number != 3 || l.URL != "http://hub.test/en/courses/introduction-to-interoperability/the-interoperability-layers" ||
		!strings.Contains(l.Snippet, "<mark>household</mark>") {
		t.Errorf("API lesson: %+v", l)
	}

	// A word only in course titles names no lesson.
	r = get(t, web, "/en/search?q=xroad")
	if strings.Contains(r.body, `class="card-lesson"`) {
		t.Error("a result that matched no lesson text shows a lesson")
	}
}
