package app

import (
	"context"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
	"interophub/catalogue"
)

// Workflow is what the contribution and moderation pages need.
type Workflow interface {
	Concepts(ctx context.Context, scheme catalogue.Scheme) ([]catalogue.Concept, error)
	Organisations(ctx context.Context) ([]catalogue.Organisation, error)
	EntryForEdit(ctx context.Context, slug string) (*catalogue.Entry, error)
	CreateEntry(ctx context.Context, in catalogue.EntryInput, by *catalogue.User, note string) (*catalogue.Entry, error)
	EditEntry(ctx context.Context, slug string, in catalogue.EntryInput, by *catalogue.User, note string) (*catalogue.Revision, error)
	Transition(ctx context.Context, slug string, to catalogue.State, by *catalogue.User, comment string) error
	DecideRevision(ctx context.Context, revisionID uint, approve bool, by *catalogue.User, comment string) error
	RestoreRevision(ctx context.Context, revisionID uint, by *catalogue.User) (*catalogue.Revision, error)
	Revisions(ctx context.Context, entryID uint) ([]catalogue.Revision, error)
	Revision(ctx context.Context, id uint) (*catalogue.Revision, error)
	PendingRevision(ctx context.Context, entryID uint) (*catalogue.Revision, error)
	History(ctx context.Context, entryID uint) ([]catalogue.Transition, error)
	ModerationQueue(ctx context.Context) ([]catalogue.QueueItem, error)
	EntriesOf(ctx context.Context, u *catalogue.User) ([]*catalogue.Entry, error)
	SearchMisses(ctx context.Context, limit int) ([]catalogue.SearchMiss, error)
}

var _ Workflow = (*catalogue.Store)(nil)

// Text limits of the entry form, in characters.
const (
	maxTitle   = 300
	maxSummary = 1000
	maxText    = 100_000
)

// entryRows is how many contact and release rows the form offers beyond
// those the entry has: enough without JavaScript to add a few at a time.
const entryRows = 2

// option is a choice of a select, checkbox or radio list.
type option struct{ Value, Label string }

// entryForm is the entry editor's model.
type entryForm struct {
	*form
	New     bool
	Kind    catalogue.Kind
	Slug    string
	TL      string // the language whose text is being edited
	Entry   *catalogue.Entry
	Pending bool // saving will propose a revision rather than change the page
	// SentBack is the moderator's comment on the proposal being edited.
	SentBack string
	// Withdraws is set when saving takes a proposal back to draft.
	Withdraws bool
	Vocab     map[string][]option
	Owners    []option
	Levels    []option
	Contacts  []int
	Releases  []int
	Reuses    []int
	// Orgs are every organisation, for "used by"; Moderator shows the
	// moderators' own fields (featured).
	Orgs      []option
	Moderator bool
	Preview   map[string]template.HTML
	Saved     bool
}

// textFields are the translated fields of an entry, in form order; the
// practice sections only for good practices.
var textFields = []string{"title", "summary", "body", "problem", "solution", "results", "lessons"}

// textField is the translation's field of a form name in textFields.
func textField(t *catalogue.Translation, name string) *string {
	switch name {
	case "title":
		return &t.Title
	case "summary":
		return &t.Summary
	case "problem":
		return &t.Problem
	case "solution":
		return &t.Solution
	case "results":
		return &t.Results
	case "lessons":
		return &t.Lessons
	}
	return &t.Body
}

// Sections lists the Markdown sections the form shows for this kind.
func (v *entryForm) Sections() []string {
	if v.Kind == catalogue.KindPractice {
		return []string{"problem", "solution", "results", "lessons", "body"}
	}
	return []string{"body"}
}

// IsSolution reports whether the form edits a solution (releases).
func (v *entryForm) IsSolution() bool { return v.Kind == catalogue.KindSolution }

// HasReuses reports whether the form records who reuses the entry
// (solutions and standards).
func (v *entryForm) HasReuses() bool {
	return v.Kind == catalogue.KindSolution || v.Kind == catalogue.KindStandard
}

// IsPractice reports whether the form edits a good practice.
func (v *entryForm) IsPractice() bool { return v.Kind == catalogue.KindPractice }

// loadEntryForm fills the choices of the entry form for user u.
func (s *server) loadEntryForm(c *fiber.Ctx, v *entryForm, u *catalogue.User) error {
	ctx := c.UserContext()
	loc := s.locale(c)
	v.Vocab = map[string][]option{}
	for _, scheme := range []catalogue.Scheme{catalogue.SchemeLayer, catalogue.SchemePrinciple, catalogue.SchemeTheme,
		catalogue.SchemeCountry, catalogue.SchemeLanguage, catalogue.SchemeLicence, catalogue.SchemeStatus} {
		concepts, err := s.workflow.Concepts(ctx, scheme)
		if err != nil {
			return err
		}
		opts := make([]option, len(concepts))
		for i, cp := range concepts {
			opts[i] = option{cp.Code, filterLabel(loc, string(scheme), catalogue.FilterValue{Code: cp.Code, Label: cp.Label})}
		}
		v.Vocab[string(scheme)] = opts
	}
	orgs, err := s.workflow.Organisations(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, option{o.Slug, o.Name})
	}
	v.Moderator = u.Role.AtLeast(catalogue.RoleModerator)
	if v.Moderator {
		v.Owners = v.Orgs
	} else {
		for _, o := range u.Organisations {
			v.Owners = append(v.Owners, option{o.Slug, o.Name})
		}
	}
	for _, l := range catalogue.PracticeLevels {
		v.Levels = append(v.Levels, option{l, loc.Tr("level." + l)})
	}
	v.Contacts = rows(v.form, "contact", entryRows)
	v.Releases = rows(v.form, "release", entryRows)
	v.Reuses = rows(v.form, "reuse", entryRows)
	return nil
}

// rows numbers the repeated rows of a group: those with values plus extra
// empty ones.
func rows(f *form, group string, extra int) []int {
	n := 0
	for key := range f.Values {
		if rest, ok := strings.CutPrefix(key, group+"."); ok {
			// Rows past the cap are ignored: a made-up index must not make
			// the page (or the server's memory) grow without end.
			if i, err := strconv.Atoi(strings.SplitN(rest, ".", 2)[0]); err == nil && i >= 0 && i < catalogue.MaxListItems && i+1 > n {
				n = i + 1
			}
		}
	}
	out := make([]int, n+extra)
	for i := range out {
		out[i] = i
	}
	return out
}

// Row is a field of a repeated row ("contact.0.name").
func (v *entryForm) Row(group string, i int, field string) string {
	return v.Get(group + "." + strconv.Itoa(i) + "." + field)
}

// fillForm writes an entry input into the form's values, with the text of
// language tl.
func fillForm(f *form, in catalogue.EntryInput, tl string) {
	set := f.Values.Set
	set("slug", in.Slug)
	set("owner", in.Owner)
	set("homepage", in.Homepage)
	set("licence", in.Licence)
	set("status", in.Status)
	for scheme, codes := range in.Concepts {
		f.Values[string(scheme)] = append([]string(nil), codes...)
	}
	set("related", strings.Join(in.Related, ", "))
	set("keywords", strings.Join(in.Keywords[tl], ", "))
	for _, t := range in.Translations {
		if t.Lang == tl {
			for _, name := range textFields {
				set(name, *textField(&t, name))
			}
		}
	}
	for i, ct := range in.Contacts {
		p := "contact." + strconv.Itoa(i) + "."
		set(p+"name", ct.Name)
		set(p+"email", ct.Email)
		set(p+"url", ct.URL)
	}
	for i, r := range in.Releases {
		p := "release." + strconv.Itoa(i) + "."
		set(p+"version", r.Version)
		if r.Date != nil {
			set(p+"date", r.Date.Format(time.DateOnly))
		}
		set(p+"notes", r.Notes)
		if len(r.Distributions) > 0 {
			set(p+"url", r.Distributions[0].URL)
		}
	}
	for i, r := range in.Reuses {
		p := "reuse." + strconv.Itoa(i) + "."
		set(p+"org", r.Organisation)
		if r.Since != 0 {
			set(p+"since", strconv.Itoa(r.Since))
		}
		set(p+"note", r.Note)
	}
	if in.Featured {
		set("featured", "yes")
	}
	if pr := in.Practice; pr != nil {
		set("practice.country", pr.Country)
		set("practice.level", pr.Level)
		set("practice.sector", pr.Sector)
		if pr.Year != 0 {
			set("practice.year", strconv.Itoa(pr.Year))
		}
	}
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// readForm applies the form's values to base (the entry as it is, or an
// empty input for a new one): the common fields, and the text of language
// tl; other languages' text is kept. Problems the catalogue cannot see
// (lengths, number and date formats) go on the form.
func readForm(loc *i18n.Locale, f *form, base catalogue.EntryInput, tl string) catalogue.EntryInput {
	in := base
	in.Owner = f.Trimmed("owner")
	in.Homepage = f.Trimmed("homepage")
	tooLong(loc, f, "homepage", in.Homepage, 500)
	in.Licence = f.Trimmed("licence")
	in.Status = f.Trimmed("status")
	in.Concepts = map[catalogue.Scheme][]string{}
	for _, scheme := range []catalogue.Scheme{catalogue.SchemeLayer, catalogue.SchemePrinciple, catalogue.SchemeTheme, catalogue.SchemeCountry, catalogue.SchemeLanguage} {
		for _, v := range f.Values[string(scheme)] {
			if v = strings.TrimSpace(v); v != "" {
				in.Concepts[scheme] = append(in.Concepts[scheme], v)
			}
		}
	}
	in.Related = splitList(f.Get("related"))
	kw := map[string][]string{}
	for lang, words := range base.Keywords {
		if lang != tl {
			kw[lang] = words
		}
	}
	if words := splitList(f.Get("keywords")); len(words) > 0 {
		kw[tl] = words
	}
	in.Keywords = kw

	t := catalogue.Translation{Lang: tl}
	for _, name := range textFields {
		val := strings.TrimSpace(strings.ReplaceAll(f.Get(name), "\r\n", "\n"))
		limit := maxText
		switch name {
		case "title":
			limit = maxTitle
		case "summary":
			limit = maxSummary
		}
		if utf8.RuneCountInString(val) > limit {
			f.fail(loc, name, "too_long")
		}
		*textField(&t, name) = val
	}
	if t.Summary == "" {
		f.fail(loc, "summary", "required")
	}
	var translations []catalogue.Translation
	for _, old := range base.Translations {
		if old.Lang != tl {
			translations = append(translations, old)
		}
	}
	in.Translations = append(translations, t)

	in.Contacts = nil
	for _, i := range rows(f, "contact", 0) {
		p := "contact." + strconv.Itoa(i) + "."
		ct := catalogue.Contact{Name: f.Trimmed(p + "name"), Email: f.Trimmed(p + "email"), URL: f.Trimmed(p + "url")}
		if ct == (catalogue.Contact{}) {
			continue
		}
		if ct.Name == "" {
			f.fail(loc, p+"name", "required")
		}
		tooLong(loc, f, p+"name", ct.Name, 200)
		tooLong(loc, f, p+"email", ct.Email, 200)
		tooLong(loc, f, p+"url", ct.URL, 500)
		if ct.Email != "" {
			if _, ok := catalogue.NormalizeEmail(ct.Email); !ok {
				f.fail(loc, p+"email", "format")
			}
		}
		if ct.URL != "" && !isWebURL(ct.URL) {
			f.fail(loc, p+"url", "format")
		}
		in.Contacts = append(in.Contacts, ct)
	}

	if base.Kind == catalogue.KindSolution {
		old := map[string]catalogue.Release{}
		for _, r := range base.Releases {
			old[r.Version] = r
		}
		in.Releases = nil
		for _, i := range rows(f, "release", 0) {
			p := "release." + strconv.Itoa(i) + "."
			version, date, notes, link := f.Trimmed(p+"version"), f.Trimmed(p+"date"), f.Trimmed(p+"notes"), f.Trimmed(p+"url")
			if version == "" && date == "" && notes == "" && link == "" {
				continue
			}
			r := catalogue.Release{Version: version, Notes: notes}
			if version == "" {
				f.fail(loc, p+"version", "required")
			}
			tooLong(loc, f, p+"version", version, 64)
			tooLong(loc, f, p+"notes", notes, 2000)
			tooLong(loc, f, p+"url", link, 500)
			if date != "" {
				d, err := time.Parse(time.DateOnly, date)
				if err != nil || !dateOnly.MatchString(date) {
					f.fail(loc, p+"date", "format")
				} else {
					r.Date = &d
				}
			}
			// The form edits a release's first distribution; the others
			// (from imports) are kept as they were.
			var rest []catalogue.Distribution
			if prev, ok := old[version]; ok && len(prev.Distributions) > 1 {
				rest = prev.Distributions[1:]
			}
			if link != "" {
				if !isWebURL(link) {
					f.fail(loc, p+"url", "format")
				}
				r.Distributions = append(r.Distributions, catalogue.Distribution{Title: version, URL: link, Licence: in.Licence})
			}
			r.Distributions = append(r.Distributions, rest...)
			in.Releases = append(in.Releases, r)
		}
	}
	if base.Kind == catalogue.KindSolution || base.Kind == catalogue.KindStandard {
		in.Reuses = nil
		for _, i := range rows(f, "reuse", 0) {
			p := "reuse." + strconv.Itoa(i) + "."
			org, since, note := f.Trimmed(p+"org"), f.Trimmed(p+"since"), f.Trimmed(p+"note")
			if org == "" && since == "" && note == "" {
				continue
			}
			r := catalogue.ReuseInput{Organisation: org, Note: note}
			if org == "" {
				f.fail(loc, p+"org", "required")
			}
			if since != "" {
				year, err := strconv.Atoi(since)
				if err != nil || year < 1950 || year > 2100 {
					f.fail(loc, p+"since", "format")
				}
				r.Since = year
			}
			tooLong(loc, f, p+"note", note, 1000)
			in.Reuses = append(in.Reuses, r)
		}
	}
	if base.Kind == catalogue.KindPractice {
		pr := &catalogue.Practice{Country: f.Trimmed("practice.country"), Level: f.Trimmed("practice.level"), Sector: f.Trimmed("practice.sector")}
		if y := f.Trimmed("practice.year"); y != "" {
			year, err := strconv.Atoi(y)
			if err != nil || year < 1950 || year > 2100 {
				f.fail(loc, "practice.year", "format")
			}
			pr.Year = year
		}
		in.Practice = pr
	}
	return in
}

// validationFields maps the catalogue's field names to the form's.
func validationFields(tl string) map[string]string {
	m := map[string]string{
		"translations":                  "title",
		"translations." + tl:            "title",
		"translations." + tl + ".title": "title",
		"practice.level":                "practice.level",
	}
	for _, scheme := range []catalogue.Scheme{catalogue.SchemeLayer, catalogue.SchemePrinciple, catalogue.SchemeTheme, catalogue.SchemeCountry, catalogue.SchemeLanguage} {
		m["concepts."+string(scheme)] = string(scheme)
	}
	return m
}

// tooLong records a problem when value has more than max characters.
func tooLong(loc *i18n.Locale, f *form, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		f.fail(loc, field, "too_long")
	}
}

// splitList splits a comma-separated field into trimmed, non-empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// isWebURL reports whether s is an absolute http(s) address.
func isWebURL(s string) bool { return catalogue.IsWebURL(s) }

// formFields are the entry form's own fields (besides the text fields and
// the contact and release rows).
var formFields = []string{"slug", "owner", "homepage", "licence", "status", "layer", "principle", "theme",
	"country", "language", "related", "keywords", "note", "practice.country", "practice.level", "practice.sector", "practice.year"}

// surfaceHiddenProblems moves problems with fields the form does not show
// (another language's title, "used by" records kept from an import) to
// the top of the form, so that none goes unseen.
func (v *entryForm) surfaceHiddenProblems() {
	for name, text := range v.Errors {
		if name == "" || contains(textFields, name) || contains(formFields, name) ||
			strings.HasPrefix(name, "contact.") || strings.HasPrefix(name, "release.") || strings.HasPrefix(name, "reuse.") {
			continue
		}
		delete(v.Errors, name)
		v.Errors[""] = strings.TrimSpace(v.Errors[""] + " " + name + ": " + text)
	}
}
