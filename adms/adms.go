// Package adms maps catalogue entries to ADMS-AP / DCAT-AP RDF and back:
// the export every other catalogue can harvest, and the reading of what
// they publish.
package adms

import (
	"net/url"
	"strings"

	"interophub/catalogue"
	"interophub/rdf"
)

// Namespaces beyond those of package rdf.
const (
	// HUB holds the few properties ADMS-AP and DCAT-AP have no term for
	// (a good practice's problem and results, "used by", the Markdown
	// body), so that an export read back gives the same entries.
	HUB      = "https://w3id.org/interophub/ns#"
	EIRA     = "http://data.europa.eu/dr8/"
	DCMIType = "http://purl.org/dc/dcmitype/"
	Status   = "http://purl.org/adms/status/"
	SPDXLic  = "http://spdx.org/licenses/"
)

// Prefixes are the prefixes exports are written with.
var Prefixes = append([]rdf.Prefix{{Name: "hub", IRI: HUB}, {Name: "eira", IRI: EIRA}, {Name: "dctype", IRI: DCMIType}}, rdf.CommonPrefixes...)

// kindTypes are the classes and dct:type of each kind: solutions and
// standards are ADMS assets with their EIRA building block; good practices
// and courses are datasets a DCAT-AP consumer tells apart by their
// schema.org class and DCMI type.
var kindTypes = map[catalogue.Kind]struct {
	classes []string
	dctType string
}{
	catalogue.KindSolution: {[]string{rdf.DCAT + "Dataset", rdf.ADMS + "Asset"}, EIRA + "InteroperableEuropeanSolution"},
	catalogue.KindStandard: {[]string{rdf.DCAT + "Dataset", rdf.ADMS + "Asset"}, EIRA + "InteroperabilitySpecification"},
	catalogue.KindPractice: {[]string{rdf.DCAT + "Dataset", rdf.SCHEMA + "CreativeWork"}, DCMIType + "Text"},
	catalogue.KindCourse:   {[]string{rdf.DCAT + "Dataset", rdf.SCHEMA + "Course"}, DCMIType + "InteractiveResource"},
}

// URIs are the stable, language-neutral addresses of a site's resources.
type URIs struct{ Base string } // the site's base URL, without a trailing slash

// CatalogueURI is the address of the whole catalogue.
func (u URIs) CatalogueURI() string { return u.Base + "/catalogue" }

// EntryURI is an entry's address: /solutions/x-road (the page redirects to
// the reader's language).
func (u URIs) EntryURI(kind catalogue.Kind, slug string) string {
	return u.Base + "/" + kind.Plural() + "/" + slug
}

// OrganisationURI is an organisation's address.
func (u URIs) OrganisationURI(slug string) string { return u.Base + "/organisations/" + slug }

// PageURL is an entry's page in one language.
func (u URIs) PageURL(kind catalogue.Kind, slug, lang string) string {
	return u.Base + "/" + lang + "/" + kind.Plural() + "/" + slug
}

// parseEntry reads an entry address of this site back into kind and slug.
func (u URIs) parseEntry(iri string) (catalogue.Kind, string, bool) {
	rest, ok := strings.CutPrefix(iri, u.Base+"/")
	if !ok {
		return "", "", false
	}
	plural, slug, ok := strings.Cut(rest, "/")
	if !ok || slug == "" || strings.Contains(slug, "/") {
		return "", "", false
	}
	kind, ok := catalogue.KindFromPlural(plural)
	return kind, slug, ok
}

// urlSegment escapes a version for use as one path segment.
func urlSegment(s string) string { return url.PathEscape(s) }
