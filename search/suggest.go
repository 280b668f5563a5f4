package search

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"interophub/catalogue"
)

// Suggest returns up to n entries for what a user is typing: every word
// but the last must match, the last may be the start of a word. Names and
// keywords of every language are searched, whatever lang (the page's
// language) is. It feeds search-as-you-type.
func (ix *Index) Suggest(ctx context.Context, text, lang string, n int) ([]uint, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxQueryLength {
		return nil, nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrNotReady
	}
	req := bleve.NewSearchRequestOptions(typingQuery(text), n, 0, false)
	req.SortBy(sortOrder(SortRelevance))
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, 0, len(res.Hits))
	for _, h := range res.Hits {
		if id, ok := entryID(h.ID); ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// typingQuery is the light query behind search-as-you-type: names and
// keywords only (the folded field), every word but the last as typed, the
// last as typed or as the start of a word.
func typingQuery(text string) query.Query {
	_, words := parse(text)
	if len(words) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	var all []query.Query
	for i, w := range words {
		m := bleve.NewMatchQuery(w)
		m.SetField(fieldTerms)
		m.SetOperator(query.MatchQueryOperatorAnd)
		if i < len(words)-1 {
			all = append(all, m)
			continue
		}
		// The last word as typed, or as the start of a word: its last piece
		// ("x-ro" -> "x" then "ro…") or the whole of it run together ("xro…",
		// which finds "xroad", the compact form of "X-Road").
		last := []query.Query{m}
		pieces := strings.FieldsFunc(catalogue.Fold(strings.ToLower(w)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if n := len(pieces); n > 0 && utf8.RuneCountInString(pieces[n-1]) >= 2 {
			var seq []query.Query
			for _, piece := range pieces[:n-1] {
				t := bleve.NewTermQuery(piece)
				t.SetField(fieldTerms)
				seq = append(seq, t)
			}
			p := bleve.NewPrefixQuery(pieces[n-1])
			p.SetField(fieldTerms)
			seq = append(seq, p)
			if len(seq) == 1 {
				last = append(last, p)
			} else {
				last = append(last, bleve.NewConjunctionQuery(seq...))
			}
		}
		if c := catalogue.Fold(compact(w)); utf8.RuneCountInString(c) >= 2 && len(pieces) > 1 {
			p := bleve.NewPrefixQuery(c)
			p.SetField(fieldTerms)
			last = append(last, p)
		}
		all = append(all, bleve.NewDisjunctionQuery(last...))
	}
	return allOf(all)
}

// suggestSpelling proposes the query with each unknown word replaced by the
// closest word the catalogue uses ("interoperabilty" -> "interoperability"),
// or "" when it has nothing better. The caller holds ix.mu.
func (ix *Index) suggestSpelling(ctx context.Context, text string) string {
	_, words := parse(text)
	changed := false
	for i, w := range words {
		folded := catalogue.Fold(strings.ToLower(w))
		n := fuzziness(utf8.RuneCountInString(folded))
		if n == 0 || !isWord(folded) || ix.known(folded) {
			continue // short, compound ("e-invoicing") or known: leave it
		}
		fz := bleve.NewFuzzyQuery(folded)
		fz.SetField(fieldTerms)
		fz.SetFuzziness(n)
		req := bleve.NewSearchRequestOptions(fz, 20, 0, false)
		req.IncludeLocations = true
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return ""
		}
		best, bestCount, bestDist := "", 0, n+1
		counts := map[string]int{}
		for _, h := range res.Hits {
			for term := range h.Locations[fieldTerms] {
				counts[term]++
			}
		}
		for term, c := range counts {
			d := editDistance(folded, term)
			if d == 0 || d > n {
				continue
			}
			if d < bestDist || d == bestDist && (c > bestCount || c == bestCount && term < best) {
				best, bestCount, bestDist = term, c, d
			}
		}
		if best != "" {
			words[i], changed = best, true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}

// isWord reports whether s is made of letters only.
func isWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// known reports whether the catalogue uses the folded word at all.
func (ix *Index) known(word string) bool {
	d, err := ix.idx.FieldDictRange(fieldTerms, []byte(word), []byte(word))
	if err != nil {
		return false
	}
	defer d.Close()
	e, err := d.Next()
	return err == nil && e != nil && e.Term == word
}

// editDistance is the Levenshtein distance between two words.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
