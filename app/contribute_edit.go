package app

import (
	"errors"
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// contributeNew shows and handles the form for a new entry of a kind.
func (s *server) contributeNew(c *fiber.Ctx) error {
	kind := catalogue.Kind(c.Query("kind", c.FormValue("kind")))
	if !kind.Valid() {
		return fiber.ErrNotFound
	}
	loc := s.locale(c)
	u := s.user(c)
	tl := s.textLanguage(c)
	v := &entryForm{form: s.newForm(c), New: true, Kind: kind, TL: tl}
	base := catalogue.EntryInput{Kind: kind, State: catalogue.StateDraft}
	if c.Method() == fiber.MethodPost {
		in := readForm(loc, v.form, base, tl)
		in.Featured = u.Role.AtLeast(catalogue.RoleModerator) && v.Get("featured") == "yes"
		in.Slug = v.Trimmed("slug")
		if in.Slug == "" {
			in.Slug = catalogue.Slugify(v.Trimmed("title"))
			v.Values.Set("slug", in.Slug)
		}
		if v.Get("action") == "preview" {
			return s.renderEntryForm(c, v, u, in)
		}
		if !v.Invalid() {
			_, err := s.workflow.CreateEntry(c.UserContext(), in, u, v.Trimmed("note"))
			switch {
			case err == nil:
				return c.Redirect(s.contributeURL(c, in.Slug, "saved=1&tl="+tl), fiber.StatusSeeOther)
			case !v.addValidation(loc, err, validationFields(tl)):
				return err
			}
		}
		return s.renderEntryForm(c, v, u, in)
	}
	if len(u.Organisations) == 1 {
		v.Values.Set("owner", u.Organisations[0].Slug)
	}
	return s.renderEntryForm(c, v, u, base)
}

// contributeEdit shows and handles the form of an existing entry, one
// language's text at a time.
func (s *server) contributeEdit(c *fiber.Ctx) error {
	loc := s.locale(c)
	u := s.user(c)
	e, err := s.workflow.EntryForEdit(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if !catalogue.CanEdit(u, e) {
		return fiber.ErrForbidden
	}
	tl := s.textLanguage(c)
	v := &entryForm{form: s.newForm(c), Kind: e.Kind, Slug: e.Slug, TL: tl, Entry: e,
		Pending:   e.State.Public() && !u.Role.AtLeast(catalogue.RoleModerator),
		Withdraws: e.State == catalogue.StateProposed && !u.Role.AtLeast(catalogue.RoleModerator)}
	// A contributor goes on from their own latest proposal (waiting, or
	// sent back with a comment), not from the published text.
	base := catalogue.InputFromEntry(e)
	if v.Pending {
		proposal, comment, err := s.latestProposal(c, e.ID, u.ID)
		if err != nil {
			return err
		}
		if proposal != nil {
			if base, err = proposal.Input(); err != nil {
				return err
			}
			v.SentBack = comment
		}
	}
	if c.Method() == fiber.MethodPost {
		in := readForm(loc, v.form, base, tl)
		if u.Role.AtLeast(catalogue.RoleModerator) {
			in.Featured = v.Get("featured") == "yes"
		}
		if v.Get("action") == "preview" {
			return s.renderEntryForm(c, v, u, in)
		}
		if !v.Invalid() {
			_, err := s.workflow.EditEntry(c.UserContext(), e.Slug, in, u, v.Trimmed("note"))
			switch {
			case err == nil:
				return c.Redirect(s.contributeURL(c, e.Slug, "saved=1&tl="+tl), fiber.StatusSeeOther)
			case errors.Is(err, catalogue.ErrForbidden):
				return fiber.ErrForbidden
			case errors.Is(err, catalogue.ErrHarvested):
				// Everything typed stays on the form; the page says why.
				v.Errors[""] = loc.Tr("harvest.locked.error")
				return s.renderEntryForm(c, v, u, in)
			case !v.addValidation(loc, err, validationFields(tl)):
				return err
			}
		}
		return s.renderEntryForm(c, v, u, in)
	}
	fillForm(v.form, base, tl)
	v.Saved = c.Query("saved") != ""
	return s.renderEntryForm(c, v, u, base)
}

// renderEntryForm renders the editor; with action=preview it shows the
// text rendered as the page would show it.
func (s *server) renderEntryForm(c *fiber.Ctx, v *entryForm, u *catalogue.User, in catalogue.EntryInput) error {
	if err := s.loadEntryForm(c, v, u); err != nil {
		return err
	}
	v.surfaceHiddenProblems()
	if v.Get("action") == "preview" {
		v.Preview = map[string]template.HTML{}
		for _, name := range v.Sections() {
			html, err := s.markdown(v.Get(name))
			if err != nil {
				return err
			}
			v.Preview[name] = template.HTML(html) // sanitised by the one Markdown configuration
		}
	}
	loc := s.locale(c)
	title := loc.Tr("contribute.new.title", "Kind", loc.Tr("kind."+string(v.Kind)))
	if !v.New {
		title = loc.Tr("contribute.edit.title", "Title", v.Entry.TitleIn(loc.Lang))
	}
	status := fiber.StatusOK
	if v.Invalid() {
		status = fiber.StatusUnprocessableEntity
	}
	p := s.newPage(c, title, v)
	p.Nav = "/contribute"
	return s.render(c, status, "entry_form", p)
}

// textLanguage is the language whose text the form edits: ?tl= (or the
// posted tl), else the page's language.
func (s *server) textLanguage(c *fiber.Ctx) string {
	tl := c.FormValue("tl", c.Query("tl"))
	if !catalogue.IsLanguage(tl) {
		tl = s.locale(c).Lang
	}
	return tl
}

// contributeURL is the address of an entry's workflow page.
func (s *server) contributeURL(c *fiber.Ctx, slug, query string) string {
	u := "/" + s.locale(c).Lang + "/contribute/" + url.PathEscape(slug)
	if query != "" {
		u += "?" + query
	}
	return u
}

// latestProposal is the user's newest revision of an entry that is still
// a proposal (pending, or sent back for changes), newer than the text
// online, and the moderator's comment when it was sent back.
func (s *server) latestProposal(c *fiber.Ctx, entryID, userID uint) (*catalogue.Revision, string, error) {
	revs, err := s.workflow.Revisions(c.UserContext(), entryID)
	if err != nil {
		return nil, "", err
	}
	for i := range revs {
		r := &revs[i]
		if r.State == catalogue.RevisionApplied {
			return nil, "", nil
		}
		if r.AuthorID == nil || *r.AuthorID != userID {
			continue
		}
		switch r.State {
		case catalogue.RevisionPending:
			return r, "", nil
		case catalogue.RevisionChangesRequested:
			log, err := s.workflow.History(c.UserContext(), entryID)
			if err != nil {
				return nil, "", err
			}
			for _, t := range log {
				if t.RevisionID != nil && *t.RevisionID == r.ID && t.Comment != "" {
					return r, t.Comment, nil
				}
			}
			return r, "", nil
		}
	}
	return nil, "", nil
}
