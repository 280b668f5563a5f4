package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// moderationView is the moderation queue and whether a decision was just
// saved.
type moderationView struct {
	Items []catalogue.QueueItem
	Done  bool
}

// moderationQueue lists proposed entries and pending revisions, oldest
// first.
func (s *server) moderationQueue(c *fiber.Ctx) error {
	items, err := s.workflow.ModerationQueue(c.UserContext())
	if err != nil {
		return err
	}
	p := s.newPage(c, s.locale(c).Tr("moderation.title"), moderationView{Items: items, Done: c.Query("done") != ""})
	p.Nav = "/moderation"
	return s.render(c, fiber.StatusOK, "moderation", p)
}

// revisionReviewView shows a pending revision against the published text.
type revisionReviewView struct {
	Entry    *catalogue.Entry
	Revision *catalogue.Revision
	Diff     []catalogue.DiffLine
	Form     *form
}

// moderationRevision shows a pending revision and takes the moderator's
// decision: validate it, or send it back with a comment.
func (s *server) moderationRevision(c *fiber.Ctx) error {
	ctx := c.UserContext()
	loc := s.locale(c)
	id, _ := strconv.Atoi(c.Params("id"))
	rev, err := s.workflow.Revision(ctx, uint(id))
	if err != nil {
		return err
	}
	f := s.newForm(c)
	status := fiber.StatusOK
	if c.Method() == fiber.MethodPost {
		approve := f.Get("decision") == "approve"
		err := s.workflow.DecideRevision(ctx, rev.ID, approve, s.user(c), f.Trimmed("comment"))
		switch {
		case err == nil:
			return c.Redirect("/"+loc.Lang+"/moderation?done=1", fiber.StatusSeeOther)
		case errors.Is(err, catalogue.ErrForbidden):
			return fiber.ErrForbidden
		case errors.Is(err, catalogue.ErrTransition):
			f.Errors[""] = loc.Tr("contribute.state.conflict")
			status = fiber.StatusConflict
		case f.addValidation(loc, err, nil):
			status = fiber.StatusUnprocessableEntity
		default:
			return err
		}
	}
	var e *catalogue.Entry
	revs, err := s.workflow.Revisions(ctx, rev.EntryID)
	if err != nil {
		return err
	}
	// Compare with the latest applied revision: the text online now.
	var current *catalogue.Revision
	for i := range revs {
		if revs[i].State == catalogue.RevisionApplied {
			current = &revs[i]
			break
		}
	}
	in, err := rev.Input()
	if err != nil {
		return err
	}
	e, err = s.workflow.EntryForEdit(ctx, in.Slug)
	if err != nil {
		return err
	}
	v := revisionReviewView{Entry: e, Revision: rev, Form: f}
	if current != nil {
		old, err := current.Input()
		if err != nil {
			return err
		}
		v.Diff = catalogue.DiffInputs(old, in, diffLabels(loc))
	}
	p := s.newPage(c, loc.Tr("moderation.revision.title", "Title", e.TitleIn(loc.Lang)), v)
	p.Nav = "/moderation"
	return s.render(c, status, "revision_review", p)
}

// moderationMisses lists the searches that found nothing, most frequent
// first: what people look for and the catalogue lacks.
func (s *server) moderationMisses(c *fiber.Ctx) error {
	misses, err := s.workflow.SearchMisses(c.UserContext(), 200)
	if err != nil {
		return err
	}
	p := s.newPage(c, s.locale(c).Tr("moderation.misses.title"), misses)
	p.Nav = "/moderation"
	return s.render(c, fiber.StatusOK, "search_misses", p)
}
