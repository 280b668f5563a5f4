package search

import (
	"strconv"
	"strings"

	"interophub/catalogue"
)

// docID is an entry's document id in the index.
func docID(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// entryID is the inverse of docID.
func entryID(doc string) (uint, bool) {
	n, err := strconv.ParseUint(doc, 10, 64)
	return uint(n), err == nil && n > 0
}

var indexed = func() map[string]bool {
	m := make(map[string]bool, len(Languages))
	for _, l := range Languages {
		m[l] = true
	}
	return m
}()

// Lessons gives the text of courses' lessons, indexed with their course's
// entry so that a search finds a lesson and can name it.
type Lessons interface {
	// LessonTexts is a course's lesson texts by language, in lesson
	// order, "" where a lesson lacks the language; nil for no course.
	LessonTexts(slug string) map[string][]string
	// Fingerprint changes whenever any lesson text does.
	Fingerprint() string
}

// document is what the index stores for an entry; lessons may be nil.
func document(e *catalogue.Entry, lessons Lessons) map[string]any {
	title, summary, body, keywords := map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}
	terms := []string{compact(e.Slug), strings.ReplaceAll(e.Slug, "-", " ")}
	for _, t := range e.Translations {
		if !indexed[t.Lang] {
			continue
		}
		title[t.Lang] = t.Title
		summary[t.Lang] = t.Summary
		var parts []string
		for _, p := range []string{t.Body, t.Problem, t.Solution, t.Results, t.Lessons} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			body[t.Lang] = strings.Join(parts, "\n\n")
		}
		terms = append(terms, t.Title, compact(t.Title))
	}
	byLang := map[string][]string{}
	for _, k := range e.Keywords {
		if indexed[k.Lang] {
			byLang[k.Lang] = append(byLang[k.Lang], k.Value)
			terms = append(terms, k.Value)
		}
	}
	for lang, values := range byLang {
		keywords[lang] = values
	}
	doc := map[string]any{
		fieldTitle: title, fieldSummary: summary, fieldBody: body, fieldKeywords: keywords,
		fieldTerms:     terms,
		"kind":         string(e.Kind),
		fieldSortTitle: catalogue.Fold(e.TitleIn("en")),
		fieldCreated:   e.CreatedAt,
		fieldUpdated:   e.UpdatedAt,
	}
	if e.Kind == catalogue.KindCourse && lessons != nil {
		byLang := map[string]any{}
		for lang, texts := range lessons.LessonTexts(e.Slug) {
			if indexed[lang] {
				byLang[lang] = texts
			}
		}
		doc[fieldLessons] = byLang
	}
	for _, c := range e.Concepts {
		name := string(c.Scheme)
		list, _ := doc[name].([]string)
		doc[name] = append(list, c.Code)
	}
	if e.Licence != "" {
		doc["licence"] = e.Licence
	}
	if e.Status != "" {
		doc["status"] = e.Status
	}
	if e.Owner != nil {
		doc["org"] = e.Owner.Slug
	}
	return doc
}

// compact joins a name's letters and digits: "X-Road" -> "xroad", so that
// a name typed without its punctuation still matches.
func compact(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || r > 0x7f && !isSpaceOrPunct(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isSpaceOrPunct(r rune) bool {
	return strings.ContainsRune(" \t\n-–—.,;:!?()[]{}'\"“”‘’«»/\\", r)
}
