package app

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/feeds"

	"interophub/catalogue"
	"interophub/search"
)

// feedSize is how many entries a feed lists.
const feedSize = 50

// latestFeed is /{lang}/feed.atom: the latest published or updated
// entries, of one kind with ?kind=.
func (s *server) latestFeed(c *fiber.Ctx) error {
	loc := s.locale(c)
	q := catalogue.ListQuery{Lang: loc.Lang, Sort: catalogue.SortUpdated, Limit: feedSize}
	title := loc.Tr("feed.latest")
	if k := c.Query("kind"); k != "" {
		kind := catalogue.Kind(k)
		if !kind.Valid() {
			return fiber.ErrBadRequest
		}
		q.Kinds = []catalogue.Kind{kind}
		title = loc.Tr("kind."+k+".plural") + " – " + title
	}
	page, err := s.cat.ListEntries(c.UserContext(), q)
	if err != nil {
		return err
	}
	return s.sendFeed(c, title, "/"+loc.Lang+"/"+kindPath(q.Kinds), page.Entries)
}

func kindPath(kinds []catalogue.Kind) string {
	if len(kinds) == 1 {
		return kinds[0].Plural()
	}
	return ""
}

// searchFeed is /{lang}/search.atom?q=...: the newest entries a search
// finds, with the search page's filters.
func (s *server) searchFeed(c *fiber.Ctx) error {
	loc := s.locale(c)
	req, problems, err := s.searchRequest(c, loc)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fiber.NewError(fiber.StatusBadRequest, problems[0].Message)
	}
	req.Sort, req.Page, req.Size = search.SortNewest, 1, feedSize
	res, err := s.search.Search(c.UserContext(), req)
	if err != nil {
		return err
	}
	ids := make([]uint, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	entries, err := s.cat.EntriesByIDs(c.UserContext(), ids, loc.Lang) // in rank order
	if err != nil {
		return err
	}
	query := url.Values{}
	for k, v := range c.Queries() {
		query.Set(k, v)
	}
	return s.sendFeed(c, loc.Tr("feed.search", "Query", req.Text), "/"+loc.Lang+"/search?"+query.Encode(), entries)
}

// sendFeed writes entries as an Atom feed; page is the HTML page the feed
// follows.
func (s *server) sendFeed(c *fiber.Ctx, title, page string, entries []*catalogue.Entry) error {
	loc := s.locale(c)
	f := &feeds.Feed{
		Title:   title + " – " + loc.Tr("site.name"),
		Link:    &feeds.Link{Href: s.baseURL + page, Rel: "alternate", Type: "text/html"},
		Id:      s.baseURL + c.OriginalURL(),
		Updated: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		Author:  &feeds.Author{Name: loc.Tr("site.name")},
	}
	for _, e := range entries {
		item := &feeds.Item{
			Title:       e.TitleIn(loc.Lang),
			Link:        &feeds.Link{Href: s.baseURL + "/" + loc.Lang + e.Path(), Rel: "alternate", Type: "text/html"},
			Id:          s.rdf.EntryURI(e.Kind, e.Slug),
			Description: e.SummaryIn(loc.Lang),
			Updated:     e.UpdatedAt,
			Created:     e.CreatedAt,
		}
		if e.Owner != nil {
			item.Author = &feeds.Author{Name: e.Owner.Name}
		}
		f.Add(item)
		if e.UpdatedAt.After(f.Updated) {
			f.Updated = e.UpdatedAt
		}
	}
	atom, err := f.ToAtom()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.SendString(atom)
}
