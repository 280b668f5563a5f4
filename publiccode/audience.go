package publiccode

import (
	"fmt"
	"strings"

	"interophub/catalogue"
)

// countryAliases are codes found in the wild for countries whose ISO code
// differs: the EU's own codes for the United Kingdom and Greece.
var countryAliases = map[string]string{"UK": "GB", "EL": "GR"}

// readAudience maps intendedAudience.countries to the entry's spatial
// coverage and intendedAudience.scope to English keywords.
func (r *reader) readAudience(top map[string]field, res *Result) {
	f, ok := top["intendedAudience"]
	if !ok {
		return
	}
	keys, _ := r.fields(f.path, f.line(), f.val, audienceKeys)
	for _, key := range []string{"countries", "onlyFor"} {
		if cf, ok := keys[key]; ok {
			for _, it := range r.texts(cf) {
				if code, ok := r.country(it, true); ok {
					addConcept(&res.Input, catalogue.SchemeCountry, code)
				}
			}
		}
	}
	if uf, ok := keys["unsupportedCountries"]; ok {
		for _, it := range r.texts(uf) {
			r.country(it, false)
		}
	}
	if sf, ok := keys["scope"]; ok {
		for _, it := range r.texts(sf) {
			addKeyword(r, &res.Input, "en", it.value(), it.path, it.line)
		}
	}
}

// country checks an ISO 3166-1 alpha-2 code; when known is set, it must
// also be a country the hub knows.
func (r *reader) country(it item, known bool) (string, bool) {
	s := it.value()
	code := strings.ToUpper(s)
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		r.warn(it.path, it.line, fmt.Sprintf("%q is not a two-letter ISO 3166-1 country code; it is ignored.", s),
			"Use a two-letter code such as it, de or fr.")
		return "", false
	}
	if alias, ok := countryAliases[code]; ok {
		r.warn(it.path, it.line, fmt.Sprintf("%q is not an ISO 3166-1 code; it is read as %q.", s, strings.ToLower(alias)),
			fmt.Sprintf("Write %s instead.", strings.ToLower(alias)))
		code = alias
	}
	if known && !r.vocab.countries[code] {
		r.warn(it.path, it.line, fmt.Sprintf("Country %q is not one the hub covers; it is left out.", s),
			"Nothing to do if the code is right; the hub covers the EU, the EEA, candidate countries and a few others.")
		return "", false
	}
	return code, true
}

// readLocalisation maps localisation.availableLanguages to the entry's
// languages.
func (r *reader) readLocalisation(top map[string]field, res *Result) {
	f, ok := top["localisation"]
	if !ok {
		r.warn("localisation", 0, "localisation is missing.",
			"Add localisation: with localisationReady: true or false and availableLanguages: a list such as - en.")
		return
	}
	keys, _ := r.fields(f.path, f.line(), f.val, localisationKeys)
	if lf, ok := keys["localisationReady"]; ok {
		r.boolean(lf)
	} else {
		r.warn(join(f.path, "localisationReady"), f.line(), "localisationReady is missing.",
			"Add localisationReady: true if the software can be translated, false if not.")
	}
	lf, ok := keys["availableLanguages"]
	if !ok {
		r.warn(join(f.path, "availableLanguages"), f.line(), "availableLanguages is missing.",
			"Add availableLanguages: the languages the software's interface is offered in, such as - en and - it.")
		return
	}
	for _, it := range r.texts(lf) {
		base, note, ok := baseLanguage(it.value())
		switch {
		case !ok:
			r.warn(it.path, it.line, fmt.Sprintf("%q is not a language code; it is ignored.", it.value()),
				"Use an IETF language tag such as en, it or pt-BR.")
			continue
		case note != "":
			r.warn(it.path, it.line, note, "Write an IETF language tag such as en, it or pt-BR.")
		}
		if !catalogue.IsLanguage(base) {
			r.warn(it.path, it.line, fmt.Sprintf("Language %q is not one of the hub's languages; it is left out.", it.value()),
				"Nothing to do if the code is right; the hub lists the 24 EU languages, Vietnamese and a few others.")
			continue
		}
		addConcept(&res.Input, catalogue.SchemeLanguage, base)
	}
}

// addConcept adds a concept code once.
func addConcept(in *catalogue.EntryInput, scheme catalogue.Scheme, code string) {
	if in.Concepts == nil {
		in.Concepts = map[catalogue.Scheme][]string{}
	}
	if !contains(in.Concepts[scheme], code) {
		in.Concepts[scheme] = append(in.Concepts[scheme], code)
	}
}
