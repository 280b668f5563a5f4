package catalogue

import (
	"net/url"
	"strings"
	"unicode"
)

// SavedSearchFilters are the filters a saved search may hold: the search
// page's facet names.
var SavedSearchFilters = []string{"kind", "layer", "theme", "country", "language", "licence", "status", "org", "principle"}

// MatchesSavedSearch reports whether entry e (loaded with its owner,
// concepts, translations and keywords) is found by a saved search, given as
// the search page's query string ("q=identity&country=EE&kind=solution").
//
// It is an approximation of the search engine's matching, good enough to
// decide whom to tell about a change without asking the index: every filter
// must match (a filter given several times matches any of its values), and
// every word of q must begin a word of the entry's slug or of one of its
// titles, summaries, keywords or texts in any language, ignoring case and
// accents; a "quoted phrase" must appear as consecutive words. There is no
// stemming, no synonyms and no typo tolerance, so it can miss an entry the
// search page would show ("identities" for "identity"), never the reverse
// for the filters. A query string that does not parse matches nothing.
func MatchesSavedSearch(e *Entry, query string) bool {
	values, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil || e == nil {
		return false
	}
	for _, name := range SavedSearchFilters {
		want := nonEmpty(values[name])
		if len(want) > 0 && !anyEqualFold(want, entryFacet(e, name)) {
			return false
		}
	}
	terms := queryTerms(strings.Join(values["q"], " "))
	if len(terms) == 0 {
		return true
	}
	fields := entryTextFields(e)
	for _, term := range terms {
		found := false
		for _, f := range fields {
			if containsPhrase(f, term) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// entryFacet is the entry's values for one search facet.
func entryFacet(e *Entry, name string) []string {
	switch name {
	case "kind":
		return []string{string(e.Kind)}
	case "licence":
		return []string{e.Licence}
	case "status":
		return []string{e.Status}
	case "org":
		if e.Owner == nil {
			return nil
		}
		return []string{e.Owner.Slug}
	default:
		var out []string
		for _, c := range e.ConceptsOf(Scheme(name)) {
			out = append(out, c.Code)
		}
		return out
	}
}

// entryTextFields are the entry's searchable texts, each folded and split
// into words.
func entryTextFields(e *Entry) [][]string {
	out := [][]string{searchWords(strings.ReplaceAll(e.Slug, "-", " "))}
	for _, t := range e.Translations {
		for _, s := range []string{t.Title, t.Summary, t.Body, t.Problem, t.Solution, t.Results, t.Lessons} {
			if s != "" {
				out = append(out, searchWords(s))
			}
		}
	}
	for _, k := range e.Keywords {
		out = append(out, searchWords(k.Value))
	}
	return out
}

// queryTerms splits search text into terms: each term is one word, or the
// words of a "quoted phrase".
func queryTerms(text string) [][]string {
	var out [][]string
	for i, part := range strings.Split(text, `"`) {
		words := searchWords(part)
		if len(words) == 0 {
			continue
		}
		if i%2 == 1 { // inside quotes
			out = append(out, words)
			continue
		}
		for _, w := range words {
			out = append(out, []string{w})
		}
	}
	return out
}

// containsPhrase reports whether phrase occurs in words as consecutive
// words, the last one as a prefix ("identi" finds "identity").
func containsPhrase(words, phrase []string) bool {
	last := len(phrase) - 1
	for i := 0; i+last < len(words); i++ {
		ok := true
		for j, p := range phrase {
			w := words[i+j]
			if j == last && !strings.HasPrefix(w, p) || j < last && w != p {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// searchWords folds s (lower case, no accents) and splits it into words of
// letters and digits.
func searchWords(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

func nonEmpty(list []string) []string {
	var out []string
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func anyEqualFold(want, have []string) bool {
	for _, w := range want {
		for _, h := range have {
			if h != "" && strings.EqualFold(w, h) {
				return true
			}
		}
	}
	return false
}
