package search

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"interophub/catalogue"
)

// Limits on what a search may ask.
const (
	MaxQueryLength   = 512 // characters
	MaxFacetValues   = 20  // values of one facet
	MaxWords         = 24  // words and phrases of one query
	DefaultPageSize  = 20
	MaxPageSize      = 50
	maxResultsWindow = 10000 // deepest result a page may reach
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortUpdated   = "updated"
	SortTitle     = "title"
)

// Sorts lists the orders, the default first.
var Sorts = []string{SortRelevance, SortNewest, SortUpdated, SortTitle}

// Bad requests. They wrap ErrBadRequest; the message is for logs, pages
// show their own translated text by error.
var (
	ErrBadRequest     = errors.New("search: bad request")
	ErrQueryTooLong   = fmt.Errorf("%w: query too long", ErrBadRequest)
	ErrTooManyValues  = fmt.Errorf("%w: too many values for a filter", ErrBadRequest)
	ErrUnknownFilter  = fmt.Errorf("%w: unknown filter", ErrBadRequest)
	ErrBadFilterValue = fmt.Errorf("%w: malformed filter value", ErrBadRequest)
	ErrPageOutOfRange = fmt.Errorf("%w: page out of range", ErrBadRequest)
	ErrUnknownSort    = fmt.Errorf("%w: unknown sort order", ErrBadRequest)
)

// Request is a search as a user asks it.
type Request struct {
	Text    string              // free text; "quoted words" are phrases
	Lang    string              // the page language, boosted
	Filters map[string][]string // facet -> values (OR within, AND across)
	Sort    string              // one of Sorts; empty = relevance
	Page    int                 // from 1; 0 = 1
	Size    int                 // 0 = DefaultPageSize
}

// Result is one page of results with facet counts.
type Result struct {
	Total      int
	Page, Size int
	Hits       []Hit
	Facets     map[string][]FacetCount // facet -> values by count
	Suggestion string                  // "did you mean", when results are few
	Took       time.Duration
}

// Pages is the number of pages of results.
func (r *Result) Pages() int { return (r.Total + r.Size - 1) / r.Size }

// Hit is a matching entry; Terms are the index terms that matched it, for
// highlighting; Lesson, for a course, the lesson that matched best.
type Hit struct {
	ID     uint
	Score  float64
	Terms  map[string]bool
	Lesson *LessonMatch
}

// LessonMatch names the lesson of a course a search matched.
type LessonMatch struct {
	Index int    // in lesson order, from 0
	Lang  string // the language of the text that matched
}

// FacetCount is one value of a facet with the number of matching entries
// (counted as if this facet had no selection).
type FacetCount struct {
	Value    string
	Count    int
	Selected bool
}

var filterValue = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._()+-]{0,63}$`)

// normalize checks r and fills its defaults.
func (r *Request) normalize() error {
	r.Text = strings.TrimSpace(r.Text)
	if utf8.RuneCountInString(r.Text) > MaxQueryLength {
		return ErrQueryTooLong
	}
	if !indexed[r.Lang] {
		r.Lang = "en"
	}
	if r.Sort == "" {
		r.Sort = SortRelevance
	}
	if !contains(Sorts, r.Sort) {
		return ErrUnknownSort
	}
	if r.Page <= 0 {
		r.Page = 1
	}
	if r.Size <= 0 {
		r.Size = DefaultPageSize
	}
	r.Size = min(r.Size, MaxPageSize)
	if (r.Page-1)*r.Size >= maxResultsWindow {
		return ErrPageOutOfRange
	}
	for name, values := range r.Filters {
		if !contains(Facets, name) {
			return fmt.Errorf("%w %q", ErrUnknownFilter, name)
		}
		if len(values) > MaxFacetValues {
			return ErrTooManyValues
		}
		for _, v := range values {
			if !filterValue.MatchString(v) {
				return fmt.Errorf("%w %q", ErrBadFilterValue, v)
			}
		}
		if len(values) == 0 {
			delete(r.Filters, name)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// facetSizes bounds how many values of each facet are counted.
var facetSizes = map[string]int{
	"kind": 4, "layer": 6, "principle": 12, "theme": 30, "country": 80,
	"language": 60, "licence": 40, "status": 4, "org": 100,
}

// Search runs a request: the page of hits, and facet counts where each
// facet's counts ignore that facet's own selection (disjunctive faceting).
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if err := r.normalize(); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrNotReady
	}
	// Exact words first (stemmed, accent-free); only when they find little
	// are typos forgiven and the last word taken as a prefix: fuzzy terms
	// are what makes a search slow, and most searches do not need them.
	text := textQuery(r.Text, r.Lang, matchExact)
	res, err := ix.run(ctx, r, text)
	if err == nil && r.Text != "" && res.Total < fewResults {
		tolerant := textQuery(r.Text, r.Lang, matchTolerant)
		if more, err2 := ix.run(ctx, r, tolerant); err2 == nil && more.Total > res.Total {
			res, text = more, tolerant
		} else if err2 != nil && !errors.Is(err2, ErrPageOutOfRange) {
			err = err2
		}
	}
	if err != nil {
		return nil, err
	}
	if err := ix.matchedTerms(ctx, text, r.Lang, res.Hits); err != nil {
		return nil, err
	}
	if r.Text != "" && res.Total < fewResults {
		res.Suggestion = ix.suggestSpelling(ctx, r.Text)
	}
	res.Took = time.Since(start)
	return res, nil
}

// fewResults is how few results make a search retry with typos forgiven,
// and propose another spelling.
const fewResults = 3

// run executes one text query with r's filters, page and sort, and the
// facet counts. The caller holds ix.mu.
func (ix *Index) run(ctx context.Context, r Request, text query.Query) (*Result, error) {
	main := bleve.NewSearchRequestOptions(withFilters(text, r.Filters, ""), r.Size, (r.Page-1)*r.Size, false)
	order := r.Sort
	if r.Text == "" && order == SortRelevance {
		order = SortUpdated // nothing to rank by: recently updated first
	}
	main.SortBy(sortOrder(order))

	res := &Result{Page: r.Page, Size: r.Size}
	cacheKey, cached := "", false
	if r.Text == "" {
		cacheKey = filterKey(r.Filters)
		res.Facets, cached = ix.cache.get(cacheKey, ix.gen.Load())
	}
	if !cached {
		res.Facets = map[string][]FacetCount{}
		for _, name := range Facets {
			if len(r.Filters[name]) == 0 {
				main.AddFacet(name, bleve.NewFacetRequest(name, facetSizes[name]))
			}
		}
	}
	// The facets of selected filters are counted beside the main search,
	// each without its own filter, so they show what widening would give.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var facetErr error
	if !cached {
		for name, selected := range r.Filters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := bleve.NewSearchRequestOptions(withFilters(text, r.Filters, name), 0, 0, false)
				req.AddFacet(name, bleve.NewFacetRequest(name, facetSizes[name]))
				fr, err := ix.idx.SearchInContext(ctx, req)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					facetErr = err
					return
				}
				res.Facets[name] = facetCounts(fr.Facets[name], selected)
			}()
		}
	}
	sr, err := ix.idx.SearchInContext(ctx, main)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if facetErr != nil {
		return nil, fmt.Errorf("search: facets: %w", facetErr)
	}
	res.Total = int(sr.Total)
	if res.Total > 0 && (r.Page-1)*r.Size >= res.Total {
		return nil, fmt.Errorf("%w: page %d of %d", ErrPageOutOfRange, r.Page, res.Pages())
	}
	for _, h := range sr.Hits {
		if id, ok := entryID(h.ID); ok {
			res.Hits = append(res.Hits, Hit{ID: id, Score: h.Score})
		}
	}
	if !cached {
		mu.Lock()
		for name, fr := range sr.Facets {
			res.Facets[name] = facetCounts(fr, nil)
		}
		mu.Unlock()
		if r.Text == "" {
			ix.cache.put(cacheKey, ix.gen.Load(), res.Facets)
		}
	}
	return res, nil
}

// matchedTerms finds which index terms each hit of a page matched, for
// highlighting: the same query again, restricted to the page's documents,
// with term locations (asking for locations on the full search would
// compute them for every match).
func (ix *Index) matchedTerms(ctx context.Context, text query.Query, lang string, hits []Hit) error {
	if len(hits) == 0 {
		return nil
	}
	if _, all := text.(*query.MatchAllQuery); all {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = docID(h.ID)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), text), len(ids), 0, false)
	req.IncludeLocations = true
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: highlights: %w", err)
	}
	byID := map[string]*bsearch.DocumentMatch{}
	for _, h := range sr.Hits {
		byID[h.ID] = h
	}
	for i := range hits {
		if h, ok := byID[docID(hits[i].ID)]; ok {
			hits[i].Terms = termsOf(h)
			hits[i].Lesson = lessonOf(h, lang)
		}
	}
	return nil
}

// facetCounts turns a Bleve facet result into counts, keeping selected
// values even when nothing matches them now.
func facetCounts(fr *bsearch.FacetResult, selected []string) []FacetCount {
	var out []FacetCount
	seen := map[string]bool{}
	if fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			out = append(out, FacetCount{Value: t.Term, Count: t.Count, Selected: contains(selected, t.Term)})
			seen[t.Term] = true
		}
	}
	for _, v := range selected {
		if !seen[v] {
			out = append(out, FacetCount{Value: v, Selected: true})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

func sortOrder(s string) []string {
	switch s {
	case SortNewest:
		return []string{"-" + fieldCreated, "_id"}
	case SortUpdated:
		return []string{"-" + fieldUpdated, "_id"}
	case SortTitle:
		return []string{fieldSortTitle, "_id"}
	default:
		// Score alone: a tie-break on a field would read that field for
		// every match, not just the page.
		return []string{"-_score"}
	}
}

// withFilters adds the facet filters to q, except the one named except.
func withFilters(q query.Query, filters map[string][]string, except string) query.Query {
	parts := []query.Query{q}
	for name, values := range filters {
		if name == except {
			continue
		}
		var or []query.Query
		for _, v := range values {
			t := bleve.NewTermQuery(v)
			t.SetField(name)
			or = append(or, t)
		}
		parts = append(parts, bleve.NewDisjunctionQuery(or...))
	}
	return allOf(parts)
}

// allOf is the conjunction of qs, or its one query.
func allOf(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// phrase matches "quoted text" in a query.
var phrase = regexp.MustCompile(`"([^"]*)"`)

// parse splits a query into phrases and words. Nothing in it is query
// syntax: quotes only group words.
func parse(text string) (phrases, words []string) {
	rest := phrase.ReplaceAllStringFunc(text, func(m string) string {
		if p := strings.TrimSpace(strings.Trim(m, `"`)); p != "" && len(phrases) < MaxWords {
			phrases = append(phrases, p)
		}
		return " "
	})
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == ',' || r == ';'
	}) {
		w = strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) && r != '-' })
		if w != "" && len(words)+len(phrases) < MaxWords {
			words = append(words, w)
		}
	}
	return phrases, words
}

// fuzziness is the edit distance a word of n letters tolerates.
func fuzziness(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	default:
		return 2
	}
}

// matchMode says how loosely words match.
type matchMode int

const (
	matchExact    matchMode = iota // words as written (stemmed, folded)
	matchTolerant                  // also with typos, the last word also as a prefix
)

// textQuery builds the query for free text: every word (or phrase) must
// match somewhere. A word matches the page language's fields (stemmed),
// English's a little less, and every language's titles and keywords
// (folded); mode adds typo tolerance (scaled to word length) and prefixes.
func textQuery(text, lang string, mode matchMode) query.Query {
	phrases, words := parse(text)
	if len(phrases) == 0 && len(words) == 0 {
		return bleve.NewMatchAllQuery()
	}
	langs := []struct {
		code  string
		boost float64
	}{{lang, 1}}
	if lang != "en" {
		langs = append(langs, struct {
			code  string
			boost float64
		}{"en", 0.6})
	}
	var all []query.Query
	for i, w := range words {
		var alts []query.Query
		for _, l := range langs {
			for _, f := range []struct {
				name  string
				boost float64
			}{{fieldTitle, 5}, {fieldKeywords, 3}, {fieldSummary, 2}, {fieldBody, 1}, {fieldLessons, 0.5}} {
				m := bleve.NewMatchQuery(w)
				m.SetField(f.name + "." + l.code)
				m.SetBoost(f.boost * l.boost)
				m.SetOperator(query.MatchQueryOperatorAnd)
				alts = append(alts, m)
			}
		}
		exact := bleve.NewMatchQuery(w)
		exact.SetField(fieldTerms)
		exact.SetBoost(1.5)
		exact.SetOperator(query.MatchQueryOperatorAnd)
		alts = append(alts, exact)
		if c := compact(w); c != "" && c != strings.ToLower(w) {
			t := bleve.NewTermQuery(catalogue.Fold(c))
			t.SetField(fieldTerms)
			t.SetBoost(1.5)
			alts = append(alts, t)
		}
		if n := fuzziness(utf8.RuneCountInString(w)); n > 0 && mode == matchTolerant {
			fz := bleve.NewMatchQuery(w)
			fz.SetField(fieldTerms)
			fz.SetFuzziness(n)
			fz.SetBoost(0.4)
			fz.SetOperator(query.MatchQueryOperatorAnd)
			alts = append(alts, fz)
		}
		if mode != matchExact && i == len(words)-1 && utf8.RuneCountInString(w) >= 3 {
			p := bleve.NewPrefixQuery(catalogue.Fold(strings.ToLower(w)))
			p.SetField(fieldTerms)
			p.SetBoost(0.3)
			alts = append(alts, p)
		}
		all = append(all, bleve.NewDisjunctionQuery(alts...))
	}
	for _, p := range phrases {
		var alts []query.Query
		for _, l := range langs {
			// Bodies carry no term vectors (indexing speed), so phrases
			// match titles, summaries, keywords and lessons.
			for _, f := range []string{fieldTitle, fieldSummary, fieldKeywords, fieldLessons} {
				m := bleve.NewMatchPhraseQuery(p)
				m.SetField(f + "." + l.code)
				m.SetBoost(2 * l.boost)
				alts = append(alts, m)
			}
		}
		m := bleve.NewMatchPhraseQuery(p)
		m.SetField(fieldTerms)
		alts = append(alts, m)
		all = append(all, bleve.NewDisjunctionQuery(alts...))
	}
	return allOf(all)
}

// termsOf collects the index terms a hit matched, in any field.
func termsOf(h *bsearch.DocumentMatch) map[string]bool {
	terms := map[string]bool{}
	for _, byTerm := range h.Locations {
		for term := range byTerm {
			terms[term] = true
		}
	}
	return terms
}

// lessonOf is the lesson whose text matched most of a hit's query terms,
// preferring the page language lang; nil when no lesson text matched.
func lessonOf(h *bsearch.DocumentMatch, lang string) *LessonMatch {
	type key struct {
		lang  string
		index int
	}
	count := map[key]int{}
	for field, byTerm := range h.Locations {
		l, ok := strings.CutPrefix(field, fieldLessons+".")
		if !ok {
			continue
		}
		for _, locs := range byTerm {
			for _, loc := range locs {
				if len(loc.ArrayPositions) > 0 {
					count[key{l, int(loc.ArrayPositions[0])}]++
				}
			}
		}
	}
	var best *LessonMatch
	bestScore := 0
	for k, n := range count {
		score := 2 * n
		if k.lang == lang {
			score++ // a tie goes to the page language
		}
		if score > bestScore || score == bestScore && best != nil && (k.lang < best.Lang || k.lang == best.Lang && k.index < best.Index) {
			best, bestScore = &LessonMatch{Index: k.index, Lang: k.lang}, score
		}
	}
	return best
}

// filterKey identifies a set of filters, whatever their order.
func filterKey(filters map[string][]string) string {
	var parts []string
	for name, values := range filters {
		vs := append([]string(nil), values...)
		sort.Strings(vs)
		parts = append(parts, name+"="+strings.Join(vs, ","))
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

// facetCache keeps facet counts of empty-query browsing, valid for one
// index generation.
type facetCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]map[string][]FacetCount
}

const facetCacheSize = 512

func (c *facetCache) get(key string, gen uint64) (map[string][]FacetCount, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return nil, false
	}
	f, ok := c.entries[key]
	return f, ok
}

func (c *facetCache) put(key string, gen uint64, facets map[string][]FacetCount) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.entries == nil || len(c.entries) >= facetCacheSize {
		c.gen, c.entries = gen, map[string]map[string][]FacetCount{}
	}
	c.entries[key] = facets
}
