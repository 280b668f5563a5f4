package app

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
	"interophub/catalogue"
)

// sitemapSize is how many pages (each in every language) one sitemap file
// lists: 200 x 25 languages stays well under the protocol's 50,000 URLs.
const sitemapSize = 200

// sitemapPages are the site's own pages, listed in the first sitemap.
var sitemapPages = []string{"/", "/solutions", "/standards", "/practices", "/courses", "/about", "/publish"}

type sitemapIndexXML struct {
	XMLName  xml.Name        `xml:"sitemapindex"`
	NS       string          `xml:"xmlns,attr"`
	Sitemaps []sitemapRefXML `xml:"sitemap"`
}

type sitemapRefXML struct {
	Loc string `xml:"loc"`
}

type urlsetXML struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	XHTML   string   `xml:"xmlns:xhtml,attr"`
	URLs    []urlXML `xml:"url"`
}

type urlXML struct {
	Loc     string         `xml:"loc"`
	LastMod string         `xml:"lastmod,omitempty"`
	Links   []alternateXML `xml:"xhtml:link"`
}

type alternateXML struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// robots lets crawlers in, keeps them out of the endless search result
// pages and points them to the sitemap.
func (s *server) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Type("txt", "utf-8")
	return c.SendString("User-agent: *\nDisallow: /*/search\n\nSitemap: " + s.baseURL + "/sitemap.xml\n")
}

// sitemapIndex lists the sitemap files; there are as many as the public
// entries need.
func (s *server) sitemapIndex(c *fiber.Ctx) error {
	counts, err := s.cat.CountByKind(c.UserContext())
	if err != nil {
		return err
	}
	var total int64
	for _, n := range counts {
		total += n
	}
	pages := max(1, int((total+sitemapSize-1)/sitemapSize))
	index := sitemapIndexXML{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for p := 1; p <= pages; p++ {
		index.Sitemaps = append(index.Sitemaps, sitemapRefXML{Loc: fmt.Sprintf("%s/sitemaps/%d.xml", s.baseURL, p)})
	}
	return s.sendXML(c, index)
}

// sitemapPage lists one slice of the public entries, each in every
// language with its hreflang alternates; the first also lists the site's
// own pages and the organisations.
func (s *server) sitemapPage(c *fiber.Ctx) error {
	page, err := c.ParamsInt("page")
	if err != nil || page < 1 {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	entries, err := s.cat.EntryLocators(ctx, (page-1)*sitemapSize, sitemapSize)
	if err != nil {
		return err
	}
	var locs []catalogue.Locator
	if page == 1 {
		for _, p := range sitemapPages {
			locs = append(locs, catalogue.Locator{Slug: p})
		}
		orgs, err := s.cat.OrganisationLocators(ctx)
		if err != nil {
			return err
		}
		locs = append(locs, orgs...)
	} else if len(entries) == 0 {
		return fiber.ErrNotFound
	}
	locs = append(locs, entries...)

	set := urlsetXML{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	for _, l := range locs {
		path := sitemapPath(l)
		var lastmod string
		if !l.UpdatedAt.IsZero() {
			lastmod = l.UpdatedAt.UTC().Format("2006-01-02")
		}
		links := make([]alternateXML, 0, len(i18n.Languages)+1)
		for _, lang := range i18n.Languages {
			links = append(links, alternateXML{Rel: "alternate", Hreflang: lang, Href: s.baseURL + "/" + lang + path})
		}
		links = append(links, alternateXML{Rel: "alternate", Hreflang: "x-default", Href: s.baseURL + "/" + i18n.Fallback + path})
		for _, lang := range i18n.Languages {
			set.URLs = append(set.URLs, urlXML{Loc: s.baseURL + "/" + lang + path, LastMod: lastmod, Links: links})
		}
	}
	return s.sendXML(c, set)
}

// sitemapPath is a locator's path after the language.
func sitemapPath(l catalogue.Locator) string {
	switch {
	case strings.HasPrefix(l.Slug, "/"):
		return l.Slug
	case l.Kind == "":
		return "/organisations/" + l.Slug
	default:
		return "/" + l.Kind.Plural() + "/" + l.Slug
	}
}

func (s *server) sendXML(c *fiber.Ctx, v any) error {
	out, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Type("xml", "utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}
