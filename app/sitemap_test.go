package app_test

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/content"
)

func TestRobotsPointsToTheSitemap(t *testing.T) {
	web, _ := newApp(t)
	r := get(t, web, "/robots.txt")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: %d %s", r.status, r.header.Get("Content-Type"))
	}
	mustContain(t, "robots.txt", r.body, "User-agent: *", "Disallow: /*/search", "Sitemap: http://hub.test/sitemap.xml")
}

// TestSitemapListsEveryPublicPage follows the sitemap index to its files
// and checks every demo entry and organisation is there in every language,
// with hreflang alternates.
func TestSitemapListsEveryPublicPage(t *testing.T) {
	web, _ := newApp(t)
	r := get(t, web, "/sitemap.xml")
	if r.status != http.StatusOK {
		t.Fatalf("sitemap.xml: %d", r.status)
	}
	var index struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(r.body), &index); err != nil || len(index.Sitemaps) == 0 {
		t.Fatalf("sitemap index: %v, %d sitemaps", err, len(index.Sitemaps))
	}
	type link struct {
		Hreflang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	}
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Links   []link `xml:"http://www.w3.org/1999/xhtml link"`
	}
	urls := map[string]url{}
	for _, sm := range index.Sitemaps {
		r := get(t, web, strings.TrimPrefix(sm.Loc, "http://hub.test"))
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", sm.Loc, r.status)
		}
		var set struct {
			URLs []url `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(r.body), &set); err != nil {
			t.Fatalf("%s: %v", sm.Loc, err)
		}
		for _, u := range set.URLs {
			urls[u.Loc] = u
		}
	}

	demo, err := catalogue.ReadDemo(content.Catalogue())
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range demo.Entries {
		paths = append(paths, "/"+e.Kind.Plural()+"/"+e.Slug)
	}
	for _, o := range demo.Organisations {
		paths = append(paths, "/organisations/"+o.Slug)
	}
	paths = append(paths, "/", "/about", "/solutions")
	for _, p := range paths {
		for _, lang := range i18n.Languages {
			if _, ok := urls["http://hub.test/"+lang+p]; !ok {
				t.Errorf("sitemap lacks /%s%s", lang, p)
			}
		}
	}
	xroad := urls["http://hub.test/vi/solutions/x-road"]
	if xroad.LastMod == "" || len(xroad.Links) != len(i18n.Languages)+1 {
		t.Errorf("x-road in vi: lastmod %q, %d alternates", xroad.LastMod, len(xroad.Links))
	}
	for _, l := range xroad.Links {
		if l.Href != "http://hub.test/"+strings.Replace(l.Hreflang, "x-default", "en", 1)+"/solutions/x-road" {
			t.Errorf("alternate %s -> %s", l.Hreflang, l.Href)
		}
	}
	if r := get(t, web, "/sitemaps/99.xml"); r.status != http.StatusNotFound {
		t.Errorf("sitemap past the end: %d", r.status)
	}
}
