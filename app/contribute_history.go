package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
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
		v.From, v.To, v.Diff = a.ID, b.ID, catalogue.DiffInputs(ina, inb, diffLabels(s.locale(c)))
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
	var ve *catalogue.ValidationError
	switch {
	case errors.Is(err, catalogue.ErrForbidden):
		return fiber.ErrForbidden
	case errors.As(err, &ve):
		// The old content no longer fits (an organisation, a related entry
		// or a vocabulary changed since): say what, nothing is changed.
		loc := s.locale(c)
		var problems []string
		for _, fe := range ve.Fields {
			problems = append(problems, fe.Field+": "+problemText(loc, fe.Problem))
		}
		return s.showNotice(c, fiber.StatusUnprocessableEntity, notice{
			Heading: loc.Tr("history.restore.failed"), Text: strings.Join(problems, " "),
			Link: "/" + loc.Lang + "/contribute/" + e.Slug + "/history", LinkText: loc.Tr("history.link"),
		})
	case err != nil:
		return err
	}
	return c.Redirect(s.contributeURL(c, e.Slug, "saved=1"), fiber.StatusSeeOther)
}

// diffLabels names the fields of a revision's text in the page's language,
// with the labels the entry's page and form use.
func diffLabels(loc *i18n.Locale) catalogue.Labeler {
	keys := map[string]string{
		"kind": "contribute.kind", "slug": "contribute.field.slug", "owner": "entry.owner", "featured": "home.featured",
		"homepage": "entry.homepage", "licence": "entry.licence", "status": "entry.status", "reviewed": "entry.reviewed",
		"layer": "entry.layers", "principle": "entry.principles", "theme": "entry.themes", "country": "entry.countries",
		"language": "entry.languages", "keywords": "entry.keywords", "related": "entry.related",
		"title": "contribute.field.title", "summary": "contribute.field.summary", "body": "contribute.field.body",
		"problem": "contribute.field.problem", "solution": "contribute.field.solution", "results": "contribute.field.results",
		"lessons": "contribute.field.lessons", "practice.country": "practice.country", "practice.level": "practice.level",
		"practice.sector": "practice.sector", "practice.year": "practice.year", "release": "entry.releases",
		"distribution": "entry.distributions", "contact": "entry.contacts", "reuse": "entry.reuse",
	}
	return func(key string, args ...any) string {
		if key == "since" && len(args) == 1 {
			return loc.Tr("entry.reuse.since", "Year", args[0])
		}
		return loc.Tr(keys[key])
	}
}
