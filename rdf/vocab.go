package rdf

// Namespaces of the vocabularies ADMS-AP and DCAT-AP use.
const (
	RDFNS  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	RDFS   = "http://www.w3.org/2000/01/rdf-schema#"
	XSD    = "http://www.w3.org/2001/XMLSchema#"
	DCT    = "http://purl.org/dc/terms/"
	DCAT   = "http://www.w3.org/ns/dcat#"
	ADMS   = "http://www.w3.org/ns/adms#"
	FOAF   = "http://xmlns.com/foaf/0.1/"
	VCARD  = "http://www.w3.org/2006/vcard/ns#"
	SKOS   = "http://www.w3.org/2004/02/skos/core#"
	OWL    = "http://www.w3.org/2002/07/owl#"
	SCHEMA = "http://schema.org/"
	SPDX   = "http://spdx.org/rdf/terms#"
)

// Type is rdf:type.
var Type = IRI(RDFNS + "type")

// Prefix is a namespace abbreviation for Turtle, RDF/XML and JSON-LD.
type Prefix struct{ Name, IRI string }

// CommonPrefixes are the prefixes written by default.
var CommonPrefixes = []Prefix{
	{"adms", ADMS}, {"dcat", DCAT}, {"dct", DCT}, {"foaf", FOAF}, {"owl", OWL},
	{"rdf", RDFNS}, {"rdfs", RDFS}, {"schema", SCHEMA}, {"skos", SKOS}, {"vcard", VCARD}, {"xsd", XSD},
}
