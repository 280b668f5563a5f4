package search

import (
	"html"
	"html/template"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
)

var analyzers struct {
	once sync.Once
	m    *mapping.IndexMappingImpl
}

// analyzer returns one of the index's analyzers by name.
func analyzer(name string) analysis.Analyzer {
	analyzers.once.Do(func() {
		m, err := buildMapping()
		if err != nil {
			panic(err) // the mapping is static: a failure is a programming error
		}
		analyzers.m = m
	})
	return analyzers.m.AnalyzerNamed(name)
}

// Highlight returns text as HTML with the words that matched a hit wrapped
// in <mark>. Everything else is escaped: the result is safe whatever text
// holds. lang is the language of text.
func Highlight(text, lang string, terms map[string]bool) template.HTML {
	if len(terms) == 0 || text == "" {
		return template.HTML(html.EscapeString(text))
	}
	if !indexed[lang] {
		lang = "en"
	}
	plain, stem := analyzer(plainAnalyzer), analyzer(analyzerFor(lang))
	var b strings.Builder
	last := 0
	for _, tok := range plain.Analyze([]byte(text)) {
		if tok.Start < last || tok.End > len(text) {
			continue
		}
		if !matches(tok, text, terms, stem) {
			continue
		}
		b.WriteString(html.EscapeString(text[last:tok.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[tok.Start:tok.End]))
		b.WriteString("</mark>")
		last = tok.End
	}
	b.WriteString(html.EscapeString(text[last:]))
	return template.HTML(b.String())
}

// matches reports whether a word of the shown text is one the hit matched:
// as folded (typos, prefixes, other languages) or as stemmed in its language.
func matches(tok *analysis.Token, text string, terms map[string]bool, stem analysis.Analyzer) bool {
	if len(tok.Term) < 3 {
		return false // "of", "la", "và": too common to be worth marking
	}
	if terms[string(tok.Term)] {
		return true
	}
	for _, s := range stem.Analyze([]byte(text[tok.Start:tok.End])) {
		if terms[string(s.Term)] {
			return true
		}
	}
	return false
}
