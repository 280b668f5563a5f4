package search_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"interophub/catalogue"
	"interophub/content"
	"interophub/search"
)

// fixture is the demo catalogue in a fresh store with its index built.
type fixture struct {
	dir   string
	store *catalogue.Store
	index *search.Index
	slugs map[uint]string
	ids   map[string]uint
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.LoadDemo(ctx, content.Catalogue()); err != nil {
		t.Fatal(err)
	}
	ix, needs, err := search.Open(dir, nil, nil)
	if err != nil || !needs {
		t.Fatalf("open: %v, needs rebuild %v", err, needs)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Rebuild(ctx, store, 0, nil); err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir, store: store, index: ix, slugs: map[uint]string{}, ids: map[string]uint{}}
	ids, err := store.PublicEntryIDs(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := store.IndexableEntries(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		f.slugs[e.ID] = e.Slug
		f.ids[e.Slug] = e.ID
	}
	return f
}

func (f *fixture) top(t testing.TB, r search.Request, n int) []string {
	t.Helper()
	res, err := f.index.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("%+v: %v", r, err)
	}
	var out []string
	for i, h := range res.Hits {
		if i == n {
			break
		}
		out = append(out, f.slugs[h.ID])
	}
	return out
}

// TestRelevance: queries in several languages, typos and phrases included,
// with an entry that must rank in the top three.
func TestRelevance(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		text, lang, want string
	}{
		{"x-road", "en", "x-road"},
		{"xroad", "en", "x-road"}, // written without its hyphen
		{"X Road", "de", "x-road"},
		{"interoperability framework", "en", "european-interoperability-framework"},
		{"identitty", "en", "estonia-e-id"}, // typo
		{"electronic identity", "en", "estonia-e-id"},
		{"GOV.UK Notify", "en", "gov-uk-notify"},
		{"notfy", "en", "gov-uk-notify"},             // typo in a short word
		{`"once-only"`, "en", "once-only-principle"}, // phrase
		{"citizen spots", "en", "citizen-spots"},
		{"Bürgerservice", "de", "citizen-spots"}, // German, prefix of a compound
		{"identité électronique", "fr", "estonia-e-id"},
		{"định danh điện tử", "vi", "estonia-e-id"}, // Vietnamese
		{"dinh danh dien tu", "vi", "estonia-e-id"}, // Vietnamese typed without accents
		{"cổng dịch vụ công quốc gia", "vi", "vietnam-national-public-service-portal"},
		{"e-invoicing", "en", "en-16931-einvoicing"},
		{"publiccode", "en", "publiccode-yml"},
		{"data embassy", "en", "estonia-data-embassy"},
		{"digital post", "da", "denmark-digital-post"},
	}
	for _, tt := range tests {
		top := f.top(t, search.Request{Text: tt.text, Lang: tt.lang}, 3)
		if !slices.Contains(top, tt.want) {
			t.Errorf("%q (%s): top 3 %v, want %s among them", tt.text, tt.lang, top, tt.want)
		}
	}
}

// TestDisjunctiveFacets: values of one facet combine with OR, facets with
// AND, and a facet's counts ignore its own selection.
func TestDisjunctiveFacets(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	count := func(r search.Request) int {
		res, err := f.index.Search(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	ee := count(search.Request{Filters: map[string][]string{"country": {"EE"}}})
	pt := count(search.Request{Filters: map[string][]string{"country": {"PT"}}})
	both := count(search.Request{Filters: map[string][]string{"country": {"EE", "PT"}}})
	if ee == 0 || pt == 0 || both < max(ee, pt) || both > ee+pt {
		t.Errorf("EE %d, PT %d, EE or PT %d", ee, pt, both)
	}
	res, err := f.index.Search(ctx, search.Request{Filters: map[string][]string{"country": {"EE"}, "kind": {"solution"}}})
	if err != nil {
		t.Fatal(err)
	}
	facet := func(name, value string) (int, bool) {
		for _, fc := range res.Facets[name] {
			if fc.Value == value {
				return fc.Count, fc.Selected
			}
		}
		return 0, false
	}
	// country counts ignore the country filter but keep the kind filter.
	eeSolutions := count(search.Request{Filters: map[string][]string{"country": {"EE"}, "kind": {"solution"}}})
	if n, sel := facet("country", "EE"); n != eeSolutions || !sel {
		t.Errorf("country EE = %d (selected %v), want %d selected", n, sel, eeSolutions)
	}
	ptSolutions := count(search.Request{Filters: map[string][]string{"country": {"PT"}, "kind": {"solution"}}})
	if n, sel := facet("country", "PT"); n != ptSolutions || sel {
		t.Errorf("country PT = %d (selected %v), want %d not selected", n, sel, ptSolutions)
	}
	// kind counts ignore the kind filter but keep the country filter.
	eePractices := count(search.Request{Filters: map[string][]string{"country": {"EE"}, "kind": {"practice"}}})
	if n, _ := facet("kind", "practice"); n != eePractices || n == 0 {
		t.Errorf("kind practice = %d, want %d", n, eePractices)
	}
	// every other facet counts within both filters.
	if n, _ := facet("layer", "IL6"); n > eeSolutions {
		t.Errorf("layer IL6 = %d, more than the %d matching entries", n, eeSolutions)
	}
	if res.Total != eeSolutions {
		t.Errorf("total %d, want %d", res.Total, eeSolutions)
	}
}

// TestTyposFindWhatTheWordFinds: a misspelt word finds what the word
// spelt right finds: its first result among the top three, and (when the
// typo finds more than one) at least two of its top three.
func TestTyposFindWhatTheWordFinds(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct{ typo, word, lang string }{
		{"interoperabilty", "interoperability", "en"},
		{"identitty", "identity", "en"},
		{"notfy", "notify", "en"},
		{"interopérabilte", "interopérabilité", "fr"},
	} {
		want := f.top(t, search.Request{Text: tt.word, Lang: tt.lang}, 3)
		got := f.top(t, search.Request{Text: tt.typo, Lang: tt.lang}, 3)
		shared := 0
		for _, slug := range want {
			if slices.Contains(got, slug) {
				shared++
			}
		}
		if len(want) == 0 || !slices.Contains(got, want[0]) || shared < min(2, len(got)) {
			t.Errorf("%q finds %v; %q finds %v", tt.typo, got, tt.word, want)
		}
	}
}

// TestHighlightsAreSafe: matched words are marked, everything else is
// escaped, whatever the text holds.
func TestHighlightsAreSafe(t *testing.T) {
	terms := map[string]bool{"road": true, "script": true, "servic": true}
	got := string(search.Highlight(`X-Road <script>alert("x")</script> & services`, "en", terms))
	want := `X-<mark>Road</mark> &lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; &amp; <mark>services</mark>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	f := newFixture(t)
	res, err := f.index.Search(context.Background(), search.Request{Text: "xroad", Lang: "en"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("xroad: %v", err)
	}
	if h := search.Highlight("X-Road", "en", res.Hits[0].Terms); !strings.Contains(string(h), "<mark>") {
		t.Errorf("the title of the first hit for xroad is not highlighted: %s", h)
	}
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	many := make([]string, search.MaxFacetValues+1)
	for i := range many {
		many[i] = "EE"
	}
	tests := []struct {
		name string
		r    search.Request
		want error
	}{
		{"long query", search.Request{Text: strings.Repeat("a", search.MaxQueryLength+1)}, search.ErrQueryTooLong},
		{"too many values", search.Request{Filters: map[string][]string{"country": many}}, search.ErrTooManyValues},
		{"unknown facet", search.Request{Filters: map[string][]string{"colour": {"red"}}}, search.ErrUnknownFilter},
		{"malformed value", search.Request{Filters: map[string][]string{"country": {"<script>"}}}, search.ErrBadFilterValue},
		{"page past the end", search.Request{Text: "x-road", Page: 99}, search.ErrPageOutOfRange},
		{"page past the window", search.Request{Page: 100000}, search.ErrPageOutOfRange},
		{"unknown sort", search.Request{Sort: "random"}, search.ErrUnknownSort},
	}
	for _, tt := range tests {
		if _, err := f.index.Search(ctx, tt.r); !errors.Is(err, tt.want) || !errors.Is(err, search.ErrBadRequest) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	// Query syntax is not syntax: these are words.
	for _, q := range []string{"+x-road -estonia", "title:x-road", "x*", "/.*/", `"unclosed`, "(((", "~2"} {
		if _, err := f.index.Search(ctx, search.Request{Text: q}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func TestSortsAndPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	seen := map[uint]bool{}
	total := 0
	for page := 1; ; page++ {
		res, err := f.index.Search(ctx, search.Request{Sort: search.SortTitle, Page: page, Size: 7})
		if err != nil {
			t.Fatal(err)
		}
		total = res.Total
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Errorf("entry %d on two pages", h.ID)
			}
			seen[h.ID] = true
		}
		if page >= res.Pages() {
			break
		}
	}
	if len(seen) != total || total != len(f.ids) {
		t.Errorf("walked %d entries of %d, catalogue has %d", len(seen), total, len(f.ids))
	}
	newest := f.top(t, search.Request{Sort: search.SortNewest}, 1)
	updated := f.top(t, search.Request{Sort: search.SortUpdated}, 1)
	if len(newest) == 0 || len(updated) == 0 {
		t.Fatal("no results")
	}
}

// TestDidYouMean proposes the catalogue's word for a misspelt one.
func TestDidYouMean(t *testing.T) {
	f := newFixture(t)
	res, err := f.index.Search(context.Background(), search.Request{Text: "embasy estonia", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion != "embassy estonia" {
		t.Errorf("suggestion %q, want %q (%d results)", res.Suggestion, "embassy estonia", res.Total)
	}
	res, err = f.index.Search(context.Background(), search.Request{Text: "x-road", Lang: "en"})
	if err != nil || res.Suggestion != "" {
		t.Errorf("suggestion for a good query: %q %v", res.Suggestion, err)
	}
}

func TestSuggestAsYouType(t *testing.T) {
	f := newFixture(t)
	ids, err := f.index.Suggest(context.Background(), "gov.uk noti", "en", 8)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, id := range ids {
		slugs = append(slugs, f.slugs[id])
	}
	if len(slugs) == 0 || slugs[0] != "gov-uk-notify" {
		t.Errorf("suggest %q: %v, want gov-uk-notify first", "gov.uk noti", slugs)
	}
}

// TestSnippet: a long text is cut around the first matched word, at
// spaces (never inside a character), marked and escaped.
func TestSnippet(t *testing.T) {
	text := strings.Repeat("thực tiễn tốt và khóa học ", 20) + "<b>ngôn ngữ</b> " + strings.Repeat("giải pháp dùng chung ", 20)
	got := string(search.Snippet(text, "vi", map[string]bool{"ngữ": true}, 120))
	if !utf8.ValidString(got) {
		t.Fatalf("invalid UTF-8: %q", got)
	}
	for _, want := range []string{"ngôn <mark>ngữ</mark>&lt;/b&gt;", "&lt;b&gt;"} {
		if !strings.Contains(got, want) {
			t.Errorf("snippet lacks %q: %s", want, got)
		}
	}
	if !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") || len(got) > 200 {
		t.Errorf("snippet not cut around the match (%d bytes): %s", len(got), got)
	}
	if short := string(search.Snippet("short text", "en", nil, 120)); short != "short text" {
		t.Errorf("short text: %q", short)
	}
}

// TestSnippetPrefersTheRichestPassage: the passage shown is where most
// of the matched words are, not merely the first match.
func TestSnippetPrefersTheRichestPassage(t *testing.T) {
	text := "A secure channel. " + strings.Repeat("Filler words about other things entirely. ", 12) +
		"The security server signs every message. " + strings.Repeat("More filler text here. ", 12)
	got := string(search.Snippet(text, "en", map[string]bool{"secur": true, "server": true}, 120))
	if !strings.Contains(got, "<mark>security</mark> <mark>server</mark>") {
		t.Errorf("snippet: %s", got)
	}
}
