package catalogue_test

import (
	"testing"

	"interophub/catalogue"
)

func savedSearchEntry() *catalogue.Entry {
	return &catalogue.Entry{
		Kind: catalogue.KindSolution, Slug: "x-road", Licence: "MIT", Status: "completed",
		Owner: &catalogue.Organisation{Slug: "ria"},
		Concepts: []catalogue.Concept{
			{Scheme: catalogue.SchemeLayer, Code: "IL5"}, {Scheme: catalogue.SchemeLayer, Code: "IL6"},
			{Scheme: catalogue.SchemeTheme, Code: "egovernment"},
			{Scheme: catalogue.SchemeCountry, Code: "EE"}, {Scheme: catalogue.SchemeCountry, Code: "FI"},
			{Scheme: catalogue.SchemeLanguage, Code: "et"},
		},
		Translations: []catalogue.Translation{
			{Lang: "en", Title: "Data Exchange Layer", Summary: "Moves data between registries.", Body: "Runs on **security servers**."},
			{Lang: "vi", Title: "Nền tảng trao đổi dữ liệu", Summary: "Định danh điện tử."},
			{Lang: "de", Title: "Datenaustausch", Problem: "Straße und Maß."},
		},
		Keywords: []catalogue.Keyword{{Lang: "en", Value: "interoperability"}, {Lang: "fr", Value: "identité numérique"}},
	}
}

func TestMatchesSavedSearch(t *testing.T) {
	e := savedSearchEntry()
	tests := []struct {
		query string
		want  bool
	}{
		{"", true},
		{"kind=solution", true},
		{"kind=standard", false},
		{"kind=standard&kind=solution", true}, // a repeated facet is OR
		{"layer=IL6&country=EE", true},
		{"layer=IL6&country=PT", false}, // different facets are AND
		{"country=pt&country=ee", true}, // codes ignore case
		{"theme=egovernment&language=et&licence=MIT&status=completed&org=ria", true},
		{"org=dvv", false},
		{"licence=EUPL-1.2", false},
		{"status=deprecated", false},
		{"principle=UP4", false}, // the entry has no principle
		{"colour=red", true},     // not a filter: ignored, as on the search page
		{"q=exchange", true},
		{"q=EXCHANGE+layer", true},
		{"q=exchange+blockchain", false}, // every word must occur
		{"q=registries", true},           // summary
		{"q=security", true},             // body
		{"q=strasse", true},              // ß folds to ss, in a section
		{"q=interoperability", true},     // keyword
		{"q=identite+numerique", true},   // accents ignored, keyword in another language
		{"q=dinh+danh+dien+tu", true},    // Vietnamese, đ and tones folded
		{"q=Định+danh", true},
		{"q=xroad", false},           // no compaction of names (the index has it): a miss
		{"q=x-road", true},           // slug words
		{"q=regis", true},            // a word's beginning
		{"q=gistries", false},        // not its middle
		{`q="data exchange"`, true},  // phrase
		{`q="exchange data"`, false}, // phrase in the wrong order
		{`q="trao đổi" layer`, true},
		{"q=exchange&kind=standard", false},
		{"q=exchange&kind=solution&country=FI", true},
		{"q=%zz", false}, // does not parse
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := catalogue.MatchesSavedSearch(e, tt.query); got != tt.want {
				t.Errorf("MatchesSavedSearch(%q) = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
	if catalogue.MatchesSavedSearch(&catalogue.Entry{Kind: catalogue.KindSolution}, "org=ria") {
		t.Error("an entry without a loaded owner matched an org filter")
	}
}

func TestNormaliseSavedSearch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"q=identity&country=EE&kind=solution", "country=EE&kind=solution&q=identity"},
		{"?kind=solution&q=identity&country=EE", "country=EE&kind=solution&q=identity"},
		{"q=+identity+&page=3&sort=title&country=&colour=red", "q=identity"},
		{"country=EE&country=EE&country=FI", "country=EE&country=FI"},
		{"page=2", ""},
	}
	for _, tt := range tests {
		got, err := catalogue.NormaliseSavedSearch(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormaliseSavedSearch(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := catalogue.NormaliseSavedSearch("q=%zz"); err == nil {
		t.Error("a malformed query string was accepted")
	}
}
