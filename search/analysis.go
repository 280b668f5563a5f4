package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"interophub/catalogue"
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
		t.Term = []byte(catalogue.Fold(string(t.Term)))
	}
	return in
}
