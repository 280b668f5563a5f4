package rdf

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RDF/XML reader, after the W3C Recommendation "RDF 1.1 XML Syntax"
// (2014), section 7 (the grammar). It walks encoding/xml's token stream
// with recursive descent: node elements hold property elements, which
// hold text, one node element, or (rdf:parseType) a resource body, an XML
// literal or a collection.
//
// Supported: rdf:RDF root or a single node element as the root; rdf:about,
// rdf:ID, rdf:nodeID and anonymous node elements; typed node elements;
// property attributes (rdf:type as an IRI); rdf:resource, rdf:nodeID,
// rdf:datatype, xml:lang (inherited, "" resets) and xml:base on any
// element; rdf:parseType Resource, Literal (other values read as Literal)
// and Collection; empty property elements with property attributes;
// rdf:li numbering; rdf:ID on property elements (reification triples);
// character references, CDATA sections and general entities declared in
// the DOCTYPE's internal subset (plain text values only).
//
// Not supported or limited: external entities and parameter entities;
// attribute values are not whitespace-normalised (a literal tab or line
// break in an attribute is kept as is); XML literals are canonicalised the
// way exclusive C14N would for ordinary content, but when one namespace
// has several prefixes in scope the prefix written may differ from the
// document's; unqualified attributes other than the legacy ID, about,
// resource, parseType and type are refused, as raptor does. Comments in
// XML literals are kept as written (raptor pads them with spaces).
//
// Where raptor 2.0.15 differs, the spec is followed: property attributes
// take the xml:lang in scope, and document blank node labels never merge
// with generated ones (a document's "genid1" is read as "genid_genid1";
// generated nodes are genid1, genid2...).

// rxMaxDepth caps the nesting of XML elements.
const rxMaxDepth = 64

const (
	rxXMLNS       = "http://www.w3.org/XML/1998/namespace"
	rxXMLLiteral  = RDFNS + "XMLLiteral"
	rxMaxEntities = 256
	rxMaxEntity   = 512 // bytes of one entity's replacement text
)

// rxReader is the state of one ReadRDFXML call.
type rxReader struct {
	d         *xml.Decoder
	line, col int                 // where the last token started
	depth     int                 // open elements
	ns        []map[string]string // prefix -> namespace declared on each open element
	out       []Triple
	blanks    int
	ids       map[string]bool // rdf:ID IRIs already used
	entities  map[string]string
}

// rxScope is what an element inherits: its base IRI and language.
type rxScope struct{ base, lang string }

// rxElem is a start tag with its xml:* attributes applied.
type rxElem struct {
	iri   string
	attrs []xml.Attr // RDF and property attributes, in document order
	scope rxScope
}

// ReadRDFXML parses RDF/XML; base resolves relative IRIs.
func ReadRDFXML(r io.Reader, base string) ([]Triple, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	rd := &rxReader{d: d, ids: map[string]bool{}, entities: map[string]string{}}
	d.Entity = rd.entities
	if err := rd.document(rxScope{base: base}); err != nil {
		return nil, err
	}
	return rd.out, nil
}

func (r *rxReader) errf(format string, args ...any) error {
	return fmt.Errorf("rdf/xml: line %d, column %d: %s", r.line, r.col, fmt.Sprintf(format, args...))
}

// textErrf is errf at the first character of text that is not blank.
func (r *rxReader) textErrf(text []byte, format string, args ...any) error {
	for _, c := range text {
		if c == '\n' {
			r.line, r.col = r.line+1, 1
		} else if c == ' ' || c == '\t' || c == '\r' {
			r.col++
		} else {
			break
		}
	}
	return r.errf(format, args...)
}

// next is the next token (copied), keeping depth and namespaces.
func (r *rxReader) next() (xml.Token, error) {
	r.line, r.col = r.d.InputPos()
	tok, err := r.d.Token()
	if err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("rdf/xml: line %d: %s", se.Line, se.Msg)
		}
		if err == io.EOF {
			return nil, err
		}
		return nil, fmt.Errorf("rdf/xml: line %d: %w", r.line, err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		r.depth++
		if r.depth > rxMaxDepth {
			return nil, r.errf("elements are nested more than %d deep", rxMaxDepth)
		}
		var decl map[string]string
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
				if decl == nil {
					decl = map[string]string{}
				}
				if a.Name.Space == "xmlns" {
					decl[a.Name.Local] = a.Value
				} else {
					decl[""] = a.Value
				}
			}
		}
		r.ns = append(r.ns, decl)
		if t.Name.Space != "" && !r.declared(t.Name.Space) {
			return nil, r.errf("namespace prefix %q of <%s:%s> is not declared", t.Name.Space, t.Name.Space, t.Name.Local)
		}
		for _, a := range t.Attr {
			if a.Name.Space != "" && a.Name.Space != "xmlns" && !r.declared(a.Name.Space) {
				return nil, r.errf("namespace prefix %q of attribute %s:%s is not declared", a.Name.Space, a.Name.Space, a.Name.Local)
			}
		}
		return t.Copy(), nil
	case xml.EndElement:
		r.depth--
		if len(r.ns) > 0 {
			r.ns = r.ns[:len(r.ns)-1]
		}
	case xml.CharData:
		return t.Copy(), nil
	case xml.Comment:
		return t.Copy(), nil
	case xml.ProcInst:
		return t.Copy(), nil
	case xml.Directive:
		return t.Copy(), nil
	}
	return tok, nil
}

// declared tells whether a namespace name is bound by a declaration in
// scope (Token leaves an undeclared prefix as the name's Space).
func (r *rxReader) declared(space string) bool {
	if space == rxXMLNS {
		return true
	}
	for _, m := range r.ns {
		for _, v := range m {
			if v == space {
				return true
			}
		}
	}
	return false
}

// document reads the prolog, the root element and the epilog.
func (r *rxReader) document(sc rxScope) error {
	root := false
	for {
		tok, err := r.next()
		if err == io.EOF {
			if !root {
				return r.errf("the document has no root element")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root {
				return r.errf("a second root element <%s> after the first one", t.Name.Local)
			}
			root = true
			if t.Name.Space == RDFNS && t.Name.Local == "RDF" {
				err = r.rdfRoot(t, sc)
			} else {
				_, err = r.nodeElement(t, sc)
			}
			if err != nil {
				return err
			}
		case xml.CharData:
			if !rxBlank(t) {
				return r.textErrf(t, "text outside the root element")
			}
		case xml.Directive:
			if root {
				return r.errf("a DOCTYPE after the root element")
			}
			if err := r.doctype(string(t)); err != nil {
				return err
			}
		}
	}
}

// rdfRoot reads rdf:RDF: node elements separated by white space.
func (r *rxReader) rdfRoot(se xml.StartElement, sc rxScope) error {
	e, err := r.open(se, sc)
	if err != nil {
		return err
	}
	if len(e.attrs) > 0 {
		return r.errf("rdf:RDF does not take the attribute %s", rxAttrName(e.attrs[0]))
	}
	for {
		tok, err := r.next()
		if err != nil {
			return r.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if _, err := r.nodeElement(t, e.scope); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if !rxBlank(t) {
				return r.textErrf(t, "text %q inside rdf:RDF, where only node elements may be", rxShort(string(t)))
			}
		}
	}
}

// eof turns an end of input inside an element into an error.
func (r *rxReader) eof(err error) error {
	if err == io.EOF {
		return r.errf("the document ends inside an element")
	}
	return err
}

// open applies an element's xml:base and xml:lang and checks its names.
func (r *rxReader) open(se xml.StartElement, sc rxScope) (rxElem, error) {
	if se.Name.Space == "" {
		return rxElem{}, r.errf("element <%s> has no namespace", se.Name.Local)
	}
	if !rxIsNCName(se.Name.Local) {
		return rxElem{}, r.errf("element name %q is not an XML name without colons", se.Name.Local)
	}
	e := rxElem{iri: se.Name.Space + se.Name.Local, scope: sc}
	seen := map[xml.Name]bool{}
	for _, a := range se.Attr {
		if seen[a.Name] {
			return rxElem{}, r.errf("attribute %s appears twice", rxAttrName(a))
		}
		seen[a.Name] = true
		switch {
		case a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns":
			continue
		case a.Name.Space == rxXMLNS:
			switch a.Name.Local {
			case "lang":
				if a.Value != "" && !isLangTag(a.Value) {
					return rxElem{}, r.errf("xml:lang %q is not a language tag", a.Value)
				}
				e.scope.lang = a.Value
			case "base":
				e.scope.base = resolveIRI(sc.base, a.Value)
			}
			continue
		case a.Name.Space == "":
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "xml") {
				continue // reserved for XML
			}
			switch a.Name.Local {
			case "ID", "about", "resource", "parseType", "type":
				a.Name.Space = RDFNS // legacy unqualified RDF attributes
			default:
				return rxElem{}, r.errf("attribute %q has no namespace", a.Name.Local)
			}
		}
		if !rxIsNCName(a.Name.Local) {
			return rxElem{}, r.errf("attribute name %q is not an XML name without colons", a.Name.Local)
		}
		e.attrs = append(e.attrs, a)
	}
	return e, nil
}

// The RDF names the grammar treats specially.
var (
	rxCore = map[string]bool{"RDF": true, "ID": true, "about": true, "parseType": true,
		"resource": true, "nodeID": true, "datatype": true}
	rxOld = map[string]bool{"aboutEach": true, "aboutEachPrefix": true, "bagID": true}
)

// rxForbidden tells whether iri is an RDF syntax name not allowed where
// the grammar wants a node element ("node"), a property element ("prop")
// or a property attribute ("attr").
func rxForbidden(iri, where string) bool {
	local, ok := strings.CutPrefix(iri, RDFNS)
	if !ok {
		return false
	}
	if rxCore[local] || rxOld[local] {
		return true
	}
	switch where {
	case "node":
		return local == "li"
	case "prop":
		return local == "Description"
	}
	return local == "li" || local == "Description"
}

func (r *rxReader) fresh() Term {
	r.blanks++
	return Blank("genid" + strconv.Itoa(r.blanks))
}

// docBlank is the term of a document's rdf:nodeID; labels that look like
// generated ones are renamed so that they never collide.
func (r *rxReader) docBlank(label string) (Term, error) {
	if !rxIsNCName(label) {
		return Term{}, r.errf("rdf:nodeID %q is not an XML name", label)
	}
	if strings.HasPrefix(label, "genid") {
		label = "genid_" + label
	}
	return Blank(label), nil
}

// rdfID is the IRI of an rdf:ID, which must be new in the document.
func (r *rxReader) rdfID(id string, sc rxScope) (Term, error) {
	if !rxIsNCName(id) {
		return Term{}, r.errf("rdf:ID %q is not an XML name", id)
	}
	iri := resolveIRI(sc.base, "#"+id)
	if r.ids[iri] {
		return Term{}, r.errf("rdf:ID %q is used twice (%s)", id, iri)
	}
	r.ids[iri] = true
	return IRI(iri), nil
}

func (r *rxReader) emit(s, p, o Term) { r.out = append(r.out, Triple{s, p, o}) }

// literal is a property attribute's or text's plain literal.
func rxLiteral(v string, sc rxScope) Term {
	if sc.lang != "" {
		return LangString(v, sc.lang)
	}
	return String(v)
}

// nodeElement reads a node element and returns its subject.
func (r *rxReader) nodeElement(se xml.StartElement, sc rxScope) (Term, error) {
	e, err := r.open(se, sc)
	if err != nil {
		return Term{}, err
	}
	if rxForbidden(e.iri, "node") {
		return Term{}, r.errf("%s cannot be a node element", e.iri)
	}
	var subj Term
	var props []xml.Attr
	for _, a := range e.attrs {
		iri := a.Name.Space + a.Name.Local
		var t Term
		switch iri {
		case RDFNS + "about":
			t = IRI(resolveIRI(e.scope.base, a.Value))
		case RDFNS + "ID":
			if t, err = r.rdfID(a.Value, e.scope); err != nil {
				return Term{}, err
			}
		case RDFNS + "nodeID":
			if t, err = r.docBlank(a.Value); err != nil {
				return Term{}, err
			}
		default:
			if rxForbidden(iri, "attr") {
				return Term{}, r.errf("%s is not allowed on a node element", rxAttrName(a))
			}
			props = append(props, a)
			continue
		}
		if subj.Kind != 0 {
			return Term{}, r.errf("a node element takes only one of rdf:about, rdf:ID and rdf:nodeID")
		}
		subj = t
	}
	if subj.Kind == 0 {
		subj = r.fresh()
	}
	if e.iri != RDFNS+"Description" {
		r.emit(subj, Type, IRI(e.iri))
	}
	r.propertyAttrs(subj, props, e.scope)
	return subj, r.propertyElements(subj, e.scope)
}

// propertyAttrs emits the triples of property attributes.
func (r *rxReader) propertyAttrs(subj Term, attrs []xml.Attr, sc rxScope) {
	for _, a := range attrs {
		iri := a.Name.Space + a.Name.Local
		if iri == RDFNS+"type" {
			r.emit(subj, Type, IRI(resolveIRI(sc.base, a.Value)))
		} else {
			r.emit(subj, IRI(iri), rxLiteral(a.Value, sc))
		}
	}
}

// propertyElements reads property elements up to the parent's end tag.
func (r *rxReader) propertyElements(subj Term, sc rxScope) error {
	li := 0
	for {
		tok, err := r.next()
		if err != nil {
			return r.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := r.propertyElement(t, sc, subj, &li); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if !rxBlank(t) {
				return r.textErrf(t, "text %q where a property element was expected", rxShort(string(t)))
			}
		}
	}
}

// propertyElement reads one property element of subj.
func (r *rxReader) propertyElement(se xml.StartElement, sc rxScope, subj Term, li *int) error {
	e, err := r.open(se, sc)
	if err != nil {
		return err
	}
	if rxForbidden(e.iri, "prop") {
		return r.errf("%s cannot be a property element", e.iri)
	}
	pred := IRI(e.iri)
	if e.iri == RDFNS+"li" {
		*li++
		pred = IRI(RDFNS + "_" + strconv.Itoa(*li))
	}
	line, col := r.line, r.col
	var id, parseType, resource, nodeID, datatype *xml.Attr
	var props []xml.Attr
	for i, a := range e.attrs {
		switch a.Name.Space + a.Name.Local {
		case RDFNS + "ID":
			id = &e.attrs[i]
		case RDFNS + "parseType":
			parseType = &e.attrs[i]
		case RDFNS + "resource":
			resource = &e.attrs[i]
		case RDFNS + "nodeID":
			nodeID = &e.attrs[i]
		case RDFNS + "datatype":
			datatype = &e.attrs[i]
		default:
			if rxForbidden(a.Name.Space+a.Name.Local, "attr") {
				return r.errf("%s is not allowed on a property element", rxAttrName(a))
			}
			props = append(props, a)
		}
	}
	var stmt Term
	if id != nil {
		if stmt, err = r.rdfID(id.Value, e.scope); err != nil {
			return err
		}
	}
	emit := func(o Term) {
		r.emit(subj, pred, o)
		if id != nil {
			r.emit(stmt, Type, IRI(RDFNS+"Statement"))
			r.emit(stmt, IRI(RDFNS+"subject"), subj)
			r.emit(stmt, IRI(RDFNS+"predicate"), pred)
			r.emit(stmt, IRI(RDFNS+"object"), o)
		}
	}
	if parseType != nil {
		if resource != nil || nodeID != nil || datatype != nil || len(props) > 0 {
			return r.errf("rdf:parseType cannot be combined with rdf:resource, rdf:nodeID, rdf:datatype or property attributes")
		}
		switch parseType.Value {
		case "Resource":
			n := r.fresh()
			emit(n)
			return r.propertyElements(n, e.scope)
		case "Collection":
			items, err := r.collection(e.scope)
			if err != nil {
				return err
			}
			emit(r.list(items))
			return nil
		}
		lit, err := r.xmlLiteral()
		if err != nil {
			return err
		}
		emit(Typed(lit, rxXMLLiteral))
		return nil
	}

	// Text, one node element, or nothing.
	var text strings.Builder
	var node *Term
	for done := false; !done; {
		tok, err := r.next()
		if err != nil {
			return r.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if node != nil {
				return r.errf("a property element holds more than one node element")
			}
			if !rxBlank([]byte(text.String())) {
				return r.errf("a property element holds both text and a node element")
			}
			n, err := r.nodeElement(t, e.scope)
			if err != nil {
				return err
			}
			node = &n
		case xml.CharData:
			if node != nil && !rxBlank(t) {
				return r.errf("a property element holds both text and a node element")
			}
			text.Write(t)
		case xml.EndElement:
			done = true
		}
	}
	r.line, r.col = line, col // report the start tag from here on
	switch {
	case node != nil:
		if resource != nil || nodeID != nil || datatype != nil || len(props) > 0 {
			return r.errf("a property element holding a node element takes no rdf:resource, rdf:nodeID, rdf:datatype or property attributes")
		}
		emit(*node)
	case resource != nil || nodeID != nil || len(props) > 0:
		if !rxBlank([]byte(text.String())) {
			return r.errf("a property element with rdf:resource, rdf:nodeID or property attributes cannot hold text")
		}
		if datatype != nil {
			return r.errf("rdf:datatype cannot be combined with rdf:resource, rdf:nodeID or property attributes")
		}
		var o Term
		switch {
		case resource != nil && nodeID != nil:
			return r.errf("a property element takes rdf:resource or rdf:nodeID, not both")
		case resource != nil:
			o = IRI(resolveIRI(e.scope.base, resource.Value))
		case nodeID != nil:
			if o, err = r.docBlank(nodeID.Value); err != nil {
				return err
			}
		default:
			o = r.fresh()
		}
		emit(o)
		r.propertyAttrs(o, props, e.scope)
	case datatype != nil:
		emit(Typed(text.String(), resolveIRI(e.scope.base, datatype.Value)))
	default:
		emit(rxLiteral(text.String(), e.scope))
	}
	return nil
}

// collection reads the node elements of rdf:parseType="Collection".
func (r *rxReader) collection(sc rxScope) ([]Term, error) {
	var items []Term
	for {
		tok, err := r.next()
		if err != nil {
			return nil, r.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n, err := r.nodeElement(t, sc)
			if err != nil {
				return nil, err
			}
			items = append(items, n)
		case xml.EndElement:
			return items, nil
		case xml.CharData:
			if !rxBlank(t) {
				return nil, r.textErrf(t, "text %q in a collection, where only node elements may be", rxShort(string(t)))
			}
		}
	}
}

// list emits an RDF list of items and returns its head.
func (r *rxReader) list(items []Term) Term { return emitList(items, r.fresh, r.emit) }

// rxBlank tells whether text is XML white space only.
func rxBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func rxShort(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "..."
	}
	return s
}

func rxAttrName(a xml.Attr) string {
	if local, ok := strings.CutPrefix(a.Name.Space+a.Name.Local, RDFNS); ok && a.Name.Space == RDFNS {
		return "rdf:" + local
	}
	if a.Name.Space == "" {
		return a.Name.Local
	}
	return a.Name.Space + a.Name.Local
}
