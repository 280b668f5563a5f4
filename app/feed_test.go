package app_test

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

// atomFeed is what a feed reader needs of an Atom document (RFC 4287).
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

// TestFeeds: the latest entries, one kind's and a search's are valid Atom
// with the required elements, in the page language, and pages link them.
func TestFeeds(t *testing.T) {
	web, _ := newApp(t)
	parse := func(target string) atomFeed {
		t.Helper()
		r := get(t, web, target)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("%s: %d %q", target, r.status, r.header.Get("Content-Type"))
		}
		var f atomFeed
		if err := xml.Unmarshal([]byte(r.body), &f); err != nil {
			t.Fatalf("%s: not Atom: %v\n%s", target, err, r.body)
		}
		if f.ID == "" || f.Title == "" || f.Updated == "" || len(f.Links) == 0 {
			t.Errorf("%s: feed lacks id, title, updated or link: %+v", target, f)
		}
		for _, e := range f.Entries {
			if e.ID == "" || e.Title == "" || e.Updated == "" || !strings.HasPrefix(e.Link.Href, "http://hub.test/") {
				t.Errorf("%s: entry lacks id, title, updated or link: %+v", target, e)
			}
		}
		return f
	}
	latest := parse("/fr/feed.atom")
	if len(latest.Entries) < 20 || !strings.Contains(latest.Title, "Nouveautés") {
		t.Errorf("latest: %d entries, title %q", len(latest.Entries), latest.Title)
	}
	for _, e := range parse("/en/feed.atom?kind=practice").Entries {
		if !strings.Contains(e.Link.Href, "/en/practices/") {
			t.Errorf("a practices feed lists %s", e.Link.Href)
		}
	}
	found := parse("/en/search.atom?q=x-road&kind=solution")
	hasXRoad := false
	for _, e := range found.Entries {
		hasXRoad = hasXRoad || e.ID == "http://hub.test/solutions/x-road"
	}
	if !hasXRoad || !strings.Contains(found.Title, "x-road") {
		t.Errorf("search feed lacks x-road or its query: %+v", found)
	}
	if r := get(t, web, "/en/feed.atom?kind=nonsense"); r.status != http.StatusBadRequest {
		t.Errorf("unknown kind: %d", r.status)
	}
	mustContain(t, "search page", get(t, web, "/en/search?q=x-road").body,
		`<link rel="alternate" type="application/atom+xml" href="http://hub.test/en/search.atom?q=x-road"`)
	mustContain(t, "browse page", get(t, web, "/en/practices").body,
		`<link rel="alternate" type="application/atom+xml" href="http://hub.test/en/feed.atom?kind=practice"`)
}
