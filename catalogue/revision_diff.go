package catalogue

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffLine is one line of a comparison between two versions of an entry.
type DiffLine struct {
	Op   string // "same", "added" or "removed"
	Text string
}

// Diff operations.
const (
	DiffSame    = "same"
	DiffAdded   = "added"
	DiffRemoved = "removed"
)

// Labeler names a field of RenderInput's text in the reader's language,
// by key: "kind", "slug", "owner", "featured", "homepage", "licence",
// "status", "reviewed", the schemes ("layer", "principle", "theme",
// "country", "language"), "keywords", "related", the text fields ("title",
// "summary", "body", "problem", "solution", "results", "lessons"),
// "practice.country", "practice.level", "practice.sector", "practice.year",
// "release", "distribution", "contact", "reuse", and "since" (a year).
// Nil is English.
type Labeler func(key string, args ...any) string

// englishLabels are the labels of a nil Labeler.
var englishLabels = map[string]string{
	"kind": "Kind", "slug": "Slug", "owner": "Owner", "featured": "Featured", "homepage": "Homepage",
	"licence": "Licence", "status": "Status", "reviewed": "Last reviewed",
	"layer": "Layers", "principle": "Principles", "theme": "Themes", "country": "Countries", "language": "Languages",
	"keywords": "Keywords", "related": "Related", "title": "Title", "summary": "Summary", "body": "Body",
	"problem": "Problem", "solution": "Solution", "results": "Results", "lessons": "Lessons",
	"practice.country": "Practice country", "practice.level": "Practice level", "practice.sector": "Practice sector",
	"practice.year": "Practice year", "release": "Release", "distribution": "Distribution", "contact": "Contact",
	"reuse": "Reused by", "since": "since %d",
}

func (l Labeler) label(key string, args ...any) string {
	if l != nil {
		return l(key, args...)
	}
	if len(args) > 0 {
		return fmt.Sprintf(englishLabels[key], args...)
	}
	return englishLabels[key]
}

// DiffInputs compares two versions of an entry line by line, on their
// readable text (RenderInput) with labels from label (nil: English): what
// a moderator reads before deciding.
func DiffInputs(a, b EntryInput, label Labeler) []DiffLine {
	textA, textB := joinLines(RenderInput(a, label)), joinLines(RenderInput(b, label))
	dmp := diffmatchpatch.New()
	charsA, charsB, lines := dmp.DiffLinesToChars(textA, textB)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(charsA, charsB, false), lines)
	var out []DiffLine
	for _, d := range diffs {
		op := DiffSame
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = DiffAdded
		case diffmatchpatch.DiffDelete:
			op = DiffRemoved
		}
		for _, line := range strings.SplitAfter(d.Text, "\n") {
			if line != "" {
				out = append(out, DiffLine{Op: op, Text: strings.TrimSuffix(line, "\n")})
			}
		}
	}
	return out
}

func joinLines(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// schemeHeadings are the vocabularies in RenderInput's order.
var schemeHeadings = []Scheme{SchemeLayer, SchemePrinciple, SchemeTheme, SchemeCountry, SchemeLanguage}

// RenderInput writes an entry's content as readable lines, one field (or
// one line of a Markdown text) per line, in a fixed order, leaving out
// empty fields: vocabularies by code ("Layers: IL3, IL5"), translations per
// language ("Title (en): ..."), Markdown texts line by line under their
// heading ("Body (en):"), then releases, contacts, reuses.
func RenderInput(in EntryInput, l Labeler) []string {
	var out []string
	add := func(label, value string) {
		if value = oneLine(value); value != "" {
			out = append(out, label+": "+value)
		}
	}
	add(l.label("kind"), string(in.Kind))
	add(l.label("slug"), in.Slug)
	add(l.label("owner"), in.Owner)
	if in.Featured {
		add(l.label("featured"), "✓")
	}
	add(l.label("homepage"), in.Homepage)
	add(l.label("licence"), in.Licence)
	add(l.label("status"), in.Status)
	if in.LastReviewedAt != nil {
		add(l.label("reviewed"), in.LastReviewedAt.Format("2006-01-02"))
	}
	for _, scheme := range schemeHeadings {
		codes := slices.Clone(in.Concepts[scheme])
		slices.SortFunc(codes, func(a, b string) int {
			switch {
			case codeLess(a, b):
				return -1
			case codeLess(b, a):
				return 1
			}
			return 0
		})
		add(l.label(string(scheme)), strings.Join(codes, ", "))
	}
	for _, lang := range slices.Sorted(maps.Keys(in.Keywords)) {
		add(l.label("keywords")+" ("+lang+")", strings.Join(in.Keywords[lang], ", "))
	}
	add(l.label("related"), strings.Join(in.Related, ", "))

	translations := slices.Clone(in.Translations)
	slices.SortStableFunc(translations, func(a, b Translation) int { return strings.Compare(a.Lang, b.Lang) })
	for _, t := range translations {
		add(l.label("title")+" ("+t.Lang+")", t.Title)
		add(l.label("summary")+" ("+t.Lang+")", t.Summary)
		for _, f := range []struct{ label, text string }{
			{l.label("body"), t.Body}, {l.label("problem"), t.Problem}, {l.label("solution"), t.Solution},
			{l.label("results"), t.Results}, {l.label("lessons"), t.Lessons},
		} {
			text := strings.TrimSpace(strings.ReplaceAll(f.text, "\r\n", "\n"))
			if text == "" {
				continue
			}
			out = append(out, f.label+" ("+t.Lang+"):")
			for _, line := range strings.Split(text, "\n") {
				out = append(out, strings.TrimRight("  "+line, " \t"))
			}
		}
	}

	if p := in.Practice; p != nil {
		add(l.label("practice.country"), p.Country)
		add(l.label("practice.level"), p.Level)
		add(l.label("practice.sector"), p.Sector)
		if p.Year != 0 {
			add(l.label("practice.year"), strconv.Itoa(p.Year))
		}
	}
	for _, r := range in.Releases {
		label := l.label("release") + " " + oneLine(r.Version)
		if r.Date != nil {
			label += " (" + r.Date.Format("2006-01-02") + ")"
		}
		if notes := oneLine(r.Notes); notes != "" {
			label += ": " + notes
		}
		out = append(out, label)
		for _, d := range r.Distributions {
			line := "  " + l.label("distribution") + ": " + oneLine(d.Title) + " <" + oneLine(d.URL) + ">"
			if extra := joinNonEmpty(", ", d.MediaType, d.Licence); extra != "" {
				line += " (" + extra + ")"
			}
			out = append(out, line)
		}
	}
	for _, c := range in.Contacts {
		add(l.label("contact"), joinNonEmpty(", ", c.Name, c.Email, c.URL))
	}
	for _, r := range in.Reuses {
		line := r.Organisation
		if r.Since != 0 {
			line += " (" + l.label("since", r.Since) + ")"
		}
		if note := oneLine(r.Note); note != "" {
			line += ": " + note
		}
		add(l.label("reuse"), line)
	}
	return out
}

// oneLine folds a text's lines and runs of spaces into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = oneLine(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
