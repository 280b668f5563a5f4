package search

import (
	"html"
	"html/template"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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

// Snippet is the part of a long text around the first word a hit matched,
// about width bytes, cut at word boundaries and highlighted like
// Highlight; the text's start when no word matched. lang is the language
// of text.
func Snippet(text, lang string, terms map[string]bool, width int) template.HTML {
	if len(text) <= width {
		return Highlight(text, lang, terms)
	}
	if !indexed[lang] {
		lang = "en"
	}
	plain, stem := analyzer(plainAnalyzer), analyzer(analyzerFor(lang))
	// The passage is the window holding the most different matched words
	// (the first such window on a tie).
	type match struct {
		at   int
		word string
	}
	var found []match
	for _, tok := range plain.Analyze([]byte(text)) {
		if tok.End <= len(text) && matches(tok, text, terms, stem) {
			found = append(found, match{tok.Start, string(tok.Term)})
		}
	}
	at, best := 0, 0
	for i, m := range found {
		words := map[string]bool{}
		for _, n := range found[i:] {
			if n.at-m.at > width*2/3 {
				break
			}
			words[n.word] = true
		}
		if len(words) > best {
			at, best = m.at, len(words)
		}
	}
	start := max(0, at-width/3)
	end := min(len(text), start+width)
	// Widen to whole words.
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		if unicode.IsSpace(r) {
			break
		}
		start -= n
	}
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if unicode.IsSpace(r) {
			break
		}
		end += n
	}
	out := strings.Join(strings.Fields(text[start:end]), " ")
	if start > 0 {
		out = "… " + out
	}
	if end < len(text) {
		out += " …"
	}
	return Highlight(out, lang, terms)
}
