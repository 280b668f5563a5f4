package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// apiSchemes are the vocabularies the API lists, in order.
var apiSchemes = []catalogue.Scheme{
	catalogue.SchemeLayer, catalogue.SchemePrinciple, catalogue.SchemeTheme, catalogue.SchemeCountry,
	catalogue.SchemeLanguage, catalogue.SchemeLicence, catalogue.SchemeStatus, catalogue.SchemeOwnerType,
}

// apiVocabulary is one scheme with its concepts.
type apiVocabulary struct {
	Scheme   string       `json:"scheme"`
	URL      string       `json:"url"`
	Concepts []apiConcept `json:"concepts"`
}

func (s *server) apiVocabularyOf(c *fiber.Ctx, scheme catalogue.Scheme) (apiVocabulary, error) {
	loc := s.apiLocale(c)
	concepts, err := s.workflow.Concepts(c.UserContext(), scheme)
	if err != nil {
		return apiVocabulary{}, err
	}
	v := apiVocabulary{Scheme: string(scheme), URL: s.baseURL + apiPrefix + "/vocabularies/" + string(scheme), Concepts: []apiConcept{}}
	for _, cp := range concepts {
		v.Concepts = append(v.Concepts, s.apiConcept(loc, cp))
	}
	return v, nil
}

// apiVocabularies is GET /api/v1/vocabularies: every scheme with its
// concepts (code, URI, label in lang).
func (s *server) apiVocabularies(c *fiber.Ctx) error {
	out := struct {
		Vocabularies []apiVocabulary `json:"vocabularies"`
	}{Vocabularies: []apiVocabulary{}}
	for _, scheme := range apiSchemes {
		v, err := s.apiVocabularyOf(c, scheme)
		if err != nil {
			return err
		}
		out.Vocabularies = append(out.Vocabularies, v)
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(out)
}

// apiVocabulary is GET /api/v1/vocabularies/{scheme}.
func (s *server) apiVocabulary(c *fiber.Ctx) error {
	for _, scheme := range apiSchemes {
		if string(scheme) == c.Params("scheme") {
			v, err := s.apiVocabularyOf(c, scheme)
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
			return c.JSON(v)
		}
	}
	return s.apiFail(c, fiber.StatusNotFound, "not_found", "There is no vocabulary "+strconv.Quote(c.Params("scheme"))+".")
}

// apiOrganisation is an organisation in full.
type apiOrganisationFull struct {
	apiOrgRef
	Type         string            `json:"type,omitempty"`
	Country      string            `json:"country,omitempty"`
	Website      string            `json:"website,omitempty"`
	Descriptions map[string]string `json:"descriptions"`
	Page         string            `json:"page"`
	Entries      []apiEntrySummary `json:"entries"`
	Reuses       []apiEntrySummary `json:"reuses"`
}

// apiOrganisations is GET /api/v1/organisations: every organisation, by name.
func (s *server) apiOrganisations(c *fiber.Ctx) error {
	orgs, err := s.workflow.Organisations(c.UserContext())
	if err != nil {
		return err
	}
	out := struct {
		Organisations []apiOrgRef `json:"organisations"`
	}{Organisations: []apiOrgRef{}}
	for i := range orgs {
		out.Organisations = append(out.Organisations, *s.apiOrgRef(&orgs[i]))
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}

// apiOrganisation is GET /api/v1/organisations/{slug}: an organisation with
// the public entries it owns (the first 100) and those it reuses.
func (s *server) apiOrganisation(c *fiber.Ctx) error {
	ctx, loc := c.UserContext(), s.apiLocale(c)
	o, err := s.cat.OrganisationBySlug(ctx, c.Params("slug"))
	if errors.Is(err, catalogue.ErrNotFound) {
		return s.apiFail(c, fiber.StatusNotFound, "not_found", "There is no organisation "+strconv.Quote(c.Params("slug"))+".")
	}
	if err != nil {
		return err
	}
	out := apiOrganisationFull{apiOrgRef: *s.apiOrgRef(o), Type: o.Type, Country: o.Country, Website: o.Website,
		Descriptions: map[string]string{}, Page: s.baseURL + "/" + loc.Lang + "/organisations/" + o.Slug,
		Entries: []apiEntrySummary{}, Reuses: []apiEntrySummary{}}
	for _, t := range o.Translations {
		out.Descriptions[t.Lang] = t.Description
	}
	summary := func(e *catalogue.Entry) apiEntrySummary {
		return apiEntrySummary{Slug: e.Slug, Kind: string(e.Kind), Title: e.TitleIn(loc.Lang), Summary: e.SummaryIn(loc.Lang),
			Owner: s.apiOrgRef(e.Owner), Updated: e.UpdatedAt.UTC(), URLs: s.apiEntryURLs(loc.Lang, e)}
	}
	page, err := s.cat.ListEntries(ctx, catalogue.ListQuery{Owner: o.Slug, Lang: loc.Lang, Limit: 100})
	if err != nil {
		return err
	}
	for _, e := range page.Entries {
		out.Entries = append(out.Entries, summary(e))
	}
	reuses, err := s.cat.ReusedBy(ctx, o.ID, loc.Lang)
	if err != nil {
		return err
	}
	for _, r := range reuses {
		out.Reuses = append(out.Reuses, summary(r.Entry))
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}
