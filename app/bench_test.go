package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"interophub/content"
)

// benchmarkPage measures a full request through the Fiber app: routing,
// database reads and template rendering.
func benchmarkPage(b *testing.B, path string) {
	web, _ := newApp(b, content.Catalogue())
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
