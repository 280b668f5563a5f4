package adms

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"interophub/catalogue"
	"interophub/rdf"
)

// Problem is something wrong with a harvested entity, in plain words,
// with the property at fault.
type Problem struct {
	Property string // e.g. "dct:title"
	Message  string
}

func (p Problem) String() string { return p.Property + ": " + p.Message }

// Asset is one dcat:Dataset / adms:Asset read from a harvested graph.
type Asset struct {
	Subject       string // its IRI (or blank node label)
	Input         catalogue.EntryInput
	Organisations []catalogue.Organisation // its publisher and the reusers it names
	Rejected      []Problem                // why it cannot be imported; empty when it can
	Warnings      []Problem                // imported, but something was left out
}

// Reader reads ADMS-AP / DCAT-AP graphs into entries.
type Reader struct {
	URIs  // the reading site: its own addresses are read back to kinds and slugs
	vocab *vocab
}

// NewReader is a reader for the site at base.
func NewReader(base string) (*Reader, error) {
	v, err := vocabOnce()
	if err != nil {
		return nil, err
	}
	return &Reader{URIs: URIs{Base: base}, vocab: v}, nil
}

// index is a graph by subject and predicate.
type index map[rdf.Term]map[string][]rdf.Term

func newIndex(triples []rdf.Triple) index {
	ix := index{}
	for _, t := range triples {
		m := ix[t.S]
		if m == nil {
			m = map[string][]rdf.Term{}
			ix[t.S] = m
		}
		if !slices.Contains(m[t.P.Value], t.O) {
			m[t.P.Value] = append(m[t.P.Value], t.O)
		}
	}
	return ix
}

func (ix index) objects(s rdf.Term, p string) []rdf.Term { return ix[s][p] }

func (ix index) has(s rdf.Term, p string, o rdf.Term) bool {
	return slices.Contains(ix[s][p], o)
}

// first is the first literal value of s p, preferring lang (or no tag).
func (ix index) first(s rdf.Term, p string) string {
	for _, o := range ix[s][p] {
		if o.IsLiteral() {
			return strings.TrimSpace(o.Value)
		}
	}
	return ""
}

// Read finds the assets of a graph (datasets that are not a release of
// another) and reads each into an entry, in subject order.
func (r *Reader) Read(triples []rdf.Triple) []Asset {
	ix := newIndex(triples)
	var subjects []rdf.Term
	for s := range ix {
		isAsset := ix.has(s, rdf.RDFNS+"type", rdf.IRI(rdf.DCAT+"Dataset")) || ix.has(s, rdf.RDFNS+"type", rdf.IRI(rdf.ADMS+"Asset"))
		if isAsset && len(ix.objects(s, rdf.DCT+"isVersionOf")) == 0 {
			subjects = append(subjects, s)
		}
	}
	sort.Slice(subjects, func(i, j int) bool { return subjects[i].Value < subjects[j].Value })
	// Versions pointed to by dct:hasVersion are releases, not assets.
	versions := map[rdf.Term]bool{}
	for _, s := range subjects {
		for _, v := range ix.objects(s, rdf.DCT+"hasVersion") {
			versions[v] = true
		}
	}
	slugs := map[string]string{} // subject -> slug, for dct:relation
	var out []Asset
	for _, s := range subjects {
		if versions[s] {
			continue
		}
		a := r.asset(ix, s)
		slugs[s.Value] = a.Input.Slug
		out = append(out, a)
	}
	for i := range out {
		s := rdf.Term{Kind: rdf.KindIRI, Value: out[i].Subject}
		if strings.HasPrefix(out[i].Subject, "_:") {
			s = rdf.Blank(strings.TrimPrefix(out[i].Subject, "_:"))
		}
		for _, rel := range ix.objects(s, rdf.DCT+"relation") {
			if slug, ok := slugs[rel.Value]; ok {
				out[i].Input.Related = append(out[i].Input.Related, slug)
			} else if _, slug, ok := r.parseEntry(rel.Value); ok {
				out[i].Input.Related = append(out[i].Input.Related, slug)
			}
		}
	}
	return out
}

// maxSummary is the longest description kept as an entry's summary (the
// summary's limit); a longer one becomes its body, and its first sentences the summary.
const maxSummary = 1000

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func (r *Reader) asset(ix index, s rdf.Term) Asset {
	a := Asset{Subject: s.Value}
	if s.IsBlank() {
		a.Subject = "_:" + s.Value
	}
	in := &a.Input
	in.State = catalogue.StatePublished
	if s.IsBlank() {
		// A blank node's label is the parser's, new at every read: the
		// asset could not be recognised at the next harvest.
		a.Rejected = append(a.Rejected, Problem{"@id", "the dataset has no IRI (it is a blank node): give it a stable IRI so that later harvests can recognise it"})
	}
	in.Kind = r.kindOf(ix, s)
	warn := func(prop, format string, args ...any) {
		a.Warnings = append(a.Warnings, Problem{prop, fmt.Sprintf(format, args...)})
	}

	// Text per language.
	byLang := map[string]*catalogue.Translation{}
	text := func(prop, name string, set func(t *catalogue.Translation, v string)) {
		for _, o := range ix.objects(s, prop) {
			if !o.IsLiteral() || strings.TrimSpace(o.Value) == "" {
				continue // an empty text says nothing; a resource is not text
			}
			lang := r.lang(o, prop, warn)
			if lang == "" {
				continue
			}
			t := byLang[lang]
			if t == nil {
				t = &catalogue.Translation{Lang: lang}
				byLang[lang] = t
			}
			set(t, o.Value)
		}
	}
	text(rdf.DCT+"title", "dct:title", func(t *catalogue.Translation, v string) { t.Title = strings.TrimSpace(v) })
	text(rdf.DCT+"description", "dct:description", func(t *catalogue.Translation, v string) { t.Summary = v })
	text(HUB+"body", "hub:body", func(t *catalogue.Translation, v string) { t.Body = v })
	text(HUB+"problem", "hub:problem", func(t *catalogue.Translation, v string) { t.Problem = v })
	text(HUB+"solution", "hub:solution", func(t *catalogue.Translation, v string) { t.Solution = v })
	text(HUB+"results", "hub:results", func(t *catalogue.Translation, v string) { t.Results = v })
	text(HUB+"lessons", "hub:lessons", func(t *catalogue.Translation, v string) { t.Lessons = v })
	hasTitle, hasDescription := false, false
	for _, lang := range sortedLangs(byLang) {
		t := byLang[lang]
		if t.Title == "" {
			warn("dct:title", "there is a description in %s but no title in that language: that text was left out", lang)
			continue
		}
		if utf8.RuneCountInString(t.Summary) > maxSummary && t.Body == "" {
			t.Body, t.Summary = t.Summary, shorten(t.Summary, maxSummary)
		}
		hasTitle = true
		hasDescription = hasDescription || t.Summary != ""
		in.Translations = append(in.Translations, *t)
	}
	if !hasTitle {
		a.Rejected = append(a.Rejected, Problem{"dct:title", "missing: ADMS-AP requires a title (dct:title), in at least one language the hub shows"})
	}
	if !hasDescription {
		a.Rejected = append(a.Rejected, Problem{"dct:description", "missing: ADMS-AP requires a description (dct:description) of the asset"})
	}

	in.Slug = r.slugOf(ix, s, in.Translations)
	if in.Slug == "" && hasTitle {
		a.Rejected = append(a.Rejected, Problem{"dct:identifier", "no usable identifier: give the asset a dct:identifier of letters, digits and hyphens, or a title in Latin letters"})
	}

	for _, o := range ix.objects(s, rdf.DCAT+"keyword") {
		if lang := r.lang(o, "dcat:keyword", warn); lang != "" && o.Value != "" {
			if in.Keywords == nil {
				in.Keywords = map[string][]string{}
			}
			in.Keywords[lang] = append(in.Keywords[lang], strings.TrimSpace(o.Value))
		}
	}

	// Publisher.
	if pubs := ix.objects(s, rdf.DCT+"publisher"); len(pubs) > 0 {
		if org, ok := r.organisation(ix, pubs[0]); ok {
			in.Owner = org.Slug
			a.Organisations = append(a.Organisations, org)
		} else {
			warn("dct:publisher", "the publisher has no name (foaf:name): the harvest source's organisation is the owner")
		}
	} else {
		warn("dct:publisher", "missing: the harvest source's organisation is the owner")
	}

	if pages := ix.objects(s, rdf.DCAT+"landingPage"); len(pages) > 0 {
		if isWebURL(pages[0].Value) {
			in.Homepage = pages[0].Value
		} else {
			warn("dcat:landingPage", "%q is not a web address (http or https): left out", pages[0].Value)
		}
	}
	in.Licence = r.concept(ix.objects(s, rdf.DCT+"license"), catalogue.SchemeLicence, "dct:license", warn)
	in.Status = r.concept(ix.objects(s, rdf.ADMS+"status"), catalogue.SchemeStatus, "adms:status", warn)

	in.Concepts = map[catalogue.Scheme][]string{}
	named := map[string]bool{} // hub:conceptCode: which of two concepts sharing a URI is meant
	for _, o := range ix.objects(s, HUB+"conceptCode") {
		named[o.Value] = true
	}
	r.concepts(in, named, ix.objects(s, rdf.DCAT+"theme"), "dcat:theme", warn, catalogue.SchemeTheme)
	r.concepts(in, named, ix.objects(s, rdf.DCT+"subject"), "dct:subject", warn, catalogue.SchemeLayer, catalogue.SchemePrinciple)
	r.concepts(in, named, ix.objects(s, rdf.DCT+"spatial"), "dct:spatial", warn, catalogue.SchemeCountry)
	r.concepts(in, named, ix.objects(s, rdf.DCT+"language"), "dct:language", warn, catalogue.SchemeLanguage)

	if t, ok := r.time(ix, s, rdf.DCT+"issued", "dct:issued", warn); ok {
		in.CreatedAt = t
	}
	if t, ok := r.time(ix, s, rdf.DCT+"modified", "dct:modified", warn); ok {
		in.UpdatedAt = t
	}
	if t, ok := r.time(ix, s, HUB+"lastReviewed", "hub:lastReviewed", warn); ok {
		in.LastReviewedAt = &t
	}

	for _, cp := range ix.objects(s, rdf.DCAT+"contactPoint") {
		c := catalogue.Contact{Name: firstNonEmpty(ix.first(cp, rdf.VCARD+"fn"), ix.first(cp, rdf.VCARD+"organization-name"))}
		for _, e := range ix.objects(cp, rdf.VCARD+"hasEmail") {
			if addr := strings.TrimPrefix(e.Value, "mailto:"); e.IsIRI() && rdf.ValidIRI(e.Value) && strings.Contains(addr, "@") {
				c.Email = addr
			} else {
				warn("vcard:hasEmail", "%q is not an e-mail address (mailto:…): left out", e.Value)
			}
		}
		for _, u := range ix.objects(cp, rdf.VCARD+"hasURL") {
			if u.IsIRI() && isWebURL(u.Value) {
				c.URL = u.Value
			} else {
				warn("vcard:hasURL", "%q is not a web address (http or https): left out", u.Value)
			}
		}
		if c.Name == "" {
			c.Name = firstNonEmpty(c.Email, c.URL)
		}
		if c.Name == "" {
			warn("dcat:contactPoint", "a contact point without a name, e-mail or web address was left out")
			continue
		}
		in.Contacts = append(in.Contacts, c)
	}

	for _, v := range ix.objects(s, rdf.DCT+"hasVersion") {
		in.Releases = append(in.Releases, r.release(ix, v, ix.first(v, rdf.OWL+"versionInfo"), warn))
	}
	if dists := ix.objects(s, rdf.DCAT+"distribution"); len(dists) > 0 {
		// Distributions on the asset itself: its current release.
		rel := r.release(ix, s, firstNonEmpty(ix.first(s, rdf.OWL+"versionInfo"), "current"), warn)
		rel.Date, rel.Notes = nil, ""
		in.Releases = append(in.Releases, rel)
	}
	for _, u := range ix.objects(s, HUB+"usedBy") {
		orgs := ix.objects(u, HUB+"organisation")
		if len(orgs) == 0 {
			continue
		}
		org, ok := r.organisation(ix, orgs[0])
		if !ok {
			warn("hub:usedBy", "a reuser without a name was left out")
			continue
		}
		a.Organisations = append(a.Organisations, org)
		since, _ := strconv.Atoi(ix.first(u, HUB+"since"))
		in.Reuses = append(in.Reuses, catalogue.ReuseInput{Organisation: org.Slug, Since: since, Note: ix.first(u, HUB+"note")})
	}
	if in.Kind == catalogue.KindPractice {
		p := &catalogue.Practice{Level: ix.first(s, HUB+"level")}
		if cs := ix.objects(s, HUB+"country"); len(cs) > 0 {
			p.Country, _ = r.vocab.Code(catalogue.SchemeCountry, cs[0].Value)
		}
		if cs := ix.objects(s, HUB+"sector"); len(cs) > 0 {
			p.Sector, _ = r.vocab.Code(catalogue.SchemeTheme, cs[0].Value)
		}
		p.Year, _ = strconv.Atoi(ix.first(s, HUB+"year"))
		if *p != (catalogue.Practice{}) {
			in.Practice = p
		}
	}
	return a
}

// kindOf tells an asset's kind: this site's own address says it; else
// its dct:type or schema.org class; else it is a solution.
func (r *Reader) kindOf(ix index, s rdf.Term) catalogue.Kind {
	if kind, _, ok := r.parseEntry(s.Value); ok {
		return kind
	}
	types := append(ix.objects(s, rdf.DCT+"type"), ix.objects(s, rdf.RDFNS+"type")...)
	for _, t := range types {
		switch t.Value {
		case kindTypes[catalogue.KindCourse].dctType, rdf.SCHEMA + "Course":
			return catalogue.KindCourse
		case kindTypes[catalogue.KindPractice].dctType, rdf.SCHEMA + "CreativeWork":
			return catalogue.KindPractice
		case kindTypes[catalogue.KindStandard].dctType:
			return catalogue.KindStandard
		}
	}
	return catalogue.KindSolution
}

// slugOf is the entry's slug: this site's own address, a dct:identifier
// that is a valid slug, or the English (else first) title's.
func (r *Reader) slugOf(ix index, s rdf.Term, ts []catalogue.Translation) string {
	if _, slug, ok := r.parseEntry(s.Value); ok {
		return slug
	}
	if id := ix.first(s, rdf.DCT+"identifier"); slugPattern.MatchString(id) && len(id) <= 120 {
		return id
	}
	for _, t := range ts {
		if t.Lang == "en" {
			return Slugify(t.Title)
		}
	}
	if len(ts) > 0 {
		return Slugify(ts[0].Title)
	}
	return ""
}

// Slugify turns a name into a slug: folded to ASCII letters and digits
// joined by hyphens, at most 80 characters; "" when nothing is left.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range catalogue.Fold(name) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// lang is a literal's language among the hub's, "en" for an untagged one;
// "" (with a warning) for a language the hub does not show.
func (r *Reader) lang(o rdf.Term, prop string, warn func(string, string, ...any)) string {
	if !o.IsLiteral() {
		warn(prop, "%s is not text: left out", o)
		return ""
	}
	if o.Lang == "" {
		return "en"
	}
	base, _, _ := strings.Cut(o.Lang, "-")
	if !catalogue.IsLanguage(base) {
		warn(prop, "text in language %q, which the hub does not show: left out", o.Lang)
		return ""
	}
	return base
}

// organisation reads a foaf:Agent; false when it has no name.
func (r *Reader) organisation(ix index, o rdf.Term) (catalogue.Organisation, bool) {
	name := firstNonEmpty(ix.first(o, rdf.FOAF+"name"), ix.first(o, rdf.SKOS+"prefLabel"), ix.first(o, rdf.RDFS+"label"))
	if name == "" {
		return catalogue.Organisation{}, false
	}
	org := catalogue.Organisation{Name: name}
	if slug, ok := strings.CutPrefix(o.Value, r.Base+"/organisations/"); ok && slugPattern.MatchString(slug) {
		org.Slug = slug
	} else if id := ix.first(o, rdf.DCT+"identifier"); slugPattern.MatchString(id) {
		org.Slug = id
	} else {
		org.Slug = Slugify(name)
	}
	if ts := ix.objects(o, rdf.DCT+"type"); len(ts) > 0 {
		org.Type, _ = r.vocab.Code(catalogue.SchemeOwnerType, ts[0].Value)
	}
	if cs := ix.objects(o, rdf.DCT+"spatial"); len(cs) > 0 {
		org.Country, _ = r.vocab.Code(catalogue.SchemeCountry, cs[0].Value)
	}
	for _, h := range ix.objects(o, rdf.FOAF+"homepage") {
		if isWebURL(h.Value) {
			org.Website = h.Value
		}
	}
	return org, org.Slug != ""
}

// concept is the code of the first object that names a concept of scheme.
func (r *Reader) concept(objs []rdf.Term, scheme catalogue.Scheme, prop string, warn func(string, string, ...any)) string {
	for _, o := range objs {
		if code, ok := r.vocab.Code(scheme, o.Value); ok {
			return code
		}
		warn(prop, "%s is not in the hub's %s vocabulary: left out", o.Value, scheme)
	}
	return ""
}

// concepts adds the codes of objs found in one of the schemes. A URI the
// vocabulary gives to several concepts is read as those named in named
// ("theme:geospatial"), else as the first, with a warning.
func (r *Reader) concepts(in *catalogue.EntryInput, named map[string]bool, objs []rdf.Term, prop string, warn func(string, string, ...any), schemes ...catalogue.Scheme) {
	add := func(scheme catalogue.Scheme, code string) {
		if !slices.Contains(in.Concepts[scheme], code) {
			in.Concepts[scheme] = append(in.Concepts[scheme], code)
		}
	}
	for _, o := range objs {
		found := false
		for _, scheme := range schemes {
			codes := r.vocab.Codes(scheme, o.Value)
			if len(codes) == 0 {
				continue
			}
			found = true
			var chosen []string
			for _, code := range codes {
				if named[string(scheme)+":"+code] {
					chosen = append(chosen, code)
				}
			}
			if len(chosen) == 0 {
				chosen = codes[:1]
				if len(codes) > 1 {
					warn(prop, "%s names several concepts of the %s vocabulary (%s): read as %s", o.Value, scheme, strings.Join(codes, ", "), codes[0])
				}
			}
			for _, code := range chosen {
				add(scheme, code)
			}
			break
		}
		if !found {
			warn(prop, "%s is not in the hub's vocabularies: left out", o.Value)
		}
	}
}

// time reads an xsd:date or xsd:dateTime.
func (r *Reader) time(ix index, s rdf.Term, p, prop string, warn func(string, string, ...any)) (time.Time, bool) {
	v := ix.first(s, p)
	if v == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	warn(prop, "%q is not a date (YYYY-MM-DD) or date and time: left out", v)
	return time.Time{}, false
}

// release reads a release (or an asset's own distributions).
func (r *Reader) release(ix index, v rdf.Term, version string, warn func(string, string, ...any)) catalogue.Release {
	rel := catalogue.Release{Version: firstNonEmpty(version, "current"), Notes: ix.first(v, rdf.ADMS+"versionNotes")}
	if t, ok := r.time(ix, v, rdf.DCT+"issued", "dct:issued", warn); ok {
		rel.Date = &t
	}
	for _, d := range ix.objects(v, rdf.DCAT+"distribution") {
		access := firstNonEmpty(termValue(ix.objects(d, rdf.DCAT+"accessURL")), termValue(ix.objects(d, rdf.DCAT+"downloadURL")))
		if !isWebURL(access) {
			warn("dcat:accessURL", "a distribution without a web address (dcat:accessURL) was left out")
			continue
		}
		dist := catalogue.Distribution{Title: firstNonEmpty(ix.first(d, rdf.DCT+"title"), access), URL: access,
			MediaType: firstNonEmpty(ix.first(d, rdf.DCAT+"mediaType"), mediaTypeOf(ix.objects(d, rdf.DCAT+"mediaType")))}
		dist.Licence = r.concept(ix.objects(d, rdf.DCT+"license"), catalogue.SchemeLicence, "dct:license", warn)
		rel.Distributions = append(rel.Distributions, dist)
	}
	return rel
}

func termValue(ts []rdf.Term) string {
	if len(ts) == 0 {
		return ""
	}
	return ts[0].Value
}

// mediaTypeOf reads an IANA media type IRI
// (http://www.iana.org/assignments/media-types/application/zip).
func mediaTypeOf(ts []rdf.Term) string {
	for _, t := range ts {
		if _, mt, ok := strings.Cut(t.Value, "/media-types/"); ok && t.IsIRI() {
			return mt
		}
	}
	return ""
}

// isWebURL reports whether s is an http(s) address that every RDF syntax
// can write back.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && rdf.ValidIRI(s)
}

// shorten cuts text to at most n characters at a sentence or word end.
func shorten(text string, n int) string {
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	cut := string(runes[:n])
	if i := strings.LastIndex(cut, ". "); i > n/3 {
		return cut[:i+1]
	}
	if i := strings.LastIndex(cut, " "); i > 0 {
		cut = cut[:i]
	}
	return cut + "…"
}

func sortedLangs(m map[string]*catalogue.Translation) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
