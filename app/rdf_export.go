package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"interophub/adms"
	"interophub/catalogue"
	"interophub/rdf"
)

// rdfByMediaType are the formats an Accept header can ask for.
var rdfMediaTypes = func() []string {
	out := []string{fiber.MIMETextHTML}
	for _, f := range rdf.Formats {
		out = append(out, f.MediaType())
	}
	return out
}()

// acceptedRDF is the RDF format the request's Accept header prefers to
// HTML, if any.
func acceptedRDF(c *fiber.Ctx) (rdf.Format, bool) {
	if c.Get(fiber.HeaderAccept) == "" {
		return "", false
	}
	best := c.Accepts(rdfMediaTypes...)
	for _, f := range rdf.Formats {
		if best == f.MediaType() {
			return f, true
		}
	}
	return "", false
}

// rdfSuffix splits "x-road.ttl" into "x-road" and Turtle.
func rdfSuffix(name string) (string, rdf.Format, bool) {
	for _, f := range rdf.Formats {
		if base, ok := strings.CutSuffix(name, f.Extension()); ok && base != "" {
			return base, f, true
		}
	}
	return name, "", false
}

// encodeRDF writes triples in format f with the export prefixes.
func encodeRDF(f rdf.Format, triples []rdf.Triple) ([]byte, error) {
	var buf bytes.Buffer
	if err := rdf.Write(&buf, f, triples, adms.Prefixes); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sendRDF answers with an RDF document in format f, readable from any
// site.
func sendRDF(c *fiber.Ctx, f rdf.Format, data []byte) error {
	c.Set(fiber.HeaderContentType, f.MediaType()+"; charset=utf-8")
	c.Set("Access-Control-Allow-Origin", "*")
	return c.Send(data)
}

// exportCache keeps the last whole-catalogue document of each format
// with the catalogue state it was built from: harvesters ask often, the
// catalogue changes rarely, and building it reads every entry.
type exportCache struct {
	mu   sync.Mutex // held while a document is built: one build at a time
	docs map[rdf.Format]cachedExport
}

type cachedExport struct {
	version string
	data    []byte
}

// catalogueRDF is /catalogue.ttl (.rdf, .jsonld, .nt): every public
// entry as ADMS-AP / DCAT-AP, the whole catalogue for harvesters.
func (s *server) catalogueRDF(c *fiber.Ctx) error {
	_, f, ok := rdfSuffix("catalogue" + "." + c.Params("ext"))
	if !ok {
		return fiber.ErrNotFound
	}
	s.exports.mu.Lock()
	defer s.exports.mu.Unlock()
	version, err := s.cat.PublicVersion(c.UserContext())
	if err != nil {
		return err
	}
	doc, ok := s.exports.docs[f]
	if !ok || doc.version != version {
		entries, err := s.cat.AllPublicEntries(c.UserContext())
		if err != nil {
			return err
		}
		data, err := encodeRDF(f, s.rdf.Catalogue("Interop Hub", adms.LatestUpdate(entries), entries))
		if err != nil {
			return err
		}
		doc = cachedExport{version: version, data: data}
		if s.exports.docs == nil {
			s.exports.docs = map[rdf.Format]cachedExport{}
		}
		s.exports.docs[f] = doc
	}
	sum := sha256.Sum256([]byte(version))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Set(fiber.HeaderETag, etag)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		c.Set("Access-Control-Allow-Origin", "*")
		return c.SendStatus(fiber.StatusNotModified) // a harvester that has it already
	}
	return sendRDF(c, f, doc.data)
}

// entryURI is an entry's language-neutral address (/solutions/x-road, the
// subject of its RDF): RDF for a client that asks for it, else a redirect
// to the page in the browser's language.
func (s *server) entryURI(kind catalogue.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if done, err := s.entryRDF(c, kind); done {
			return err
		}
		c.Vary(fiber.HeaderAcceptLanguage)
		lang := s.i18n.Negotiate(c.Get(fiber.HeaderAcceptLanguage))
		return c.Redirect("/"+lang+"/"+kind.Plural()+"/"+c.Params("slug"), fiber.StatusSeeOther)
	}
}

// entryRDF answers an entry page asked for as RDF (by suffix or Accept);
// false when the request wants the page.
func (s *server) entryRDF(c *fiber.Ctx, kind catalogue.Kind) (bool, error) {
	slug, f, ok := rdfSuffix(c.Params("slug"))
	if !ok {
		if f, ok = acceptedRDF(c); !ok {
			c.Vary(fiber.HeaderAccept)
			return false, nil
		}
	}
	e, err := s.cat.EntryBySlug(c.UserContext(), kind, slug)
	if err != nil {
		return true, err
	}
	data, err := encodeRDF(f, s.rdf.Entry(e))
	if err != nil {
		return true, err
	}
	c.Vary(fiber.HeaderAccept)
	return true, sendRDF(c, f, data)
}
