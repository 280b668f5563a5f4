package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"

	"interophub/catalogue"
)

// corpus generates a realistic catalogue of any size for the bench: its
// words are the demo catalogue's own, per language, drawn with their real
// frequencies; vocabulary codes and owners follow skewed distributions like
// a real catalogue's (a few layers, countries and organisations dominate).
type corpus struct {
	seed   uint64
	titles map[string][]string // language -> title words, with repetition
	texts  map[string][]string // language -> summary and body words
	orgs   []string
	themes []string
}

// corpusLangs are the languages generated entries have text in; English
// always, the others with decreasing probability.
var corpusLangs = []struct {
	lang   string
	full   float64 // probability of a full text (title, summary, body)
	titled float64 // probability of at least title and summary
}{
	{"en", 1, 1}, {"vi", 0.5, 0.8}, {"fr", 0.1, 0.4}, {"de", 0.1, 0.4},
	{"es", 0.05, 0.3}, {"it", 0.05, 0.3}, {"pt", 0.05, 0.3},
}

func newCorpus(demo *catalogue.Demo, seed uint64) *corpus {
	c := &corpus{seed: seed, titles: map[string][]string{}, texts: map[string][]string{}}
	themes := map[string]bool{}
	for _, e := range demo.Entries {
		for _, t := range e.Translations {
			c.titles[t.Lang] = append(c.titles[t.Lang], words(t.Title)...)
			for _, s := range []string{t.Summary, t.Body, t.Problem, t.Solution, t.Results, t.Lessons} {
				c.texts[t.Lang] = append(c.texts[t.Lang], words(s)...)
			}
		}
		for _, th := range e.Concepts[catalogue.SchemeTheme] {
			themes[th] = true
		}
	}
	for th := range themes {
		c.themes = append(c.themes, th)
	}
	slices.Sort(c.themes)
	for _, o := range demo.Organisations {
		c.orgs = append(c.orgs, o.Slug)
	}
	for i := range 300 {
		c.orgs = append(c.orgs, fmt.Sprintf("bench-agency-%03d", i))
	}
	return c
}

// words splits text into words of letters, dropping Markdown and numbers.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
}

// organisations are the bench's extra owners (the demo's are loaded too).
func (c *corpus) organisations() []catalogue.Organisation {
	var out []catalogue.Organisation
	countries := []string{"EE", "PT", "FI", "DE", "FR", "ES", "IT", "NL", "BE", "AT", "PL", "SE", "DK"}
	for i, slug := range c.orgs {
		if !strings.HasPrefix(slug, "bench-") {
			continue
		}
		out = append(out, catalogue.Organisation{
			Slug: slug, Name: fmt.Sprintf("Public Agency %03d", i), Type: "national-authority",
			Country: countries[i%len(countries)],
			Translations: []catalogue.OrganisationTranslation{
				{Lang: "en", Description: "A public agency generated for the bench."},
				{Lang: "vi", Description: "Một cơ quan nhà nước được tạo cho phép đo hiệu năng."},
			},
		})
	}
	return out
}

// zipf picks an index in [0, n) with probability falling like 1/(i+1).
func zipf(r *rand.Rand, n int) int {
	for {
		i := int(float64(n) * r.Float64() * r.Float64())
		if i < n {
			return i
		}
	}
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func (c *corpus) phrase(r *rand.Rand, bag []string, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = pick(r, bag)
	}
	return strings.Join(ws, " ")
}

func (c *corpus) sentences(r *rand.Rand, bag []string, n int) string {
	var b strings.Builder
	for n > 0 {
		k := min(n, 8+r.IntN(12))
		s := c.phrase(r, bag, k)
		b.WriteString(strings.ToUpper(s[:1]) + s[1:] + ". ")
		n -= k
	}
	return strings.TrimSpace(b.String())
}

var (
	benchKinds     = []catalogue.Kind{catalogue.KindSolution, catalogue.KindSolution, catalogue.KindSolution, catalogue.KindPractice, catalogue.KindPractice, catalogue.KindPractice, catalogue.KindStandard, catalogue.KindStandard, catalogue.KindCourse}
	benchLayers    = []string{"IL6", "IL4", "IL5", "IL3", "IL2", "IL1"}
	benchCountries = []string{"EE", "PT", "EU", "FI", "DE", "FR", "ES", "IT", "NL", "BE", "AT", "DK", "SE", "PL", "GB", "NO", "IE", "CZ", "SK", "SI", "HR", "LT", "LV", "GR", "RO", "BG", "HU", "LU", "MT", "CY", "VN"}
	benchLanguages = []string{"en", "fr", "de", "es", "it", "pt", "et", "fi", "nl", "sv", "pl", "vi", "da", "cs"}
	benchLicences  = []string{"EUPL-1.2", "MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0-only", "LGPL-2.1-only", "MPL-2.0", "BSD-3-Clause", "EUPL-1.1", "CC-BY-4.0"}
	benchStatuses  = []string{"completed", "completed", "completed", "completed", "under-development", "under-development", "deprecated", "withdrawn"}
)

// entry generates entry i; the same seed and i always give the same entry.
func (c *corpus) entry(i int) catalogue.EntryInput {
	r := rand.New(rand.NewPCG(c.seed, uint64(i)))
	kind := benchKinds[r.IntN(len(benchKinds))]
	created := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(11*365*24)) * time.Hour)
	in := catalogue.EntryInput{
		Kind: kind, Slug: fmt.Sprintf("bench-%s-%06d", kind, i), State: catalogue.StatePublished,
		Owner: c.orgs[zipf(r, len(c.orgs))], Status: benchStatuses[r.IntN(len(benchStatuses))],
		CreatedAt: created, UpdatedAt: created.Add(time.Duration(r.IntN(500*24)) * time.Hour),
		Concepts: map[catalogue.Scheme][]string{}, Keywords: map[string][]string{},
	}
	set := func(scheme catalogue.Scheme, list []string, n int, skew bool) {
		seen := map[string]bool{}
		for range n {
			v := list[r.IntN(len(list))]
			if skew {
				v = list[zipf(r, len(list))]
			}
			if !seen[v] {
				seen[v] = true
				in.Concepts[scheme] = append(in.Concepts[scheme], v)
			}
		}
	}
	set(catalogue.SchemeLayer, benchLayers, 1+r.IntN(3), true)
	set(catalogue.SchemePrinciple, []string{"UP1", "UP2", "UP3", "UP4", "UP5", "UP6", "UP7", "UP8", "UP9", "UP10", "UP11", "UP12"}, 2+r.IntN(3), false)
	set(catalogue.SchemeTheme, c.themes, 1+r.IntN(2), true)
	set(catalogue.SchemeCountry, benchCountries, 1+r.IntN(2), true)
	set(catalogue.SchemeLanguage, benchLanguages, 1+r.IntN(3), true)
	if kind == catalogue.KindSolution && r.Float64() < 0.8 || kind == catalogue.KindStandard && r.Float64() < 0.3 {
		in.Licence = benchLicences[zipf(r, len(benchLicences))]
	}
	if kind == catalogue.KindPractice {
		in.Practice = &catalogue.Practice{Country: in.Concepts[catalogue.SchemeCountry][0], Level: "national", Sector: in.Concepts[catalogue.SchemeTheme][0], Year: 2000 + r.IntN(26)}
	}
	for _, l := range corpusLangs {
		p := r.Float64()
		if p >= l.titled || len(c.titles[l.lang]) == 0 {
			continue
		}
		title := c.phrase(r, c.titles[l.lang], 3+r.IntN(4))
		t := catalogue.Translation{Lang: l.lang, Title: strings.ToUpper(title[:1]) + title[1:], Summary: c.sentences(r, c.texts[l.lang], 20+r.IntN(20))}
		if p < l.full && len(c.texts[l.lang]) > 0 {
			t.Body = c.sentences(r, c.texts[l.lang], 150+r.IntN(200))
		}
		in.Translations = append(in.Translations, t)
		if l.lang == "en" || l.lang == "vi" {
			for range 3 + r.IntN(3) {
				in.Keywords[l.lang] = append(in.Keywords[l.lang], c.phrase(r, c.titles[l.lang], 1+r.IntN(2)))
			}
		}
	}
	return in
}
