package rdf

// sample is a graph with every kind of term and the awkward cases a
// writer must get right: language tags, datatypes, escapes, non-ASCII
// text, blank nodes (also as objects of several triples), long and
// multi-line literals, IRIs that cannot be abbreviated.
func sample() []Triple {
	cat, ds := IRI("https://hub.example/catalogue"), IRI("https://hub.example/en/solutions/x-road")
	contact := Blank("c1")
	return []Triple{
		{cat, Type, IRI(DCAT + "Catalog")},
		{cat, IRI(DCT + "title"), LangString("Interop Hub", "en")},
		{cat, IRI(DCAT + "dataset"), ds},
		{ds, Type, IRI(DCAT + "Dataset")},
		{ds, Type, IRI("http://data.europa.eu/dr8/InteroperableEuropeanSolution")},
		{ds, IRI(DCT + "title"), LangString("X-Road", "en")},
		{ds, IRI(DCT + "title"), LangString("X-Road (giải pháp trao đổi dữ liệu)", "vi")},
		{ds, IRI(DCT + "title"), LangString("Δίκτυο X-Road", "el")},
		{ds, IRI(DCT + "description"), LangString("Line one.\nLine \"two\" with a back\\slash\tand a tab.\n\nThird paragraph: <b>not markup</b> & more.", "en")},
		{ds, IRI(DCT + "issued"), Typed("2001-12-01", XSD+"date")},
		{ds, IRI(DCT + "modified"), Typed("2026-11-23T12:00:00Z", XSD+"dateTime")},
		{ds, IRI(OWL + "versionInfo"), String("7.4.1")},
		{ds, IRI(DCAT + "keyword"), LangString("data exchange", "en")},
		{ds, IRI(DCAT + "keyword"), String("plain keyword")},
		{ds, IRI(DCAT + "contactPoint"), contact},
		{contact, Type, IRI(VCARD + "Kind")},
		{contact, IRI(VCARD + "fn"), String("NIIS help desk")},
		{contact, IRI(VCARD + "hasEmail"), IRI("mailto:info@niis.org")},
		{ds, IRI(DCT + "license"), IRI("http://spdx.org/licenses/MIT")},
		{ds, IRI(DCAT + "landingPage"), IRI("https://x-road.global/")},
		{ds, IRI(DCT + "language"), IRI("http://publications.europa.eu/resource/authority/language/EST")},
		{ds, IRI(DCT + "spatial"), IRI("http://publications.europa.eu/resource/authority/country/EST")},
		{ds, IRI("https://hub.example/ns#weird-local.name"), Typed("42", XSD+"integer")},
		{ds, IRI("https://hub.example/ns#flag"), Typed("true", XSD+"boolean")},
		{ds, IRI("https://hub.example/path/with%20space?q=a&b=c"), String("")},
	}
}
