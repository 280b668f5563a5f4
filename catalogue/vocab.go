package catalogue

import (
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Scheme names a controlled vocabulary.
type Scheme string

// The vocabularies entries are described with.
const (
	SchemeLayer     Scheme = "layer"      // EIF interoperability layers
	SchemePrinciple Scheme = "principle"  // EIF underlying principles
	SchemeTheme     Scheme = "theme"      // policy domains
	SchemeCountry   Scheme = "country"    // spatial coverage
	SchemeLanguage  Scheme = "language"   // languages of the resource
	SchemeLicence   Scheme = "licence"    // SPDX licences
	SchemeStatus    Scheme = "status"     // ADMS statuses
	SchemeOwnerType Scheme = "owner-type" // organisation types
)

// Concept is one term of a vocabulary: its stable code, its URI and its
// English label as published by its authority.
type Concept struct {
	ID     uint   `gorm:"primaryKey"`
	Scheme Scheme `gorm:"size:16;not null;uniqueIndex:idx_concepts_scheme_code"`
	Code   string `gorm:"size:64;not null;uniqueIndex:idx_concepts_scheme_code"`
	URI    string `gorm:"size:300;not null"`
	Label  string `gorm:"size:300;not null"`
}

//go:embed vocab/*.rdf
var vocabFiles embed.FS

// skosFile is the part of a SKOS RDF/XML file the hub reads.
type skosFile struct {
	Concepts []struct {
		About     string `xml:"about,attr"`
		PrefLabel []struct {
			Lang  string `xml:"lang,attr"`
			Value string `xml:",chardata"`
		} `xml:"prefLabel"`
		AltLabel []string `xml:"altLabel"`
		Notation string   `xml:"notation"`
	} `xml:"Concept"`
}

// skosSource says how to turn one SKOS file into concepts of a scheme.
type skosSource struct {
	file   string
	scheme Scheme
	code   func(about, alt, notation string) string
	label  func(pref, notation string) string
}

var labelPrefix = regexp.MustCompile(`^(Interoperability Layer|Underlying Principle) \d+: `)

var skosSources = []skosSource{
	{"eif_interoperability_layer.rdf", SchemeLayer,
		func(_, alt, _ string) string { return alt },
		func(pref, _ string) string { return upperFirst(labelPrefix.ReplaceAllString(pref, "")) }},
	{"eif_principle.rdf", SchemePrinciple,
		func(_, alt, _ string) string { return alt },
		func(pref, _ string) string { return upperFirst(labelPrefix.ReplaceAllString(pref, "")) }},
	// Policy domain URIs are not unique in the published file (two concepts
	// share .../health5) and labels carry "(WIP!)": the clean notation is the
	// label and its slug the code.
	{"policy_domain.rdf", SchemeTheme,
		func(_, _, notation string) string { return Slugify(notation) },
		func(_, notation string) string { return notation }},
	{"owner_type.rdf", SchemeOwnerType,
		func(about, _, _ string) string { return about[strings.LastIndex(about, "#")+1:] },
		func(pref, _ string) string { return pref }},
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify turns a label into a lowercase, dash-separated code.
func Slugify(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// Vocabularies returns every concept the hub knows, from the embedded EU
// vocabularies and the authority lists below, sorted by scheme and code.
func Vocabularies() ([]Concept, error) {
	var out []Concept
	for _, src := range skosSources {
		data, err := vocabFiles.ReadFile("vocab/" + src.file)
		if err != nil {
			return nil, fmt.Errorf("catalogue: read vocabulary %s: %w", src.file, err)
		}
		var f skosFile
		if err := decodeRDFXML(data, &f); err != nil {
			return nil, fmt.Errorf("catalogue: parse vocabulary %s: %w", src.file, err)
		}
		for _, c := range f.Concepts {
			var pref string
			for _, l := range c.PrefLabel {
				if l.Lang == "en" {
					pref = strings.TrimSpace(l.Value)
				}
			}
			alt := ""
			if len(c.AltLabel) > 0 {
				alt = strings.TrimSpace(c.AltLabel[0])
			}
			notation := strings.TrimSpace(c.Notation)
			code := src.code(c.About, alt, notation)
			if code == "" || pref == "" {
				continue // the scheme's own root concept ("Model") has no code
			}
			out = append(out, Concept{Scheme: src.scheme, Code: code, URI: c.About, Label: src.label(pref, notation)})
		}
	}
	for _, code := range countryCodes {
		out = append(out, Concept{Scheme: SchemeCountry, Code: code, URI: CountryURI(code), Label: display.English.Regions().Name(language.MustParseRegion(code))})
	}
	for _, code := range languageCodes {
		out = append(out, Concept{Scheme: SchemeLanguage, Code: code, URI: LanguageURI(code), Label: display.English.Languages().Name(language.MustParseBase(code))})
	}
	for _, l := range licences {
		out = append(out, Concept{Scheme: SchemeLicence, Code: l.id, URI: "http://spdx.org/licenses/" + l.id, Label: l.name})
	}
	for _, s := range statuses {
		out = append(out, Concept{Scheme: SchemeStatus, Code: s.code, URI: "http://purl.org/adms/status/" + s.uriName, Label: s.label})
	}
	sortConcepts(out)
	return out, nil
}

// sortConcepts orders concepts by scheme, then naturally by code.
func sortConcepts(cs []Concept) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Scheme != cs[j].Scheme {
			return cs[i].Scheme < cs[j].Scheme
		}
		return codeLess(cs[i].Code, cs[j].Code)
	})
}

var entityDecl = regexp.MustCompile(`<!ENTITY\s+(\w+)\s+"([^"]*)"\s*>`)

// decodeRDFXML decodes RDF/XML, expanding the entities its DOCTYPE declares
// (the policy-domain file writes datatypes as "&xsd;date").
func decodeRDFXML(data []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Entity = map[string]string{}
	for _, m := range entityDecl.FindAllSubmatch(data, -1) {
		dec.Entity[string(m[1])] = string(m[2])
	}
	return dec.Decode(v)
}

// codeLess orders codes naturally, so that UP2 comes before UP10.
func codeLess(a, b string) bool {
	pa, na := splitNumber(a)
	pb, nb := splitNumber(b)
	if pa == pb && na >= 0 && nb >= 0 {
		return na < nb
	}
	return a < b
}

func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) {
		return s, -1
	}
	n := 0
	for _, r := range s[i:] {
		n = n*10 + int(r-'0')
	}
	return s[:i], n
}

// CountryURI is the EU Publications Office authority URI of a country code.
func CountryURI(code string) string {
	iso3 := "EUR"
	if code != "EU" {
		iso3 = language.MustParseRegion(code).ISO3()
	}
	return "http://publications.europa.eu/resource/authority/country/" + iso3
}

// LanguageURI is the EU Publications Office authority URI of a language code.
func LanguageURI(code string) string {
	return "http://publications.europa.eu/resource/authority/language/" + strings.ToUpper(language.MustParseBase(code).ISO3())
}
