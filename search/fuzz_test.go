package search_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"interophub/search"
)

// FuzzQuery feeds arbitrary text to the search: it never fails other than
// as a bad request, and what it highlights stays escaped.
// Run longer with: go test ./search -run '^$' -fuzz FuzzQuery -fuzztime 60s
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{"x-road", `"once only"`, "identitty", "định danh", "+a -b", "title:x", "x*?", "/re/",
		"<script>alert(1)</script>", `"`, "a\x00b", strings.Repeat("é", 600), "((( )))", "~2^3", "\\"} {
		f.Add(seed, "en")
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		res, err := fx.index.Search(context.Background(), search.Request{Text: text, Lang: lang})
		if err != nil {
			if !errors.Is(err, search.ErrBadRequest) {
				t.Fatalf("%q: %v", text, err)
			}
			return
		}
		for _, h := range res.Hits {
			out := string(search.Highlight(text, "en", h.Terms))
			if strings.ContainsAny(strings.ReplaceAll(strings.ReplaceAll(out, "<mark>", ""), "</mark>", ""), "<>") {
				t.Fatalf("unescaped markup in %q", out)
			}
		}
		if _, err := fx.index.Suggest(context.Background(), text, lang, 8); err != nil {
			t.Fatalf("suggest %q: %v", text, err)
		}
	})
}
