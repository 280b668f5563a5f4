package app

import (
	"github.com/gofiber/fiber/v2"
)

// contributeDetach detaches a harvested entry from its source, so that it
// can be edited here (moderators).
func (s *server) contributeDetach(c *fiber.Ctx) error {
	e, err := s.workflow.EntryForEdit(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if err := s.harvests.DetachEntry(c.UserContext(), e.ID); err != nil {
		return err
	}
	return c.Redirect(s.contributeURL(c, e.Slug, ""), fiber.StatusSeeOther)
}
