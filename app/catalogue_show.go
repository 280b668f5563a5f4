package app

import (
	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

type entryView struct {
	Entry *catalogue.Entry
	// T holds the title and summary, Text the body and sections; either may
	// be the English fallback when the page language lacks it.
	T, Text       *catalogue.Translation
	Fallback      bool // T is not in the page language
	TextFallback  bool // Text is not in the page language (T is)
	Outdated      bool
	Sections      map[string]string // a practice's rendered narrative by part
	SectionsOrder []string
	Attachments   []attachmentItem
	Follow        followButton
	Course        *courseView // the syllabus of a course
	// Editable is set for a user who may edit the entry: the page links to
	// its workflow page.
	Editable bool
	// Harvest says where a harvested entry comes from; nil for others.
	Harvest *catalogue.HarvestedEntry
	// Moderator is set for moderators and admins (they may detach a
	// harvested entry).
	Moderator bool
}

// catalogueShow shows one entry with everything known about it.
func (s *server) catalogueShow(c *fiber.Ctx) error {
	kind, ok := catalogue.KindFromPlural(c.Params("kinds"))
	if !ok {
		return fiber.ErrNotFound
	}
	if done, err := s.entryRDF(c, kind); done {
		return err
	}
	e, err := s.cat.EntryBySlug(c.UserContext(), kind, c.Params("slug"))
	if err != nil {
		return err
	}
	return s.showEntry(c, e)
}

// showEntry renders an entry's page.
func (s *server) showEntry(c *fiber.Ctx, e *catalogue.Entry) error {
	loc := s.locale(c)
	t, found := e.Translation(loc.Lang)
	text, textFound := e.TextTranslation(loc.Lang)
	v := entryView{
		Entry: e, T: t, Text: text, Fallback: !found, TextFallback: found && !textFound,
		Outdated: e.Outdated(s.now()),
		Sections: map[string]string{
			"problem": text.ProblemHTML, "solution": text.SolutionHTML,
			"results": text.ResultsHTML, "lessons": text.LessonsHTML,
		},
		SectionsOrder: []string{"problem", "solution", "results", "lessons"},
	}
	attachments, err := s.attachmentItems(c, e.ID)
	if err != nil {
		return err
	}
	v.Attachments = attachments
	if e.State.Public() {
		if v.Follow, err = s.followState(c, catalogue.FollowEntry, e.Slug); err != nil {
			return err
		}
	}
	v.Course = s.courseSyllabus(e, loc.Lang)
	if v.Course != nil {
		if v.Course.Progress, err = s.progressOf(c, v.Course.Course); err != nil {
			return err
		}
		v.Course.CSRF = s.csrfToken(c)
	}
	u := s.user(c)
	v.Moderator = u != nil && u.Role.AtLeast(catalogue.RoleModerator)
	v.Editable = catalogue.CanEdit(u, e) || v.Moderator
	if v.Harvest, err = s.harvests.HarvestInfo(c.UserContext(), e.ID); err != nil {
		return err
	}
	p := s.newPage(c, t.Title, v)
	p.Description = t.Summary
	p.Nav = "/" + e.Kind.Plural()
	return s.render(c, fiber.StatusOK, "entry", p)
}
