package app

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
	"interophub/catalogue"
)

// filterNames are the listing filters in the order the page shows them; each
// is also the name of its query parameter.
var filterNames = []string{"layer", "theme", "country", "language", "licence", "status", "org", "principle"}

// maxFilterValues caps the values one filter accepts from a URL.
const maxFilterValues = 30

type browseView struct {
	Kind     catalogue.Kind // empty on the search page
	Heading  string
	Intro    string
	Action   string // the form's address
	Query    string
	Sort     catalogue.Sort
	Groups   []filterGroup
	Selected []selectedFilter
	Result   *catalogue.ListPage
	NextURL  string
	FirstURL string // set when not on the first page
	Notice   string
	Follow   followButton
}

type filterGroup struct {
	Name, Legend string
	Options      []filterOption
	Open         bool
}

type filterOption struct {
	Value, Label string
	Count        int64
	Checked      bool
}

type selectedFilter struct{ Label, RemoveURL string }

// catalogueBrowse lists one kind of entry with filters.
func (s *server) catalogueBrowse(c *fiber.Ctx) error {
	kind, ok := catalogue.KindFromPlural(c.Params("kinds"))
	if !ok {
		return fiber.ErrNotFound
	}
	loc := s.locale(c)
	v := &browseView{
		Kind: kind, Heading: loc.Tr("kind." + string(kind) + ".plural"),
		Intro: loc.Tr("kind." + string(kind) + ".intro"), Action: "/" + kind.Plural(),
	}
	return s.listing(c, v, []catalogue.Kind{kind})
}

// listing is the body of the browse pages.
func (s *server) listing(c *fiber.Ctx, v *browseView, kinds []catalogue.Kind) error {
	ctx, loc := c.UserContext(), s.locale(c)
	v.Query = c.Query("q")
	if len([]rune(v.Query)) > 200 {
		v.Query = string([]rune(v.Query)[:200])
	}
	v.Sort = catalogue.SortTitle
	if c.Query("sort") == string(catalogue.SortUpdated) {
		v.Sort = catalogue.SortUpdated
	}
	q := catalogue.ListQuery{
		Kinds: kinds, Lang: loc.Lang, Text: v.Query, Sort: v.Sort, Cursor: c.Query("after"),
		Concepts: map[catalogue.Scheme][]string{},
	}
	selected := map[string][]string{}
	for _, name := range filterNames {
		values := queryValues(c, name)
		if len(values) > maxFilterValues {
			values = values[:maxFilterValues]
		}
		selected[name] = values
		switch name {
		case catalogue.FilterLicence:
			q.Licences = values
		case catalogue.FilterStatus:
			q.Statuses = values
		case catalogue.FilterOwner:
			if len(values) > 0 {
				q.Owner = values[0]
			}
		default:
			q.Concepts[catalogue.Scheme(name)] = values
		}
	}

	result, err := s.cat.ListEntries(ctx, q)
	if errors.Is(err, catalogue.ErrBadCursor) {
		v.Notice = loc.Tr("error.bad_cursor")
		q.Cursor = ""
		result, err = s.cat.ListEntries(ctx, q)
	}
	if err != nil {
		return err
	}
	v.Result = result

	options, err := s.cat.FilterOptions(ctx, filterKinds(v.Kind)...)
	if err != nil {
		return err
	}
	current := c.Request().URI().QueryArgs()
	params := url.Values{}
	current.VisitAll(func(k, val []byte) {
		if string(k) != "after" {
			params.Add(string(k), string(val))
		}
	})

	if v.Kind == "" {
		counts, err := s.cat.CountByKind(ctx)
		if err != nil {
			return err
		}
		g := filterGroup{Name: "kind", Legend: loc.Tr("filter.kind")}
		for _, k := range catalogue.Kinds {
			checked := contains(kinds, k)
			g.Options = append(g.Options, filterOption{string(k), loc.Tr("kind." + string(k) + ".plural"), counts[k], checked})
			g.Open = g.Open || checked
			if checked {
				v.Selected = append(v.Selected, selectedFilter{loc.Tr("kind." + string(k) + ".plural"), v.Action + "?" + without(params, "kind", string(k)).Encode()})
			}
		}
		v.Groups = append(v.Groups, g)
	}
	for _, name := range filterNames {
		g := filterGroup{Name: name, Legend: loc.Tr("filter." + name)}
		for _, fv := range options[name] {
			label := filterLabel(loc, name, fv)
			checked := contains(selected[name], fv.Code)
			g.Options = append(g.Options, filterOption{fv.Code, label, fv.Count, checked})
			if checked {
				g.Open = true
				v.Selected = append(v.Selected, selectedFilter{label, v.Action + "?" + without(params, name, fv.Code).Encode()})
			}
		}
		if len(g.Options) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	if result.Next != "" {
		next := url.Values{}
		for k, vals := range params {
			next[k] = vals
		}
		next.Set("after", result.Next)
		v.NextURL = withQuery(v.Action, next)
	}
	if q.Cursor != "" {
		v.FirstURL = withQuery(v.Action, params)
	}
	if v.Kind != "" {
		var err error
		if v.Follow, err = s.followState(c, catalogue.FollowKind, string(v.Kind)); err != nil {
			return err
		}
	}
	title := v.Heading
	if v.Query != "" {
		title = loc.Tr("search.results_for", "Query", v.Query)
	}
	p := s.newPage(c, title, v)
	p.Nav = v.Action
	p.Feed = s.baseURL + "/" + loc.Lang + "/feed.atom"
	if v.Kind != "" {
		p.Feed += "?kind=" + string(v.Kind)
	}
	return s.render(c, fiber.StatusOK, "browse", p)
}

func filterKinds(k catalogue.Kind) []catalogue.Kind {
	if k == "" {
		return nil
	}
	return []catalogue.Kind{k}
}

// filterLabel is a filter value's label in the page language.
func filterLabel(loc *i18n.Locale, name string, fv catalogue.FilterValue) string {
	switch name {
	case "layer", "principle", "theme":
		return loc.Tr("vocab." + name + "." + fv.Code)
	case "country":
		return loc.CountryName(fv.Code)
	case "language":
		return loc.LanguageName(fv.Code)
	case catalogue.FilterStatus:
		return loc.Tr("status." + fv.Code)
	case catalogue.FilterLicence:
		return fv.Code // SPDX ids are what people know licences by
	default: // organisations
		return fv.Label
	}
}

// without returns a copy of v without one value of one parameter.
func without(v url.Values, name, value string) url.Values {
	out := url.Values{}
	for k, vals := range v {
		for _, val := range vals {
			if k != name || val != value {
				out.Add(k, val)
			}
		}
	}
	return out
}

func contains[T comparable](list []T, x T) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}
