package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// foldName is a token filter that removes diacritics ("hành chính" ->
// "hanh chinh", "São" -> "sao"), so that people who type without accents,
// as many do on a phone, still find what they mean. Token offsets are left
// alone, which keeps highlighting on the original text exact.
const foldName = "interophub_fold"

func init() {
	_ = registry.RegisterTokenFilter(foldName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
}

type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(fold(string(t.Term)))
	}
	return in
}

// fold lower-cases s and strips its combining marks; a few letters that are
// not composed with a mark are mapped by hand.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || ('A' <= s[i] && s[i] <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case r == 'ß':
			b.WriteString("ss")
			continue
		case r == 'ł' || r == 'Ł':
			r = 'l'
		case r == 'ø' || r == 'Ø':
			r = 'o'
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
			continue
		case r == 'ħ' || r == 'Ħ':
			r = 'h'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
