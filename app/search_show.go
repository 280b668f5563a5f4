package app

import (
	"context"
	"errors"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/search"
)

// Searcher is what the web layer asks the full-text index.
type Searcher interface {
	Search(ctx context.Context, r search.Request) (*search.Result, error)
	Suggest(ctx context.Context, text, lang string, n int) ([]uint, error)
	Progress() (done, total int64, running bool)
	Ready() error
}

type searchView struct {
	Query         string
	Sort          string
	Sorts         []sortOption
	Groups        []filterGroup
	Selected      []selectedFilter
	Hits          []searchHit
	Result        *search.Result
	Pages         []pageLink
	Suggestion    string
	SuggestionURL string
	ClearURL      string   // the query without filters
	Problems      []string // bad input, translated
	Building      string   // shown while the first index is built
	Follow        followButton
}

type sortOption struct {
	Value, Label string
	Selected     bool
}

type searchHit struct {
	Entry          *catalogue.Entry
	Title, Summary template.HTML
	Lesson         *lessonHit // for a course: the lesson the words were found in
}

// lessonHit is the lesson of a course a search found, with the passage.
type lessonHit struct {
	Number  int
	Title   string
	Path    string // below the language prefix
	Snippet template.HTML
}

type pageLink struct {
	Label   string
	URL     string // empty for the current page and gaps
	Current bool
	Rel     string
}

// catalogueSearch is the search page: free text, facets with disjunctive
// counts, highlights, sorting and numbered pages. The whole state is in
// the URL; bad input gets a translated message, never a server error.
func (s *server) catalogueSearch(c *fiber.Ctx) error {
	ctx, loc := c.UserContext(), s.locale(c)
	req, problems, err := s.searchRequest(c, loc)
	if err != nil {
		return err
	}
	v := &searchView{Query: req.Text, Sort: req.Sort}
	status := fiber.StatusOK
	for _, p := range problems {
		v.Problems = append(v.Problems, p.Message)
		status = fiber.StatusBadRequest
	}
	params := currentParams(c, "page")

	res, err := s.search.Search(ctx, req)
	switch {
	case errors.Is(err, search.ErrPageOutOfRange):
		v.Problems = append(v.Problems, loc.Tr("search.error.page"))
		status = fiber.StatusBadRequest
		req.Page = 1
		res, err = s.search.Search(ctx, req)
	case errors.Is(err, search.ErrNotReady):
		done, total, _ := s.search.Progress()
		pct := 0
		if total > 0 {
			pct = int(done * 100 / total)
		}
		v.Building = loc.Tr("search.building", "Percent", pct)
		c.Set(fiber.HeaderRetryAfter, "5")
		status, err = fiber.StatusServiceUnavailable, nil
	}
	if err != nil {
		return err
	}
	if res != nil {
		if err := s.fillSearchView(ctx, loc, v, req, res, params); err != nil {
			return err
		}
		if res.Total == 0 && req.Text != "" {
			miss := strings.ToLower(strings.Join(strings.Fields(req.Text), " "))
			if err := s.cat.RecordSearchMiss(ctx, miss, loc.Lang, s.now()); err != nil {
				s.log.Warn("record search miss", "err", err)
			}
		}
	}
	for _, o := range search.Sorts {
		label := loc.Tr("search.sort." + o)
		v.Sorts = append(v.Sorts, sortOption{o, label, o == v.Sort})
	}
	if saved, err := catalogue.NormaliseSavedSearch(string(c.Request().URI().QueryString())); err == nil && saved != "" {
		if v.Follow, err = s.followState(c, catalogue.FollowSearch, saved); err != nil {
			return err
		}
	}
	title := loc.Tr("search.title")
	if v.Query != "" {
		title = loc.Tr("search.results_for", "Query", v.Query)
	}
	p := s.newPage(c, title, v)
	p.Nav = "/search"
	p.Feed = s.baseURL + "/" + loc.Lang + "/search.atom"
	if q := string(c.Request().URI().QueryString()); q != "" {
		p.Feed += "?" + q
	}
	return s.render(c, status, "search", p)
}

// inputProblem is something wrong in a search request, with a code for
// the API and a translated message for people.
type inputProblem struct{ Code, Message string }

// searchRequest reads a search from the query string. What is wrong in it
// is reported and left out, so the search can still run with the rest.
func (s *server) searchRequest(c *fiber.Ctx, loc *i18n.Locale) (search.Request, []inputProblem, error) {
	req := search.Request{Text: c.Query("q"), Lang: loc.Lang, Sort: c.Query("sort", search.SortRelevance), Page: 1, Filters: map[string][]string{}}
	var problems []inputProblem
	if n := len([]rune(req.Text)); n > search.MaxQueryLength {
		problems = append(problems, inputProblem{"query_too_long", loc.Tr("search.error.too_long", "Max", search.MaxQueryLength)})
		req.Text = string([]rune(req.Text)[:search.MaxQueryLength])
	}
	if !contains(search.Sorts, req.Sort) {
		req.Sort = search.SortRelevance
	}
	if p := c.Query("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			problems = append(problems, inputProblem{"bad_page", loc.Tr("search.error.page")})
		} else {
			req.Page = n
		}
	}
	for _, name := range search.Facets {
		values := queryValues(c, name)
		if len(values) > search.MaxFacetValues {
			problems = append(problems, inputProblem{"too_many_values", loc.Tr("search.error.too_many", "Max", search.MaxFacetValues)})
			values = values[:search.MaxFacetValues]
		}
		for _, val := range values {
			ok, err := s.cat.KnownValue(c.UserContext(), name, val)
			if err != nil {
				return req, nil, err
			}
			if !ok {
				problems = append(problems, inputProblem{"unknown_filter", loc.Tr("search.error.unknown_filter", "Value", val)})
				continue
			}
			req.Filters[name] = append(req.Filters[name], val)
		}
	}
	return req, problems, nil
}

// fillSearchView turns a result into what the template shows.
func (s *server) fillSearchView(ctx context.Context, loc *i18n.Locale, v *searchView, req search.Request, res *search.Result, params url.Values) error {
	v.Result = res
	hits, err := s.searchHits(ctx, loc.Lang, res)
	if err != nil {
		return err
	}
	v.Hits = hits

	var orgSlugs []string
	for _, f := range res.Facets["org"] {
		orgSlugs = append(orgSlugs, f.Value)
	}
	orgNames, err := s.cat.OrganisationNames(ctx, orgSlugs)
	if err != nil {
		return err
	}
	for _, name := range search.Facets {
		g := filterGroup{Name: name, Legend: loc.Tr("filter." + name)}
		for _, f := range res.Facets[name] {
			label := facetLabel(loc, name, f.Value, orgNames)
			g.Options = append(g.Options, filterOption{f.Value, label, int64(f.Count), f.Selected})
			if f.Selected {
				g.Open = true
				v.Selected = append(v.Selected, selectedFilter{label, withQuery("/search", without(params, name, f.Value))})
			}
		}
		if len(g.Options) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	if res.Suggestion != "" {
		v.Suggestion = res.Suggestion
		sp := url.Values{}
		for k, vals := range params {
			sp[k] = vals
		}
		sp.Set("q", res.Suggestion)
		v.SuggestionURL = withQuery("/search", sp)
	}
	v.Pages = pageLinks(loc, params, req.Page, res.Pages())
	v.ClearURL = withQuery("/search", url.Values{"q": {req.Text}})
	return nil
}

// searchHits loads the entries of a result page in lang, in rank order,
// with their titles and summaries highlighted. Entries unpublished since
// the index saw them are left out.
func (s *server) searchHits(ctx context.Context, lang string, res *search.Result) ([]searchHit, error) {
	ids := make([]uint, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	entries, err := s.cat.EntriesByIDs(ctx, ids, lang)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]*catalogue.Entry, len(entries))
	for _, e := range entries {
		byID[e.ID] = e
	}
	var out []searchHit
	for _, h := range res.Hits {
		e, ok := byID[h.ID]
		if !ok {
			continue
		}
		textLang := lang // the language the shown text is in, for stemming
		if t, _ := e.Translation(lang); t == nil || t.Lang != lang {
			textLang = "en"
		}
		out = append(out, searchHit{Entry: e,
			Title:   search.Highlight(e.TitleIn(lang), textLang, h.Terms),
			Summary: search.Highlight(e.SummaryIn(lang), textLang, h.Terms),
			Lesson:  s.lessonHit(e, lang, h)})
	}
	return out, nil
}

// lessonHitWidth is about how many bytes of a lesson a result shows.
const lessonHitWidth = 220

// lessonHit is the lesson a course hit matched, shown in the page
// language when the lesson is written in it (the passage is then taken
// from that text), else in the language that matched.
func (s *server) lessonHit(e *catalogue.Entry, lang string, h search.Hit) *lessonHit {
	if h.Lesson == nil || s.courses == nil {
		return nil
	}
	course, ok := s.courses.Course(e.Slug)
	if !ok || h.Lesson.Index >= len(course.Lessons) {
		return nil
	}
	lesson := course.Lessons[h.Lesson.Index]
	text, found := lesson.Text(lang)
	if !found {
		text, _ = lesson.Text(h.Lesson.Lang)
	}
	return &lessonHit{Number: lesson.Number, Title: text.Title,
		Path:    "/courses/" + course.Slug + "/" + lesson.Name,
		Snippet: search.Snippet(text.Text, text.Lang, h.Terms, lessonHitWidth)}
}

// facetLabel is a facet value's label in the page language.
func facetLabel(loc *i18n.Locale, name, value string, orgNames map[string]string) string {
	switch name {
	case "kind":
		return loc.Tr("kind." + value + ".plural")
	case "org":
		if n, ok := orgNames[value]; ok {
			return n
		}
		return value
	}
	return filterLabel(loc, name, catalogue.FilterValue{Code: value})
}

// pageLinks are the numbered page links: first, last, and two either side
// of the current page, with gaps between.
func pageLinks(loc *i18n.Locale, params url.Values, current, pages int) []pageLink {
	if pages <= 1 {
		return nil
	}
	link := func(n int) string {
		q := url.Values{}
		for k, vals := range params {
			q[k] = vals
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		return withQuery("/search", q)
	}
	var out []pageLink
	if current > 1 {
		out = append(out, pageLink{Label: loc.Tr("search.prev"), URL: link(current - 1), Rel: "prev"})
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < current-2 || n > current+2) {
			continue
		}
		if last != 0 && n > last+1 {
			out = append(out, pageLink{Label: "…"})
		}
		pl := pageLink{Label: strconv.Itoa(n), Current: n == current}
		if n != current {
			pl.URL = link(n)
		}
		out = append(out, pl)
		last = n
	}
	if current < pages {
		out = append(out, pageLink{Label: loc.Tr("browse.next"), URL: link(current + 1), Rel: "next"})
	}
	return out
}

// currentParams is the request's query string without the named keys.
func currentParams(c *fiber.Ctx, drop ...string) url.Values {
	params := url.Values{}
	c.Request().URI().QueryArgs().VisitAll(func(k, val []byte) {
		if !contains(drop, string(k)) {
			params.Add(string(k), string(val))
		}
	})
	return params
}
