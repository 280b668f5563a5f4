package app

import (
	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

type homeView struct {
	Counts   map[catalogue.Kind]int64
	Kinds    []catalogue.Kind
	Featured []*catalogue.Entry
	Latest   []*catalogue.Entry
	Courses  []*catalogue.Entry
}

// homeShow is the home page: search, counts per kind, featured and latest
// entries, courses.
func (s *server) homeShow(c *fiber.Ctx) error {
	ctx, loc := c.UserContext(), s.locale(c)
	counts, err := s.cat.CountByKind(ctx)
	if err != nil {
		return err
	}
	v := homeView{Counts: counts, Kinds: catalogue.Kinds}
	for _, part := range []struct {
		q   catalogue.ListQuery
		dst *[]*catalogue.Entry
	}{
		{catalogue.ListQuery{Featured: true, Limit: 6}, &v.Featured},
		{catalogue.ListQuery{Sort: catalogue.SortUpdated, Limit: 6}, &v.Latest},
		{catalogue.ListQuery{Kinds: []catalogue.Kind{catalogue.KindCourse}, Limit: 3}, &v.Courses},
	} {
		part.q.Lang = loc.Lang
		res, err := s.cat.ListEntries(ctx, part.q)
		if err != nil {
			return err
		}
		*part.dst = res.Entries
	}
	p := s.newPage(c, loc.Tr("home.title"), v)
	p.Nav = "/"
	p.Feed = s.baseURL + "/" + loc.Lang + "/feed.atom"
	return s.render(c, fiber.StatusOK, "home", p)
}
