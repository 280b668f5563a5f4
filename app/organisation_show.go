package app

import (
	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

type organisationView struct {
	Org         *catalogue.Organisation
	Description string
	Fallback    bool
	Owns        *catalogue.ListPage
	Reuses      []catalogue.ReuseOf
	Follow      followButton
}

// organisationShow shows an organisation, what it publishes and what it reuses.
func (s *server) organisationShow(c *fiber.Ctx) error {
	ctx, loc := c.UserContext(), s.locale(c)
	org, err := s.cat.OrganisationBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	owns, err := s.cat.ListEntries(ctx, catalogue.ListQuery{Owner: org.Slug, Lang: loc.Lang, Limit: 100})
	if err != nil {
		return err
	}
	reuses, err := s.cat.ReusedBy(ctx, org.ID, loc.Lang)
	if err != nil {
		return err
	}
	follow, err := s.followState(c, catalogue.FollowOrganisation, org.Slug)
	if err != nil {
		return err
	}
	desc, found := org.Description(loc.Lang)
	p := s.newPage(c, org.Name, organisationView{Org: org, Description: desc, Fallback: !found && desc != "", Owns: owns, Reuses: reuses, Follow: follow})
	if desc != "" {
		p.Description = desc
	}
	return s.render(c, fiber.StatusOK, "organisation", p)
}
