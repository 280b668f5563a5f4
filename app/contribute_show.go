package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// contributeListView is the contributor's own entries.
type contributeListView struct {
	Entries []*catalogue.Entry
	Kinds   []catalogue.Kind
}

// contributeList lists the entries the user created or their organisations
// own, in any state, with links to start a new one.
func (s *server) contributeList(c *fiber.Ctx) error {
	entries, err := s.workflow.EntriesOf(c.UserContext(), s.user(c))
	if err != nil {
		return err
	}
	p := s.newPage(c, s.locale(c).Tr("contribute.title"), contributeListView{Entries: entries, Kinds: catalogue.Kinds})
	p.Nav = "/contribute"
	return s.render(c, fiber.StatusOK, "contribute", p)
}

// entryWorkflowView is an entry's page for its editors and moderators.
type entryWorkflowView struct {
	Entry       *catalogue.Entry
	Pending     *catalogue.Revision
	Transitions []catalogue.State
	Form        *form
	Saved       bool
	Moderator   bool
	Attachments []attachmentItem
	CanAttach   bool
}

// editableEntry loads the entry of the :slug parameter and checks that the
// user may work on it (edit it, or moderate).
func (s *server) editableEntry(c *fiber.Ctx) (*catalogue.Entry, error) {
	e, err := s.workflow.EntryForEdit(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	u := s.user(c)
	if !catalogue.CanEdit(u, e) && !u.Role.AtLeast(catalogue.RoleModerator) {
		return nil, fiber.ErrForbidden
	}
	return e, nil
}

// contributeShow shows an entry's state, its pending revision and the
// moves the user may make.
func (s *server) contributeShow(c *fiber.Ctx) error {
	e, err := s.editableEntry(c)
	if err != nil {
		return err
	}
	return s.renderWorkflow(c, e, s.newForm(c), fiber.StatusOK)
}

func (s *server) renderWorkflow(c *fiber.Ctx, e *catalogue.Entry, f *form, status int) error {
	u := s.user(c)
	v := entryWorkflowView{Entry: e, Transitions: catalogue.AllowedTransitions(e, u), Form: f,
		Saved: c.Query("saved") != "", Moderator: u.Role.AtLeast(catalogue.RoleModerator)}
	pending, err := s.workflow.PendingRevision(c.UserContext(), e.ID)
	switch {
	case err == nil:
		v.Pending = pending
	case !errors.Is(err, catalogue.ErrNotFound):
		return err
	}
	v.CanAttach = canAttach(u, e)
	if v.Attachments, err = s.attachmentItems(c, e.ID); err != nil {
		return err
	}
	p := s.newPage(c, e.TitleIn(s.locale(c).Lang), v)
	p.Nav = "/contribute"
	return s.render(c, status, "entry_workflow", p)
}

// contributeTransition moves an entry to another state.
func (s *server) contributeTransition(c *fiber.Ctx) error {
	e, err := s.editableEntry(c)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	f := s.newForm(c)
	to := catalogue.State(f.Get("to"))
	err = s.workflow.Transition(c.UserContext(), e.Slug, to, s.user(c), f.Trimmed("comment"))
	switch {
	case err == nil:
		return c.Redirect(s.contributeURL(c, e.Slug, "saved=1"), fiber.StatusSeeOther)
	case errors.Is(err, catalogue.ErrForbidden):
		return fiber.ErrForbidden
	case errors.Is(err, catalogue.ErrTransition):
		f.Errors[""] = loc.Tr("contribute.state.conflict")
		return s.renderWorkflow(c, e, f, fiber.StatusConflict)
	case f.addValidation(loc, err, nil):
		return s.renderWorkflow(c, e, f, fiber.StatusUnprocessableEntity)
	}
	return err
}

// contributePreview shows an entry in any state as its public page would.
func (s *server) contributePreview(c *fiber.Ctx) error {
	e, err := s.editableEntry(c)
	if err != nil {
		return err
	}
	return s.showEntry(c, e)
}
