package adms

import (
	"fmt"
	"strconv"
	"time"

	"interophub/catalogue"
	"interophub/rdf"
)

// Exporter writes published entries as ADMS-AP / DCAT-AP triples.
type Exporter struct {
	URIs
	vocab *vocab
}

// NewExporter is an exporter for the site at base (its base URL).
func NewExporter(base string) (*Exporter, error) {
	v, err := vocabOnce()
	if err != nil {
		return nil, err
	}
	return &Exporter{URIs: URIs{Base: base}, vocab: v}, nil
}

// graph collects triples about one subject at a time.
type graph struct{ triples []rdf.Triple }

func (g *graph) add(s rdf.Term, p string, o rdf.Term) {
	g.triples = append(g.triples, rdf.Triple{S: s, P: rdf.IRI(p), O: o})
}

// link adds an IRI object, skipping a value that is not one (a homepage
// typed with a space, say): one bad address must not break a document.
func (g *graph) link(s rdf.Term, p, iri string) {
	if rdf.ValidIRI(iri) {
		g.add(s, p, rdf.IRI(iri))
	}
}

// text adds a literal, skipping empty ones.
func (g *graph) text(s rdf.Term, p string, o rdf.Term) {
	if o.Value != "" {
		g.add(s, p, o)
	}
}

func dateTime(t time.Time) rdf.Term {
	return rdf.Typed(t.UTC().Truncate(time.Second).Format(time.RFC3339), rdf.XSD+"dateTime")
}

func date(t time.Time) rdf.Term { return rdf.Typed(t.UTC().Format(time.DateOnly), rdf.XSD+"date") }

// LatestUpdate is when the latest of the entries was updated: the
// catalogue's dct:modified.
func LatestUpdate(entries []*catalogue.Entry) time.Time {
	var t time.Time
	for _, e := range entries {
		if e.UpdatedAt.After(t) {
			t = e.UpdatedAt
		}
	}
	return t
}

// Catalogue is the dcat:Catalog of the given entries, with the entries,
// their publishers and everything they point to.
func (x *Exporter) Catalogue(title string, modified time.Time, entries []*catalogue.Entry) []rdf.Triple {
	g := &graph{}
	cat := rdf.IRI(x.CatalogueURI())
	g.add(cat, rdf.RDFNS+"type", rdf.IRI(rdf.DCAT+"Catalog"))
	g.add(cat, rdf.DCT+"title", rdf.LangString(title, "en"))
	g.add(cat, rdf.DCT+"description", rdf.LangString(title+": reusable solutions, interoperability standards, good practices and courses for digital public services.", "en"))
	g.add(cat, rdf.FOAF+"homepage", rdf.IRI(x.Base+"/"))
	g.add(cat, rdf.DCT+"modified", dateTime(modified))
	seenOrgs := map[string]bool{}
	for _, e := range entries {
		g.add(cat, rdf.DCAT+"dataset", rdf.IRI(x.EntryURI(e.Kind, e.Slug)))
		g.triples = append(g.triples, x.entry(e, seenOrgs)...)
	}
	return g.triples
}

// Entry is one entry's triples, with its publisher's.
func (x *Exporter) Entry(e *catalogue.Entry) []rdf.Triple {
	return x.entry(e, map[string]bool{})
}

func (x *Exporter) entry(e *catalogue.Entry, seenOrgs map[string]bool) []rdf.Triple {
	g := &graph{}
	s := rdf.IRI(x.EntryURI(e.Kind, e.Slug))
	kt := kindTypes[e.Kind]
	for _, c := range kt.classes {
		g.add(s, rdf.RDFNS+"type", rdf.IRI(c))
	}
	g.add(s, rdf.DCT+"type", rdf.IRI(kt.dctType))
	g.add(s, rdf.DCT+"identifier", rdf.String(e.Slug))
	for _, t := range e.Translations {
		g.text(s, rdf.DCT+"title", rdf.LangString(t.Title, t.Lang))
		g.text(s, rdf.DCT+"description", rdf.LangString(t.Summary, t.Lang))
		g.text(s, HUB+"body", rdf.LangString(t.Body, t.Lang))
		g.text(s, HUB+"problem", rdf.LangString(t.Problem, t.Lang))
		g.text(s, HUB+"solution", rdf.LangString(t.Solution, t.Lang))
		g.text(s, HUB+"results", rdf.LangString(t.Results, t.Lang))
		g.text(s, HUB+"lessons", rdf.LangString(t.Lessons, t.Lang))
		g.add(s, rdf.FOAF+"page", rdf.IRI(x.PageURL(e.Kind, e.Slug, t.Lang)))
	}
	for _, k := range e.Keywords {
		g.add(s, rdf.DCAT+"keyword", rdf.LangString(k.Value, k.Lang))
	}
	if e.Owner != nil {
		org := rdf.IRI(x.OrganisationURI(e.Owner.Slug))
		g.add(s, rdf.DCT+"publisher", org)
		if !seenOrgs[e.Owner.Slug] {
			seenOrgs[e.Owner.Slug] = true
			x.organisation(g, e.Owner)
		}
	}
	g.link(s, rdf.DCAT+"landingPage", e.Homepage)
	if uri := x.vocab.URI(catalogue.SchemeLicence, e.Licence); uri != "" {
		g.add(s, rdf.DCT+"license", rdf.IRI(uri))
	}
	if uri := x.vocab.URI(catalogue.SchemeStatus, e.Status); uri != "" {
		g.add(s, rdf.ADMS+"status", rdf.IRI(uri))
	}
	for _, c := range e.Concepts {
		if c.URI == "" {
			continue
		}
		if x.vocab.Shared(c.Scheme, c.Code) {
			g.add(s, HUB+"conceptCode", rdf.String(string(c.Scheme)+":"+c.Code))
		}
		switch c.Scheme {
		case catalogue.SchemeTheme:
			g.add(s, rdf.DCAT+"theme", rdf.IRI(c.URI))
		case catalogue.SchemeLayer, catalogue.SchemePrinciple:
			g.add(s, rdf.DCT+"subject", rdf.IRI(c.URI))
		case catalogue.SchemeCountry:
			g.add(s, rdf.DCT+"spatial", rdf.IRI(c.URI))
		case catalogue.SchemeLanguage:
			g.add(s, rdf.DCT+"language", rdf.IRI(c.URI))
		}
	}
	g.add(s, rdf.DCT+"issued", dateTime(e.CreatedAt))
	g.add(s, rdf.DCT+"modified", dateTime(e.UpdatedAt))
	if e.LastReviewedAt != nil {
		g.add(s, HUB+"lastReviewed", dateTime(*e.LastReviewedAt))
	}
	for _, r := range e.Related {
		g.add(s, rdf.DCT+"relation", rdf.IRI(x.EntryURI(r.Kind, r.Slug)))
	}
	for i, c := range e.Contacts {
		cp := rdf.IRI(fmt.Sprintf("%s#contact-%d", s.Value, i+1))
		g.add(s, rdf.DCAT+"contactPoint", cp)
		g.add(cp, rdf.RDFNS+"type", rdf.IRI(rdf.VCARD+"Kind"))
		g.add(cp, rdf.VCARD+"fn", rdf.String(c.Name))
		if c.Email != "" {
			g.link(cp, rdf.VCARD+"hasEmail", "mailto:"+c.Email)
		}
		g.link(cp, rdf.VCARD+"hasURL", c.URL)
	}
	for _, r := range e.Releases {
		x.release(g, s, e, r)
	}
	for i, u := range e.Reuses {
		if u.Organisation == nil {
			continue
		}
		ru := rdf.IRI(fmt.Sprintf("%s#reuse-%d", s.Value, i+1))
		g.add(s, HUB+"usedBy", ru)
		g.add(ru, rdf.RDFNS+"type", rdf.IRI(HUB+"Reuse"))
		g.add(ru, HUB+"organisation", rdf.IRI(x.OrganisationURI(u.Organisation.Slug)))
		if !seenOrgs[u.Organisation.Slug] {
			seenOrgs[u.Organisation.Slug] = true
			x.organisation(g, u.Organisation)
		}
		if u.Since > 0 {
			g.add(ru, HUB+"since", rdf.Typed(strconv.Itoa(u.Since), rdf.XSD+"gYear"))
		}
		g.text(ru, HUB+"note", rdf.String(u.Note))
	}
	if p := e.Practice; p != nil {
		if uri := x.vocab.URI(catalogue.SchemeCountry, p.Country); uri != "" {
			g.add(s, HUB+"country", rdf.IRI(uri))
		}
		g.text(s, HUB+"level", rdf.String(p.Level))
		if uri := x.vocab.URI(catalogue.SchemeTheme, p.Sector); uri != "" {
			g.add(s, HUB+"sector", rdf.IRI(uri))
		}
		if p.Year > 0 {
			g.add(s, HUB+"year", rdf.Typed(strconv.Itoa(p.Year), rdf.XSD+"gYear"))
		}
	}
	return g.triples
}

// release adds a release as a version of the entry (dct:hasVersion), an
// asset of its own with its distributions.
func (x *Exporter) release(g *graph, s rdf.Term, e *catalogue.Entry, r catalogue.Release) {
	rel := rdf.IRI(s.Value + "/releases/" + urlSegment(r.Version))
	g.add(s, rdf.DCT+"hasVersion", rel)
	g.add(rel, rdf.RDFNS+"type", rdf.IRI(rdf.DCAT+"Dataset"))
	g.add(rel, rdf.RDFNS+"type", rdf.IRI(rdf.ADMS+"Asset"))
	g.add(rel, rdf.DCT+"isVersionOf", s)
	g.add(rel, rdf.OWL+"versionInfo", rdf.String(r.Version))
	g.add(rel, rdf.DCT+"title", rdf.LangString(e.TitleIn("en")+" "+r.Version, "en"))
	g.add(rel, rdf.DCT+"description", rdf.LangString(firstNonEmpty(r.Notes, e.TitleIn("en")+" "+r.Version), "en"))
	g.text(rel, rdf.ADMS+"versionNotes", rdf.LangString(r.Notes, "en"))
	if r.Date != nil {
		g.add(rel, rdf.DCT+"issued", date(*r.Date))
	}
	for i, d := range r.Distributions {
		dist := rdf.IRI(fmt.Sprintf("%s/distributions/%d", rel.Value, i+1))
		g.add(rel, rdf.DCAT+"distribution", dist)
		g.add(dist, rdf.RDFNS+"type", rdf.IRI(rdf.DCAT+"Distribution"))
		g.add(dist, rdf.DCT+"title", rdf.LangString(d.Title, "en"))
		g.link(dist, rdf.DCAT+"accessURL", d.URL)
		g.text(dist, rdf.DCAT+"mediaType", rdf.String(d.MediaType))
		if uri := x.vocab.URI(catalogue.SchemeLicence, d.Licence); uri != "" {
			g.add(dist, rdf.DCT+"license", rdf.IRI(uri))
		}
	}
}

// organisation adds an organisation as a foaf:Agent.
func (x *Exporter) organisation(g *graph, o *catalogue.Organisation) {
	s := rdf.IRI(x.OrganisationURI(o.Slug))
	g.add(s, rdf.RDFNS+"type", rdf.IRI(rdf.FOAF+"Agent"))
	g.add(s, rdf.FOAF+"name", rdf.String(o.Name))
	g.add(s, rdf.DCT+"identifier", rdf.String(o.Slug))
	if uri := x.vocab.URI(catalogue.SchemeOwnerType, o.Type); uri != "" {
		g.add(s, rdf.DCT+"type", rdf.IRI(uri))
	}
	if uri := x.vocab.URI(catalogue.SchemeCountry, o.Country); uri != "" {
		g.add(s, rdf.DCT+"spatial", rdf.IRI(uri))
	}
	g.link(s, rdf.FOAF+"homepage", o.Website)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
