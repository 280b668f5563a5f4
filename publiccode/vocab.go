package publiccode

import (
	"strings"
	"sync"

	"interophub/catalogue"
)

// hubVocab holds the codes of the catalogue's vocabularies a file is
// checked against.
type hubVocab struct {
	countries map[string]bool   // ISO 3166-1 alpha-2, upper case, and EU
	licences  map[string]string // lower-cased SPDX id -> SPDX id
	statuses  map[string]bool
}

// hubVocabulary is read once: the vocabularies are embedded in the binary
// and never change while it runs.
var hubVocabulary = sync.OnceValues(func() (*hubVocab, error) {
	concepts, err := catalogue.Vocabularies()
	if err != nil {
		return nil, err
	}
	v := &hubVocab{countries: map[string]bool{}, licences: map[string]string{}, statuses: map[string]bool{}}
	for _, c := range concepts {
		switch c.Scheme {
		case catalogue.SchemeCountry:
			v.countries[c.Code] = true
		case catalogue.SchemeLicence:
			v.licences[strings.ToLower(c.Code)] = c.Code
		case catalogue.SchemeStatus:
			v.statuses[c.Code] = true
		}
	}
	return v, nil
})

// licence returns the hub's SPDX id for id (matched without regard to
// case, or through a deprecated alias) and whether id was written exactly so.
func (v *hubVocab) licence(id string) (code string, exact bool) {
	lower := strings.ToLower(id)
	if c, ok := v.licences[lower]; ok {
		return c, c == id
	}
	if c, ok := licenceAliases[lower]; ok {
		return c, false
	}
	return "", false
}
