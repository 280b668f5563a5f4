package app

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
	"interophub/catalogue"
)

// apiLocale is the language of an API answer's labels and messages: lang=,
// else the Accept-Language header, else English.
func (s *server) apiLocale(c *fiber.Ctx) *i18n.Locale {
	if loc := s.i18n.Locale(c.Query("lang")); loc != nil {
		return loc
	}
	c.Vary(fiber.HeaderAcceptLanguage) // caches must tell the languages apart
	if h := c.Get(fiber.HeaderAcceptLanguage); h != "" {
		return s.i18n.Locale(s.i18n.Negotiate(h))
	}
	return s.i18n.Locale(i18n.Fallback)
}

// apiOrgRef is an organisation as other objects name it.
type apiOrgRef struct {
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	Acronym string `json:"acronym,omitempty"`
	URL     string `json:"url"`
}

// apiConcept is a vocabulary term.
type apiConcept struct {
	Code  string `json:"code"`
	URI   string `json:"uri"`
	Label string `json:"label"`
}

// apiEntryURLs are an entry's addresses.
type apiEntryURLs struct {
	API  string `json:"api"`
	Page string `json:"page"`
}

// apiEntrySummary is an entry as a listing shows it.
type apiEntrySummary struct {
	Slug    string       `json:"slug"`
	Kind    string       `json:"kind"`
	Title   string       `json:"title"`
	Summary string       `json:"summary"`
	Owner   *apiOrgRef   `json:"owner"`
	Updated time.Time    `json:"updated"`
	URLs    apiEntryURLs `json:"urls"`
}

type apiTranslation struct {
	Lang     string `json:"lang"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	Body     string `json:"body,omitempty"`
	Problem  string `json:"problem,omitempty"`
	Solution string `json:"solution,omitempty"`
	Results  string `json:"results,omitempty"`
	Lessons  string `json:"lessons,omitempty"`
}

type apiContact struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

type apiDistribution struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	MediaType string `json:"media_type,omitempty"`
	Licence   string `json:"licence,omitempty"`
}

type apiRelease struct {
	Version       string            `json:"version"`
	Date          string            `json:"date,omitempty"` // YYYY-MM-DD
	Notes         string            `json:"notes,omitempty"`
	Distributions []apiDistribution `json:"distributions"`
}

type apiReuse struct {
	Organisation string `json:"organisation"`
	Since        int    `json:"since,omitempty"`
	Note         string `json:"note,omitempty"`
}

type apiPractice struct {
	Country string `json:"country,omitempty"`
	Level   string `json:"level,omitempty"`
	Sector  string `json:"sector,omitempty"`
	Year    int    `json:"year,omitempty"`
}

// apiEntryFull is a public entry with everything that belongs to it.
type apiEntryFull struct {
	Slug         string                  `json:"slug"`
	Kind         string                  `json:"kind"`
	State        string                  `json:"state"`
	Title        string                  `json:"title"`
	Summary      string                  `json:"summary"`
	Owner        *apiOrgRef              `json:"owner"`
	Featured     bool                    `json:"featured"`
	Homepage     string                  `json:"homepage,omitempty"`
	Licence      *apiConcept             `json:"licence"`
	Status       *apiConcept             `json:"status"`
	Created      time.Time               `json:"created"`
	Updated      time.Time               `json:"updated"`
	LastReviewed *time.Time              `json:"last_reviewed"`
	Translations []apiTranslation        `json:"translations"`
	Vocabularies map[string][]apiConcept `json:"vocabularies"`
	Keywords     map[string][]string     `json:"keywords"`
	Contacts     []apiContact            `json:"contacts"`
	Releases     []apiRelease            `json:"releases"`
	Reuses       []apiReuse              `json:"reuses"`
	Related      []string                `json:"related"`
	Practice     *apiPractice            `json:"practice,omitempty"`
	URLs         apiEntryURLs            `json:"urls"`
}

func (s *server) apiOrgRef(o *catalogue.Organisation) *apiOrgRef {
	if o == nil {
		return nil
	}
	return &apiOrgRef{Slug: o.Slug, Name: o.Name, Acronym: o.Acronym, URL: s.baseURL + apiPrefix + "/organisations/" + o.Slug}
}

func (s *server) apiEntryURLs(lang string, e *catalogue.Entry) apiEntryURLs {
	return apiEntryURLs{API: s.baseURL + apiPrefix + "/entries/" + e.Slug, Page: s.baseURL + "/" + lang + e.Path()}
}

// apiEntries is GET /api/v1/entries: public entries a page at a time, in
// title order of lang, with a cursor to the next page.
func (s *server) apiEntries(c *fiber.Ctx) error {
	loc := s.apiLocale(c)
	q := catalogue.ListQuery{Lang: loc.Lang, Cursor: c.Query("cursor"), Limit: 20}
	if k := c.Query("kind"); k != "" {
		if !catalogue.Kind(k).Valid() {
			return s.apiFail(c, fiber.StatusBadRequest, "bad_kind", "kind must be one of solution, standard, practice, course.")
		}
		q.Kinds = []catalogue.Kind{catalogue.Kind(k)}
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return s.apiFail(c, fiber.StatusBadRequest, "bad_limit", "limit must be between 1 and 100.")
		}
		q.Limit = n
	}
	page, err := s.cat.ListEntries(c.UserContext(), q)
	if errors.Is(err, catalogue.ErrBadCursor) {
		return s.apiFail(c, fiber.StatusBadRequest, "bad_cursor", "cursor is not one this API gave; start again without it.")
	}
	if err != nil {
		return err
	}
	out := struct {
		Total   int64             `json:"total"`
		Entries []apiEntrySummary `json:"entries"`
		Next    *string           `json:"next"`
		NextURL *string           `json:"next_url"`
	}{Total: page.Total, Entries: []apiEntrySummary{}}
	for _, e := range page.Entries {
		out.Entries = append(out.Entries, apiEntrySummary{
			Slug: e.Slug, Kind: string(e.Kind), Title: e.TitleIn(loc.Lang), Summary: e.SummaryIn(loc.Lang),
			Owner: s.apiOrgRef(e.Owner), Updated: e.UpdatedAt.UTC(), URLs: s.apiEntryURLs(loc.Lang, e),
		})
	}
	if page.Next != "" {
		v := url.Values{"cursor": {page.Next}, "lang": {loc.Lang}, "limit": {strconv.Itoa(q.Limit)}}
		if len(q.Kinds) == 1 {
			v.Set("kind", string(q.Kinds[0]))
		}
		next := s.baseURL + apiPrefix + "/entries?" + v.Encode()
		out.Next, out.NextURL = &page.Next, &next
		c.Set(fiber.HeaderLink, "<"+next+`>; rel="next"`)
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}

// apiEntry is GET /api/v1/entries/{slug}: a public entry in full.
func (s *server) apiEntry(c *fiber.Ctx) error {
	ctx, loc := c.UserContext(), s.apiLocale(c)
	slug := c.Params("slug")
	found, err := s.workflow.EntryForEdit(ctx, slug)
	if errors.Is(err, catalogue.ErrNotFound) || (err == nil && !found.State.Public()) {
		return s.apiFail(c, fiber.StatusNotFound, "not_found", "There is no public entry "+strconv.Quote(slug)+".")
	}
	if err != nil {
		return err
	}
	e, err := s.cat.EntryBySlug(ctx, found.Kind, slug)
	if err != nil {
		return err
	}
	out := apiEntryFull{
		Slug: e.Slug, Kind: string(e.Kind), State: string(e.State), Title: e.TitleIn(loc.Lang), Summary: e.SummaryIn(loc.Lang),
		Owner: s.apiOrgRef(e.Owner), Featured: e.Featured, Homepage: e.Homepage,
		Created: e.CreatedAt.UTC(), Updated: e.UpdatedAt.UTC(), LastReviewed: e.LastReviewedAt,
		Translations: []apiTranslation{}, Vocabularies: map[string][]apiConcept{}, Keywords: map[string][]string{},
		Contacts: []apiContact{}, Releases: []apiRelease{}, Reuses: []apiReuse{}, Related: []string{},
		URLs: s.apiEntryURLs(loc.Lang, e),
	}
	if out.Licence, err = s.apiConceptOf(c, loc, catalogue.SchemeLicence, e.Licence); err != nil {
		return err
	}
	if out.Status, err = s.apiConceptOf(c, loc, catalogue.SchemeStatus, e.Status); err != nil {
		return err
	}
	for _, t := range e.Translations {
		out.Translations = append(out.Translations, apiTranslation{Lang: t.Lang, Title: t.Title, Summary: t.Summary,
			Body: t.Body, Problem: t.Problem, Solution: t.Solution, Results: t.Results, Lessons: t.Lessons})
	}
	for _, cp := range e.Concepts {
		out.Vocabularies[string(cp.Scheme)] = append(out.Vocabularies[string(cp.Scheme)], s.apiConcept(loc, cp))
	}
	for _, k := range e.Keywords {
		out.Keywords[k.Lang] = append(out.Keywords[k.Lang], k.Value)
	}
	for _, ct := range e.Contacts {
		out.Contacts = append(out.Contacts, apiContact{Name: ct.Name, Email: ct.Email, URL: ct.URL})
	}
	for _, r := range e.Releases {
		ar := apiRelease{Version: r.Version, Notes: r.Notes, Distributions: []apiDistribution{}}
		if r.Date != nil {
			ar.Date = r.Date.Format(time.DateOnly)
		}
		for _, d := range r.Distributions {
			ar.Distributions = append(ar.Distributions, apiDistribution{Title: d.Title, URL: d.URL, MediaType: d.MediaType, Licence: d.Licence})
		}
		out.Releases = append(out.Releases, ar)
	}
	for _, r := range e.Reuses {
		if r.Organisation != nil {
			out.Reuses = append(out.Reuses, apiReuse{Organisation: r.Organisation.Slug, Since: r.Since, Note: r.Note})
		}
	}
	for _, r := range e.Related {
		out.Related = append(out.Related, r.Slug)
	}
	if p := e.Practice; p != nil {
		out.Practice = &apiPractice{Country: p.Country, Level: p.Level, Sector: p.Sector, Year: p.Year}
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}

// apiConcept is a concept with its label in loc's language.
func (s *server) apiConcept(loc *i18n.Locale, cp catalogue.Concept) apiConcept {
	label := cp.Label
	switch cp.Scheme {
	case catalogue.SchemeLayer, catalogue.SchemePrinciple, catalogue.SchemeTheme, catalogue.SchemeCountry, catalogue.SchemeLanguage, catalogue.SchemeStatus:
		label = filterLabel(loc, string(cp.Scheme), catalogue.FilterValue{Code: cp.Code, Label: cp.Label})
	}
	return apiConcept{Code: cp.Code, URI: cp.URI, Label: label}
}

// apiConceptOf looks a single-valued field's code up in its scheme; nil
// when empty.
func (s *server) apiConceptOf(c *fiber.Ctx, loc *i18n.Locale, scheme catalogue.Scheme, code string) (*apiConcept, error) {
	if code == "" {
		return nil, nil
	}
	concepts, err := s.workflow.Concepts(c.UserContext(), scheme)
	if err != nil {
		return nil, err
	}
	for _, cp := range concepts {
		if cp.Code == code {
			out := s.apiConcept(loc, cp)
			return &out, nil
		}
	}
	return &apiConcept{Code: code, Label: code}, nil
}

// apiEntryBody is the JSON an entry is written with (POST and PUT).
type apiEntryBody struct {
	Kind         string              `json:"kind"`
	Slug         string              `json:"slug"`
	Owner        string              `json:"owner"`
	Featured     *bool               `json:"featured"`
	Homepage     string              `json:"homepage"`
	Licence      string              `json:"licence"`
	Status       string              `json:"status"`
	Concepts     map[string][]string `json:"vocabularies"`
	Keywords     map[string][]string `json:"keywords"`
	Related      []string            `json:"related"`
	Contacts     []apiContact        `json:"contacts"`
	Releases     []apiRelease        `json:"releases"`
	Reuses       []apiReuse          `json:"reuses"`
	Practice     *apiPractice        `json:"practice"`
	Translations []apiTranslation    `json:"translations"`
	Note         string              `json:"note"`
	Propose      bool                `json:"propose"`
}

// apiFieldError is one validation problem of a request body.
type apiFieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiInvalid answers 422 with every problem, in the request's language.
func (s *server) apiInvalid(c *fiber.Ctx, loc *i18n.Locale, problems []catalogue.FieldError) error {
	out := struct {
		Error struct {
			Code    string          `json:"code"`
			Message string          `json:"message"`
			Fields  []apiFieldError `json:"fields"`
		} `json:"error"`
	}{}
	out.Error.Code = "invalid"
	out.Error.Message = loc.TrN("form.error.summary", len(problems))
	out.Error.Fields = []apiFieldError{}
	for _, p := range problems {
		out.Error.Fields = append(out.Error.Fields, apiFieldError{Field: p.Field, Code: p.Problem, Message: problemText(loc, p.Problem)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusUnprocessableEntity).JSON(out)
}

// input turns the body into an entry input, with the problems the
// catalogue does not check itself (lengths, dates, required summaries).
func (b *apiEntryBody) input() (catalogue.EntryInput, []catalogue.FieldError) {
	var problems []catalogue.FieldError
	fail := func(field, problem string) {
		problems = append(problems, catalogue.FieldError{Field: field, Problem: problem})
	}
	in := catalogue.EntryInput{
		Kind: catalogue.Kind(b.Kind), Slug: strings.TrimSpace(b.Slug), Owner: strings.TrimSpace(b.Owner),
		Homepage: strings.TrimSpace(b.Homepage), Licence: strings.TrimSpace(b.Licence), Status: strings.TrimSpace(b.Status),
		Concepts: map[catalogue.Scheme][]string{}, Keywords: b.Keywords, Related: b.Related,
	}
	if utf8.RuneCountInString(in.Homepage) > 500 {
		fail("homepage", "too_long")
	}
	for scheme, codes := range b.Concepts {
		in.Concepts[catalogue.Scheme(scheme)] = codes
	}
	for _, ct := range b.Contacts {
		in.Contacts = append(in.Contacts, catalogue.Contact{Name: ct.Name, Email: ct.Email, URL: ct.URL})
	}
	for i, r := range b.Releases {
		rel := catalogue.Release{Version: r.Version, Notes: r.Notes}
		if r.Date != "" {
			d, err := time.Parse(time.DateOnly, r.Date)
			if err != nil {
				fail("releases."+strconv.Itoa(i)+".date", "format")
			} else {
				rel.Date = &d
			}
		}
		for _, d := range r.Distributions {
			rel.Distributions = append(rel.Distributions, catalogue.Distribution{Title: d.Title, URL: d.URL, MediaType: d.MediaType, Licence: d.Licence})
		}
		in.Releases = append(in.Releases, rel)
	}
	for _, r := range b.Reuses {
		in.Reuses = append(in.Reuses, catalogue.ReuseInput{Organisation: r.Organisation, Since: r.Since, Note: r.Note})
	}
	if p := b.Practice; p != nil {
		in.Practice = &catalogue.Practice{Country: p.Country, Level: p.Level, Sector: p.Sector, Year: p.Year}
	}
	for _, t := range b.Translations {
		tr := catalogue.Translation{Lang: t.Lang, Title: strings.TrimSpace(t.Title), Summary: strings.TrimSpace(t.Summary),
			Body: t.Body, Problem: t.Problem, Solution: t.Solution, Results: t.Results, Lessons: t.Lessons}
		prefix := "translations." + t.Lang + "."
		if tr.Summary == "" {
			fail(prefix+"summary", "required")
		}
		for field, limit := range map[string]int{"title": maxTitle, "summary": maxSummary} {
			v := tr.Title
			if field == "summary" {
				v = tr.Summary
			}
			if utf8.RuneCountInString(v) > limit {
				fail(prefix+field, "too_long")
			}
		}
		for field, v := range map[string]string{"body": tr.Body, "problem": tr.Problem, "solution": tr.Solution, "results": tr.Results, "lessons": tr.Lessons} {
			if utf8.RuneCountInString(v) > maxText {
				fail(prefix+field, "too_long")
			}
		}
		in.Translations = append(in.Translations, tr)
	}
	return in, problems
}

// apiWriteResult says what a write did.
type apiWriteResult struct {
	Slug  string `json:"slug"`
	Kind  string `json:"kind"`
	State string `json:"state"`
	// Pending is set when the change waits for a moderator (a revision of
	// a public entry); the public text is unchanged until then.
	Pending  bool         `json:"pending"`
	Revision *uint        `json:"revision,omitempty"`
	URLs     apiEntryURLs `json:"urls"`
}

// apiWriteError answers the errors of a workflow call.
func (s *server) apiWriteError(c *fiber.Ctx, loc *i18n.Locale, err error) error {
	var ve *catalogue.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.apiInvalid(c, loc, ve.Fields)
	case errors.Is(err, catalogue.ErrForbidden):
		return s.apiFail(c, fiber.StatusForbidden, "forbidden", "Your account may not do this to this entry.")
	case errors.Is(err, catalogue.ErrTransition):
		return s.apiFail(c, fiber.StatusConflict, "transition_not_allowed", "The entry's state does not allow this move.")
	case errors.Is(err, catalogue.ErrHarvested):
		return s.apiFail(c, fiber.StatusConflict, "harvested", "This entry is harvested from another catalogue; change it there.")
	case errors.Is(err, catalogue.ErrNotFound):
		return s.apiFail(c, fiber.StatusNotFound, "not_found", "There is no entry "+strconv.Quote(c.Params("slug"))+".")
	}
	return err
}

// apiEntryCreate is POST /api/v1/entries: a new draft, as the form makes
// it; with "propose": true it is sent to moderation at once.
func (s *server) apiEntryCreate(c *fiber.Ctx) error {
	ctx, loc, u := c.UserContext(), s.apiLocale(c), s.user(c)
	var body apiEntryBody
	if err := decodeJSON(c, &body); err != nil {
		return s.apiBadBody(c, err)
	}
	in, problems := body.input()
	if !in.Kind.Valid() {
		problems = append(problems, catalogue.FieldError{Field: "kind", Problem: "unknown"})
	}
	if in.Slug == "" {
		for _, t := range in.Translations {
			if in.Slug == "" || t.Lang == "en" {
				in.Slug = catalogue.Slugify(t.Title)
			}
		}
	}
	in.State = catalogue.StateDraft
	in.Featured = body.Featured != nil && *body.Featured && u.Role.AtLeast(catalogue.RoleModerator)
	if len(problems) > 0 {
		return s.apiInvalid(c, loc, problems)
	}
	e, err := s.workflow.CreateEntry(ctx, in, u, body.Note)
	if err != nil {
		return s.apiWriteError(c, loc, err)
	}
	state := e.State
	if body.Propose {
		if err := s.workflow.Transition(ctx, e.Slug, catalogue.StateProposed, u, ""); err != nil {
			return s.apiWriteError(c, loc, err)
		}
		state = catalogue.StateProposed
	}
	urls := s.apiEntryURLs(loc.Lang, e)
	c.Set(fiber.HeaderLocation, urls.API)
	return c.Status(fiber.StatusCreated).JSON(apiWriteResult{Slug: e.Slug, Kind: string(e.Kind), State: string(state), URLs: urls})
}

// apiEntryEdit is PUT /api/v1/entries/{slug}: the entry's new content,
// saved as the edit form saves it. Languages the body leaves out keep
// their text; kind and slug cannot change. A contributor's change to a
// public entry waits for a moderator (202).
func (s *server) apiEntryEdit(c *fiber.Ctx) error {
	ctx, loc, u := c.UserContext(), s.apiLocale(c), s.user(c)
	var body apiEntryBody
	if err := decodeJSON(c, &body); err != nil {
		return s.apiBadBody(c, err)
	}
	e, err := s.workflow.EntryForEdit(ctx, c.Params("slug"))
	if err != nil {
		return s.apiWriteError(c, loc, err)
	}
	if !catalogue.CanEdit(u, e) {
		return s.apiWriteError(c, loc, catalogue.ErrForbidden)
	}
	in, problems := body.input()
	if body.Kind != "" && catalogue.Kind(body.Kind) != e.Kind {
		problems = append(problems, catalogue.FieldError{Field: "kind", Problem: "format"})
	}
	if in.Slug != "" && in.Slug != e.Slug {
		problems = append(problems, catalogue.FieldError{Field: "slug", Problem: "format"})
	}
	if len(problems) > 0 {
		return s.apiInvalid(c, loc, problems)
	}
	in.Kind, in.Slug = e.Kind, e.Slug
	// What the API does not carry stays as it is: the last review and
	// (for all but moderators) the featured flag.
	in.LastReviewedAt = e.LastReviewedAt
	in.Featured = e.Featured
	if body.Featured != nil && u.Role.AtLeast(catalogue.RoleModerator) {
		in.Featured = *body.Featured
	}
	rev, err := s.workflow.EditEntry(ctx, e.Slug, in, u, body.Note)
	if err != nil {
		return s.apiWriteError(c, loc, err)
	}
	after, err := s.workflow.EntryForEdit(ctx, e.Slug)
	if err != nil {
		return err
	}
	out := apiWriteResult{Slug: after.Slug, Kind: string(after.Kind), State: string(after.State), URLs: s.apiEntryURLs(loc.Lang, after)}
	status := fiber.StatusOK
	if rev != nil {
		out.Revision = &rev.ID
		if rev.State == catalogue.RevisionPending {
			out.Pending, status = true, fiber.StatusAccepted
		}
	}
	return c.Status(status).JSON(out)
}

// apiEntryTransition is POST /api/v1/entries/{slug}/state: moves the entry
// through the workflow ({"to": "proposed", "comment": ""}).
func (s *server) apiEntryTransition(c *fiber.Ctx) error {
	ctx, loc, u := c.UserContext(), s.apiLocale(c), s.user(c)
	var body struct {
		To      string `json:"to"`
		Comment string `json:"comment"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return s.apiBadBody(c, err)
	}
	to := catalogue.State(body.To)
	known := false
	for _, st := range catalogue.States {
		known = known || st == to
	}
	if !known {
		return s.apiInvalid(c, loc, []catalogue.FieldError{{Field: "to", Problem: "unknown"}})
	}
	if err := s.workflow.Transition(ctx, c.Params("slug"), to, u, body.Comment); err != nil {
		return s.apiWriteError(c, loc, err)
	}
	e, err := s.workflow.EntryForEdit(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(apiWriteResult{Slug: e.Slug, Kind: string(e.Kind), State: string(e.State), URLs: s.apiEntryURLs(loc.Lang, e)})
}
