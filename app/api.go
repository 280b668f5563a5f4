package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/search"
)

// apiError is the JSON body of every API error.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *server) apiFail(c *fiber.Ctx, status int, code, message string) error {
	var e apiError
	e.Error.Code, e.Error.Message = code, message
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(e)
}

type apiHit struct {
	Slug       string            `json:"slug"`
	Kind       string            `json:"kind"`
	Title      string            `json:"title"`
	Summary    string            `json:"summary"`
	URL        string            `json:"url"`
	Highlights map[string]string `json:"highlights"`
	Lesson     *apiLessonHit     `json:"lesson,omitempty"`
}

// apiLessonHit is the lesson of a course where the words were found.
type apiLessonHit struct {
	Number  int    `json:"number"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Snippet string `json:"snippet"` // HTML: escaped text, matches in <mark>
}

type apiSearchResult struct {
	Total      int                       `json:"total"`
	TookMS     float64                   `json:"took_ms"`
	Page       int                       `json:"page"`
	Pages      int                       `json:"pages"`
	Hits       []apiHit                  `json:"hits"`
	Facets     map[string]map[string]int `json:"facets"`
	Suggestion string                    `json:"suggestion,omitempty"`
}

// apiLocale is the language an API call asks for (lang=), English by default.
func (s *server) apiLang(c *fiber.Ctx) string {
	if loc := s.i18n.Locale(c.Query("lang")); loc != nil {
		return loc.Lang
	}
	return "en"
}

// apiSearch is GET /api/v1/search: the search page's results as JSON.
func (s *server) apiSearch(c *fiber.Ctx) error {
	ctx, loc := c.UserContext(), s.i18n.Locale(s.apiLang(c))
	req, problems, err := s.searchRequest(c, loc)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return s.apiFail(c, fiber.StatusBadRequest, problems[0].Code, problems[0].Message)
	}
	if size := c.Query("size"); size != "" {
		n, err := strconv.Atoi(size)
		if err != nil || n < 1 || n > search.MaxPageSize {
			return s.apiFail(c, fiber.StatusBadRequest, "bad_size", "size must be between 1 and "+strconv.Itoa(search.MaxPageSize))
		}
		req.Size = n
	}
	res, err := s.search.Search(ctx, req)
	switch {
	case errors.Is(err, search.ErrPageOutOfRange):
		return s.apiFail(c, fiber.StatusBadRequest, "page_out_of_range", loc.Tr("search.error.page"))
	case errors.Is(err, search.ErrNotReady):
		c.Set(fiber.HeaderRetryAfter, "5")
		return s.apiFail(c, fiber.StatusServiceUnavailable, "index_building", loc.Tr("search.building", "Percent", 0))
	case err != nil:
		return err
	}
	hits, err := s.searchHits(ctx, loc.Lang, res)
	if err != nil {
		return err
	}
	out := apiSearchResult{Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000, Page: res.Page, Pages: res.Pages(),
		Hits: []apiHit{}, Facets: map[string]map[string]int{}, Suggestion: res.Suggestion}
	for _, h := range hits {
		e := h.Entry
		hit := apiHit{
			Slug: e.Slug, Kind: string(e.Kind), Title: e.TitleIn(loc.Lang), Summary: e.SummaryIn(loc.Lang),
			URL:        s.baseURL + "/" + loc.Lang + e.Path(),
			Highlights: map[string]string{"title": string(h.Title), "summary": string(h.Summary)},
		}
		if l := h.Lesson; l != nil {
			hit.Lesson = &apiLessonHit{Number: l.Number, Title: l.Title, URL: s.baseURL + "/" + loc.Lang + l.Path, Snippet: string(l.Snippet)}
		}
		out.Hits = append(out.Hits, hit)
	}
	for name, counts := range res.Facets {
		m := map[string]int{}
		for _, f := range counts {
			m[f.Value] = f.Count
		}
		out.Facets[name] = m
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}

type apiSuggestion struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// apiSuggest is GET /api/v1/suggest: up to eight entries for what is being
// typed, for search-as-you-type.
func (s *server) apiSuggest(c *fiber.Ctx) error {
	ctx, lang := c.UserContext(), s.apiLang(c)
	q := c.Query("q")
	if len([]rune(q)) > search.MaxQueryLength {
		return s.apiFail(c, fiber.StatusBadRequest, "query_too_long", s.i18n.Locale(lang).Tr("search.error.too_long", "Max", search.MaxQueryLength))
	}
	ids, err := s.search.Suggest(ctx, q, lang, 8)
	if errors.Is(err, search.ErrNotReady) {
		ids, err = nil, nil
	}
	if err != nil {
		return err
	}
	entries, err := s.cat.EntriesByIDs(ctx, ids, lang)
	if err != nil {
		return err
	}
	out := struct {
		Suggestions []apiSuggestion `json:"suggestions"`
	}{Suggestions: []apiSuggestion{}}
	for _, e := range entries {
		out.Suggestions = append(out.Suggestions, apiSuggestion{Title: e.TitleIn(lang), URL: "/" + lang + e.Path()})
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}
