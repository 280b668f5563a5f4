package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// historyView is an entry's revisions and audit log, and a diff between
// two revisions when asked for.
type historyView struct {
	Entry     *catalogue.Entry
	Revisions []catalogue.Revision
	Log       []catalogue.Transition
	From, To  uint
	Diff      []catalogue.DiffLine
	CanEdit   bool
	Form      *form
}

// contributeHistory shows who changed what and when, and the differences
// between any two revisions (?from=&to=).
func (s *server) contributeHistory(c *fiber.Ctx) error {
	e, err := s.editableEntry(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	revs, err := s.workflow.Revisions(ctx, e.ID)
	if err != nil {
		return err
	}
	log, err := s.workflow.History(ctx, e.ID)
	if err != nil {
		return err
	}
	v := historyView{Entry: e, Revisions: revs, Log: log, CanEdit: catalogue.CanEdit(s.user(c), e), Form: s.newForm(c)}
	from, to := c.QueryInt("from"), c.QueryInt("to")
	if from == 0 && to == 0 && len(revs) > 1 {
		from, to = int(revs[1].ID), int(revs[0].ID)
	}
	if from > 0 && to > 0 {
		a, b := findRevision(revs, uint(from)), findRevision(revs, uint(to))
		if a == nil || b == nil {
			return fiber.ErrNotFound
		}
		ina, err := a.Input()
		if err != nil {
			return err
		}
		inb, err := b.Input()
		if err != nil {
			return err
		}
		v.From, v.To, v.Diff = a.ID, b.ID, catalogue.DiffInputs(ina, inb)
	}
	p := s.newPage(c, s.locale(c).Tr("history.title", "Title", e.TitleIn(s.locale(c).Lang)), v)
	p.Nav = "/contribute"
	return s.render(c, fiber.StatusOK, "history", p)
}

func findRevision(revs []catalogue.Revision, id uint) *catalogue.Revision {
	for i := range revs {
		if revs[i].ID == id {
			return &revs[i]
		}
	}
	return nil
}

// contributeRestore saves an old revision's content again, as a new
// revision (pending when the entry is public and the user not a moderator).
func (s *server) contributeRestore(c *fiber.Ctx) error {
	e, err := s.editableEntry(c)
	if err != nil {
		return err
	}
	id, err := strconv.Atoi(c.FormValue("revision"))
	if err != nil {
		return fiber.ErrBadRequest
	}
	rev, err := s.workflow.Revision(c.UserContext(), uint(id))
	if err != nil {
		return err
	}
	if rev.EntryID != e.ID {
		return fiber.ErrNotFound
	}
	_, err = s.workflow.RestoreRevision(c.UserContext(), rev.ID, s.user(c))
	switch {
	case errors.Is(err, catalogue.ErrForbidden):
		return fiber.ErrForbidden
	case err != nil:
		return err
	}
	return c.Redirect(s.contributeURL(c, e.Slug, "saved=1"), fiber.StatusSeeOther)
}
