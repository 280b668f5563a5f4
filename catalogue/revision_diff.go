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

// DiffInputs compares two versions of an entry line by line, on their
// readable text (RenderInput): what a moderator reads before deciding.
func DiffInputs(a, b EntryInput) []DiffLine {
	textA, textB := joinLines(RenderInput(a)), joinLines(RenderInput(b))
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

// schemeHeadings names the vocabularies in RenderInput.
var schemeHeadings = []struct {
	scheme  Scheme
	heading string
}{
	{SchemeLayer, "Layers"}, {SchemePrinciple, "Principles"}, {SchemeTheme, "Themes"},
	{SchemeCountry, "Countries"}, {SchemeLanguage, "Languages"},
}

// RenderInput writes an entry's content as readable lines, one field (or
// one line of a Markdown text) per line, in a fixed order, leaving out
// empty fields: vocabularies by code ("Layers: IL3, IL5"), translations per
// language ("Title (en): ..."), Markdown texts line by line under their
// heading ("Body (en):"), then releases, contacts, reuses.
func RenderInput(in EntryInput) []string {
	var out []string
	add := func(label, value string) {
		if value = oneLine(value); value != "" {
			out = append(out, label+": "+value)
		}
	}
	add("Kind", string(in.Kind))
	add("Slug", in.Slug)
	add("Owner", in.Owner)
	if in.Featured {
		add("Featured", "yes")
	}
	add("Homepage", in.Homepage)
	add("Licence", in.Licence)
	add("Status", in.Status)
	if in.LastReviewedAt != nil {
		add("Last reviewed", in.LastReviewedAt.Format("2006-01-02"))
	}
	for _, h := range schemeHeadings {
		codes := slices.Clone(in.Concepts[h.scheme])
		slices.SortFunc(codes, func(a, b string) int {
			switch {
			case codeLess(a, b):
				return -1
			case codeLess(b, a):
				return 1
			}
			return 0
		})
		add(h.heading, strings.Join(codes, ", "))
	}
	for _, lang := range slices.Sorted(maps.Keys(in.Keywords)) {
		add("Keywords ("+lang+")", strings.Join(in.Keywords[lang], ", "))
	}
	add("Related", strings.Join(in.Related, ", "))

	translations := slices.Clone(in.Translations)
	slices.SortStableFunc(translations, func(a, b Translation) int { return strings.Compare(a.Lang, b.Lang) })
	for _, t := range translations {
		add("Title ("+t.Lang+")", t.Title)
		add("Summary ("+t.Lang+")", t.Summary)
		for _, f := range []struct{ label, text string }{
			{"Body", t.Body}, {"Problem", t.Problem}, {"Solution", t.Solution},
			{"Results", t.Results}, {"Lessons", t.Lessons},
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
		add("Practice country", p.Country)
		add("Practice level", p.Level)
		add("Practice sector", p.Sector)
		if p.Year != 0 {
			add("Practice year", strconv.Itoa(p.Year))
		}
	}
	for _, r := range in.Releases {
		label := "Release " + oneLine(r.Version)
		if r.Date != nil {
			label += " (" + r.Date.Format("2006-01-02") + ")"
		}
		if notes := oneLine(r.Notes); notes != "" {
			label += ": " + notes
		}
		out = append(out, label)
		for _, d := range r.Distributions {
			line := "  Distribution: " + oneLine(d.Title) + " <" + oneLine(d.URL) + ">"
			if extra := joinNonEmpty(", ", d.MediaType, d.Licence); extra != "" {
				line += " (" + extra + ")"
			}
			out = append(out, line)
		}
	}
	for _, c := range in.Contacts {
		add("Contact", joinNonEmpty(", ", c.Name, c.Email, c.URL))
	}
	for _, r := range in.Reuses {
		line := r.Organisation
		if r.Since != 0 {
			line += fmt.Sprintf(" (since %d)", r.Since)
		}
		if note := oneLine(r.Note); note != "" {
			line += ": " + note
		}
		add("Reused by", line)
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
