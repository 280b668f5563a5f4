package publiccode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"interophub/catalogue"
)

// xroad is a solution loaded with everything Write reads.
func xroad() *catalogue.Entry {
	released := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	older := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	return &catalogue.Entry{
		Kind: catalogue.KindSolution, Slug: "x-road", State: catalogue.StatePublished,
		Owner:    &catalogue.Organisation{Slug: "niis", Name: "Nordic Institute for Interoperability Solutions"},
		Homepage: "https://x-road.global", Licence: "MIT", Status: "completed",
		UpdatedAt: released,
		Translations: []catalogue.Translation{
			{Lang: "en", Title: "X-Road", Summary: "Open-source data exchange layer that lets organisations exchange data securely over the internet.",
				Body: "X-Road is the data exchange layer of Estonia's public services. It links more than 900 organisations, which exchange data " +
					"over the internet with signed and logged messages.\n\n## How it works\n\nEach organisation runs a security server."},
			{Lang: "fr", Title: "X-Road (couche d'échange)", Summary: "Couche d'échange de données ouverte.", Body: "Une couche d'échange de données entre administrations, par messages signés et journalisés sur internet, pour tous les services publics."},
		},
		Concepts: []catalogue.Concept{
			{Scheme: catalogue.SchemeCountry, Code: "EE"}, {Scheme: catalogue.SchemeCountry, Code: "FI"},
			{Scheme: catalogue.SchemeCountry, Code: "EU"},
			{Scheme: catalogue.SchemeLanguage, Code: "en"}, {Scheme: catalogue.SchemeLanguage, Code: "et"},
		},
		Keywords: []catalogue.Keyword{{Lang: "en", Value: "Data exchange"}, {Lang: "en", Value: "Interoperability"}, {Lang: "fr", Value: "échange"}},
		Contacts: []catalogue.Contact{{Name: "NIIS", Email: "info@niis.org"}},
		Releases: []catalogue.Release{
			{Version: "7.3.0", Date: &older, Distributions: []catalogue.Distribution{{Title: "Old", URL: "https://example.org/old"}}},
			{Version: "7.4.0", Date: &released, Distributions: []catalogue.Distribution{{Title: "Source code", URL: "https://github.com/nordic-institute/X-Road"}}},
		},
		Reuses: []catalogue.Reuse{
			{Organisation: &catalogue.Organisation{Slug: "ria", Name: "Information System Authority (RIA)"}},
			{Organisation: &catalogue.Organisation{Slug: "dvv", Name: "Digital and Population Data Services Agency"}},
		},
	}
}

func TestWriteRoundTrip(t *testing.T) {
	bare := &catalogue.Entry{
		Kind: catalogue.KindSolution, Slug: "bare", Status: "deprecated",
		Translations: []catalogue.Translation{{Lang: "de", Title: "Nackt"}},
	}
	tests := []struct {
		name    string
		entry   *catalogue.Entry
		pageURL string
		url     string
		status  string
	}{
		{"full", xroad(), "https://hub.example.eu/en/solutions/x-road", "https://github.com/nordic-institute/X-Road", "completed"},
		{"homepage only", func() *catalogue.Entry { e := xroad(); e.Releases = nil; e.Status = "under-development"; return e }(),
			"https://hub.example.eu/en/solutions/x-road", "https://x-road.global", "under-development"},
		{"bare", bare, "https://hub.example.eu/en/solutions/bare", "https://hub.example.eu/en/solutions/bare", "deprecated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Write(tc.entry, tc.pageURL)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse(data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if res.Rejected {
				t.Fatalf("rejected: %v\n%s", res.Problems, data)
			}
			for _, p := range res.Problems {
				if p.Severity == SeverityError {
					t.Errorf("error: %v", p)
				}
			}
			in := res.Input
			if want := slugify(tc.entry.TitleIn("en")); in.Slug != want {
				t.Errorf("slug = %q, want %q", in.Slug, want)
			}
			if in.Licence != tc.entry.Licence || in.Status != tc.status {
				t.Errorf("licence, status = %q, %q; want %q, %q", in.Licence, in.Status, tc.entry.Licence, tc.status)
			}
			if len(in.Releases) != 1 || len(in.Releases[0].Distributions) != 1 || in.Releases[0].Distributions[0].URL != tc.url {
				t.Errorf("releases = %+v, want url %s", in.Releases, tc.url)
			}
			if len(in.Translations) != len(tc.entry.Translations) {
				t.Fatalf("%d translations, want %d", len(in.Translations), len(tc.entry.Translations))
			}
			for i, want := range tc.entry.Translations {
				got := in.Translations[i]
				if got.Lang != want.Lang || got.Title != want.Title {
					t.Errorf("translation %d = %s %q, want %s %q", i, got.Lang, got.Title, want.Lang, want.Title)
				}
				if want.Summary != "" && got.Summary != want.Summary {
					t.Errorf("%s summary = %q, want %q", want.Lang, got.Summary, want.Summary)
				}
				if !strings.Contains(got.Body, want.Body) {
					t.Errorf("%s body = %q, does not hold %q", want.Lang, got.Body, want.Body)
				}
			}
		})
	}
}

func TestWriteFull(t *testing.T) {
	e := xroad()
	data, err := Write(e, "https://hub.example.eu/en/solutions/x-road")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "write", "x-road.yml")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(want) {
		t.Errorf("Write differs from %s:\n%s", golden, data)
	}
	res, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Errorf("problems reading Write's output: %v", res.Problems)
	}
	in := res.Input
	if in.Owner != "nordic-institute-for-interoperability-solutions" || len(in.Reuses) != 2 || len(in.Contacts) != 1 {
		t.Errorf("owner %q, reuses %v, contacts %v", in.Owner, in.Reuses, in.Contacts)
	}
	if got := strings.Join(in.Concepts[catalogue.SchemeCountry], ","); got != "EE,FI" {
		t.Errorf("countries = %s", got)
	}
	if got := strings.Join(in.Keywords["en"], ","); got != "data-exchange,interoperability" {
		t.Errorf("keywords = %s", got)
	}
	if in.Releases[0].Version != "7.4.0" || in.UpdatedAt.Format(time.DateOnly) != "2024-03-01" {
		t.Errorf("release = %+v", in.Releases[0])
	}
}

func TestWriteErrors(t *testing.T) {
	for _, e := range []*catalogue.Entry{nil, {Slug: "empty"}} {
		if _, err := Write(e, "https://hub.example.eu/x"); err == nil {
			t.Errorf("Write(%v) gave no error", e)
		}
	}
}

func TestCut(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("word ", 40), strings.TrimSpace(strings.Repeat("word ", 29)) + "…"},
		{strings.Repeat("é", 200), strings.Repeat("é", 149) + "…"},
	}
	for _, tc := range tests {
		got := cut(tc.in, 150)
		if got != tc.want {
			t.Errorf("cut(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if n := len([]rune(got)); n > 150 {
			t.Errorf("cut gave %d characters", n)
		}
	}
}
