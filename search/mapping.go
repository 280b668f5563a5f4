package search

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	// Bleve's analyzers for the languages it knows; they register themselves.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/bg"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cs"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/el"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ga"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
)

// MappingVersion is stored in the index; an index with another version is
// rebuilt from the database at start-up. Bump it with any mapping change.
const MappingVersion = "2"

// Languages are the languages whose text the index holds, each in its own
// fields.
var Languages = []string{
	"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
	"it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "vi",
}

// stemmed are the languages Bleve has a full analyzer (stemming, stop words)
// for; its analyzer is named after the language.
var stemmed = map[string]bool{
	"da": true, "de": true, "en": true, "es": true, "fi": true, "fr": true, "hr": true,
	"hu": true, "it": true, "nl": true, "pl": true, "pt": true, "ro": true, "sv": true,
}

// stopOnly are languages Bleve has stop words but no stemmer for.
var stopOnly = map[string]string{"bg": "stop_bg", "cs": "stop_cs", "el": "stop_el", "ga": "stop_ga"}

// Analyzer names of our own.
const (
	plainAnalyzer = "plain" // unicode words, lower-cased, diacritics folded: every language
)

// analyzerFor is the analyzer of a language's text fields: Bleve's own where
// it has one, else unicode words lower-cased (with its stop words when Bleve
// has them). Vietnamese, Estonian, Latvian, Lithuanian, Maltese, Slovak and
// Slovenian take the last road.
func analyzerFor(lang string) string {
	if stemmed[lang] {
		return lang
	}
	return "text_" + lang
}

// Field names. Text fields are "<field>.<lang>".
const (
	fieldTitle    = "title"
	fieldSummary  = "summary"
	fieldBody     = "body"
	fieldKeywords = "keywords"
	// fieldLessons holds a course's lessons, one array element per lesson
	// in lesson order: a match's array position names the lesson.
	fieldLessons = "lessons"
	// fieldTerms holds titles and keywords in every language,
	// folded: it carries typo tolerance, prefixes and accent-free typing.
	fieldTerms     = "terms"
	fieldSortTitle = "sort_title"
	fieldCreated   = "created"
	fieldUpdated   = "updated"
)

// Facets are the facet fields, in the order pages show them.
var Facets = []string{"kind", "layer", "theme", "country", "language", "licence", "status", "org", "principle"}

func buildMapping() (*mapping.IndexMappingImpl, error) {
	im := bleveMapping()
	for _, lang := range Languages {
		if stemmed[lang] {
			continue
		}
		filters := []string{lowercase.Name}
		if stop, ok := stopOnly[lang]; ok {
			filters = append(filters, stop)
		}
		err := im.AddCustomAnalyzer("text_"+lang, map[string]any{
			"type": custom.Name, "tokenizer": unicode.Name, "token_filters": filters,
		})
		if err != nil {
			return nil, err
		}
	}
	err := im.AddCustomAnalyzer(plainAnalyzer, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name, "token_filters": []string{lowercase.Name, foldName},
	})
	if err != nil {
		return nil, err
	}
	return im, nil
}

func bleveMapping() *mapping.IndexMappingImpl {
	doc := mapping.NewDocumentStaticMapping()

	text := func(analyzer string, locations bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = locations
		f.DocValues = false
		return f
	}
	for _, name := range []string{fieldTitle, fieldSummary, fieldBody, fieldKeywords, fieldLessons} {
		sub := mapping.NewDocumentStaticMapping()
		for _, lang := range Languages {
			// Term vectors (positions): phrases, highlighting and finding
			// the lesson need them.
			sub.AddFieldMappingsAt(lang, text(analyzerFor(lang), name != fieldBody))
		}
		doc.AddSubDocumentMapping(name, sub)
	}
	doc.AddFieldMappingsAt(fieldTerms, text(plainAnalyzer, true))

	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = true
		return f
	}
	for _, name := range Facets {
		doc.AddFieldMappingsAt(name, kw())
	}
	doc.AddFieldMappingsAt(fieldSortTitle, kw())
	for _, name := range []string{fieldCreated, fieldUpdated} {
		f := mapping.NewDateTimeFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = true
		doc.AddFieldMappingsAt(name, f)
	}

	im := mapping.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = plainAnalyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}
