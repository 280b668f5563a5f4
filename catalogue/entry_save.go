package catalogue

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// EntryInput is everything an entry holds, as written by an editor, a form or
// an importer: vocabularies by code, organisations and related entries by
// slug, text as Markdown.
type EntryInput struct {
	Kind           Kind
	Slug           string
	State          State
	Owner          string // organisation slug
	Featured       bool
	Homepage       string
	Licence        string
	Status         string
	CreatedAt      time.Time // zero: now
	UpdatedAt      time.Time // zero: now
	LastReviewedAt *time.Time
	Concepts       map[Scheme][]string // layer, principle, theme, country, language
	Keywords       map[string][]string // per language
	Related        []string            // entry slugs
	Contacts       []Contact
	Releases       []Release
	Reuses         []ReuseInput
	Practice       *Practice
	Translations   []Translation // Markdown fields; HTML fields are computed
}

// ReuseInput records that an organisation (by slug) uses the entry.
type ReuseInput struct {
	Organisation string
	Since        int
	Note         string
}

// FieldError is one validation problem, tied to the input field at fault.
type FieldError struct {
	Field   string // e.g. "slug", "concepts.theme", "translations.en.title"
	Problem string // a stable code, e.g. "required", "unknown", "format"
}

// ValidationError lists every problem found in an input.
type ValidationError struct{ Fields []FieldError }

func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + f.Problem
	}
	return "catalogue: invalid entry: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (v *ValidationError) Unwrap() error { return ErrInvalid }

// MaxListItems caps the keywords (per language), related entries,
// contacts and releases of an entry.
const MaxListItems = 50

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// conceptSchemes are the multi-valued vocabularies an entry carries.
var conceptSchemes = []Scheme{SchemeLayer, SchemePrinciple, SchemeTheme, SchemeCountry, SchemeLanguage}

// SaveEntry creates the entry or, when its slug exists, replaces it with in.
// Translations are upserted per language; Markdown is rendered here.
func (s *Store) SaveEntry(ctx context.Context, in EntryInput) (*Entry, error) {
	var saved *Entry
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		saved, err = s.saveEntry(ctx, tx, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: save entry %q: %w", in.Slug, err)
	}
	s.notifyChanged()
	return saved, nil
}

// SaveEntries saves many entries in one transaction, all or none: for
// imports and generated corpora, where one transaction per entry would be
// the bottleneck.
func (s *Store) SaveEntries(ctx context.Context, ins []EntryInput) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, in := range ins {
			if _, err := s.saveEntry(ctx, tx, in); err != nil {
				return fmt.Errorf("entry %q: %w", in.Slug, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("catalogue: save entries: %w", err)
	}
	s.notifyChanged()
	return nil
}

// saveEntry saves in as an applied revision without an author (imports,
// the demo catalogue).
func (s *Store) saveEntry(ctx context.Context, tx *gorm.DB, in EntryInput) (*Entry, error) {
	return s.saveRevision(ctx, tx, in, &Revision{})
}

// saveRevision is the one path that writes an entry's content: it stores in
// and records rev (its AuthorID and Note set by the caller) as the applied
// revision holding it. rev is created, or, when it already exists (a pending
// revision a moderator approves), marked applied. A new entry's CreatedByID
// is the revision's author.
func (s *Store) saveRevision(ctx context.Context, tx *gorm.DB, in EntryInput, rev *Revision) (*Entry, error) {
	e, err := s.build(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	var existing Entry
	err = tx.Select("id", "created_at", "created_by_id").Where("slug = ?", in.Slug).Take(&existing).Error
	switch {
	case err == nil:
		e.ID, e.CreatedByID = existing.ID, existing.CreatedByID
		if in.CreatedAt.IsZero() {
			e.CreatedAt = existing.CreatedAt
		}
		if in, err = withKeptTranslations(tx, existing.ID, in); err != nil {
			return nil, err
		}
		if err := clearChildren(tx, e.ID); err != nil {
			return nil, err
		}
	case errors.Is(err, gorm.ErrRecordNotFound):
		e.CreatedByID = rev.AuthorID
	default:
		return nil, err
	}
	// The revision keeps the input as given, without the ids the writes
	// below set in slices it shares with the caller.
	data, err := revisionData(in)
	if err != nil {
		return nil, err
	}
	translations, concepts, related := e.Translations, e.Concepts, e.Related
	e.Translations, e.Concepts, e.Related = nil, nil, nil
	if err := tx.Omit(clause.Associations).Save(e).Error; err != nil {
		return nil, err
	}
	for i := range translations {
		translations[i].EntryID = e.ID
	}
	if len(translations) > 0 {
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "entry_id"}, {Name: "lang"}},
			UpdateAll: true,
		}).Create(&translations).Error
		if err != nil {
			return nil, err
		}
	}
	conceptIDs := make([]uint, len(concepts))
	for i, c := range concepts {
		conceptIDs[i] = c.ID
	}
	if err := replaceLinks(tx, "entry_concepts", "concept_id", e.ID, conceptIDs); err != nil {
		return nil, err
	}
	relatedIDs := make([]uint, len(related))
	for i, r := range related {
		relatedIDs[i] = r.ID
	}
	if err := replaceLinks(tx, "entry_related", "related_id", e.ID, relatedIDs); err != nil {
		return nil, err
	}
	for i := range e.Keywords {
		e.Keywords[i].ID, e.Keywords[i].EntryID = 0, e.ID
	}
	for i := range e.Contacts {
		e.Contacts[i].ID, e.Contacts[i].EntryID = 0, e.ID
	}
	for i := range e.Reuses {
		e.Reuses[i].ID, e.Reuses[i].EntryID = 0, e.ID
	}
	for i := range e.Releases {
		r := &e.Releases[i]
		r.ID, r.EntryID = 0, e.ID
		for j := range r.Distributions {
			r.Distributions[j].ID, r.Distributions[j].ReleaseID = 0, 0
		}
	}
	for _, rows := range []struct {
		n   int
		ptr any
	}{{len(e.Keywords), &e.Keywords}, {len(e.Contacts), &e.Contacts}, {len(e.Reuses), &e.Reuses}, {len(e.Releases), &e.Releases}} {
		if rows.n == 0 {
			continue
		}
		if err := tx.Create(rows.ptr).Error; err != nil {
			return nil, err
		}
	}
	if e.Practice != nil {
		e.Practice.ID, e.Practice.EntryID = 0, e.ID
		if err := tx.Create(e.Practice).Error; err != nil {
			return nil, err
		}
	}
	if err := recordChange(tx, e.ID); err != nil {
		return nil, err
	}
	rev.EntryID, rev.State, rev.Data = e.ID, RevisionApplied, data
	if rev.ID == 0 {
		err = tx.Create(rev).Error
	} else {
		err = tx.Model(rev).Select("state", "data").Updates(rev).Error
	}
	if err != nil {
		return nil, fmt.Errorf("record revision: %w", err)
	}
	e.Translations, e.Concepts, e.Related = translations, concepts, related
	return e, nil
}

// clearChildren removes what an entry replaces wholesale on save. Translations
// are kept: languages not in the input stay as they were.
func clearChildren(tx *gorm.DB, id uint) error {
	for _, model := range []any{&Keyword{}, &Contact{}, &Reuse{}, &Practice{}, &Release{}} {
		if err := tx.Where("entry_id = ?", id).Delete(model).Error; err != nil {
			return err
		}
	}
	return nil
}

// build validates in and turns it into an Entry ready to store, collecting
// every problem rather than stopping at the first.
func (s *Store) build(ctx context.Context, tx *gorm.DB, in EntryInput) (*Entry, error) {
	var problems []FieldError
	bad := func(field, problem string) { problems = append(problems, FieldError{field, problem}) }

	if !in.Kind.Valid() {
		bad("kind", "unknown")
	}
	if !slugPattern.MatchString(in.Slug) || len(in.Slug) > 120 {
		bad("slug", "format")
	}
	switch in.State {
	case StateDraft, StateProposed, StateChangesRequested, StatePublished, StateNeedsUpdate, StateArchived:
	default:
		bad("state", "unknown")
	}
	now := time.Now().UTC()
	e := &Entry{
		Kind: in.Kind, Slug: in.Slug, State: in.State, Featured: in.Featured,
		Homepage: strings.TrimSpace(in.Homepage), Licence: in.Licence, Status: in.Status,
		CreatedAt: in.CreatedAt.UTC(), UpdatedAt: now, LastReviewedAt: in.LastReviewedAt,
		Contacts: in.Contacts, Releases: in.Releases, Practice: in.Practice,
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	if !in.UpdatedAt.IsZero() {
		e.UpdatedAt = in.UpdatedAt.UTC()
	}
	if in.Homepage != "" && !IsWebURL(in.Homepage) {
		bad("homepage", "format")
	}

	var owner Organisation
	if err := tx.Select("id").Where("slug = ?", in.Owner).Take(&owner).Error; err != nil {
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, err
		}
		bad("owner", "unknown")
	}
	e.OwnerID = owner.ID

	for _, single := range []struct {
		scheme Scheme
		code   string
	}{{SchemeLicence, in.Licence}, {SchemeStatus, in.Status}} {
		if single.code == "" {
			continue
		}
		if _, ok, err := s.concept(ctx, single.scheme, single.code); err != nil {
			return nil, err
		} else if !ok {
			bad(string(single.scheme), "unknown")
		}
	}
	for scheme, codes := range in.Concepts {
		if !containsScheme(conceptSchemes, scheme) {
			bad("concepts."+string(scheme), "unknown")
			continue
		}
		for _, code := range codes {
			c, ok, err := s.concept(ctx, scheme, code)
			if err != nil {
				return nil, err
			}
			if !ok {
				bad("concepts."+string(scheme), "unknown")
				continue
			}
			e.Concepts = append(e.Concepts, c)
		}
	}

	s.checkRows(in, bad)
	for lang, values := range in.Keywords {
		if !IsLanguage(lang) {
			bad("keywords", "unknown")
			continue
		}
		if len(values) > MaxListItems {
			bad("keywords", "too_many")
			continue
		}
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" {
				if utf8.RuneCountInString(v) > 200 {
					bad("keywords", "too_long")
				}
				e.Keywords = append(e.Keywords, Keyword{Lang: lang, Value: v})
			}
		}
	}
	// Related entries must be public: a draft's title must not show on a
	// public page, nor its existence be told by a form's answer.
	if len(in.Related) > MaxListItems {
		bad("related", "too_many")
	} else if len(in.Related) > 0 {
		var rel []*Entry
		if err := tx.Select("id", "slug").Where("slug IN ? AND state IN ?", in.Related, PublicStates).Find(&rel).Error; err != nil {
			return nil, err
		}
		bySlug := make(map[string]*Entry, len(rel))
		for _, r := range rel {
			bySlug[r.Slug] = r
		}
		for _, slug := range in.Related {
			r, ok := bySlug[slug]
			switch {
			case !ok:
				bad("related", "unknown")
			case r != nil:
				e.Related = append(e.Related, r)
				bySlug[slug] = nil // once
			}
		}
	}
	for _, r := range in.Reuses {
		var org Organisation
		if err := tx.Select("id").Where("slug = ?", r.Organisation).Take(&org).Error; err != nil {
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, err
			}
			bad("reuses", "unknown")
			continue
		}
		e.Reuses = append(e.Reuses, Reuse{OrganisationID: org.ID, Since: r.Since, Note: r.Note})
	}
	if p := in.Practice; p != nil {
		if p.Level != "" && !containsString(PracticeLevels, p.Level) {
			bad("practice.level", "unknown")
		}
		for _, v := range []struct {
			field, code string
			scheme      Scheme
		}{{"practice.country", p.Country, SchemeCountry}, {"practice.sector", p.Sector, SchemeTheme}} {
			if v.code == "" {
				continue
			}
			if _, ok, err := s.concept(ctx, v.scheme, v.code); err != nil {
				return nil, err
			} else if !ok {
				bad(v.field, "unknown")
			}
		}
	}

	if len(in.Translations) == 0 {
		bad("translations", "required")
	}
	for _, t := range in.Translations {
		if !IsLanguage(t.Lang) {
			bad("translations."+t.Lang, "unknown")
			continue
		}
		if strings.TrimSpace(t.Title) == "" {
			bad("translations."+t.Lang+".title", "required")
			continue
		}
		rendered, err := s.renderTranslation(t)
		if err != nil {
			return nil, err
		}
		rendered.UpdatedAt = now
		e.Translations = append(e.Translations, rendered)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Fields: problems}
	}
	return e, nil
}

// checkRows checks an entry's rows as the form does, for every path in
// (API, importers): contacts (a name, an e-mail address, a web address),
// releases (a version, web addresses for downloads), reuses (a year) and
// their lengths and numbers.
func (s *Store) checkRows(in EntryInput, bad func(field, problem string)) {
	for name, n := range map[string]int{"contacts": len(in.Contacts), "releases": len(in.Releases), "reuses": len(in.Reuses)} {
		if n > MaxListItems {
			bad(name, "too_many")
		}
	}
	long := func(field, v string, max int) {
		if utf8.RuneCountInString(v) > max {
			bad(field, "too_long")
		}
	}
	for i, c := range in.Contacts {
		p := "contact." + strconv.Itoa(i) + "."
		if strings.TrimSpace(c.Name) == "" {
			bad(p+"name", "required")
		}
		long(p+"name", c.Name, 200)
		long(p+"email", c.Email, 200)
		long(p+"url", c.URL, 500)
		if _, ok := NormalizeEmail(c.Email); c.Email != "" && !ok {
			bad(p+"email", "format")
		}
		if c.URL != "" && !IsWebURL(c.URL) {
			bad(p+"url", "format")
		}
	}
	for i, r := range in.Releases {
		p := "release." + strconv.Itoa(i) + "."
		if strings.TrimSpace(r.Version) == "" {
			bad(p+"version", "required")
		}
		long(p+"version", r.Version, 64)
		long(p+"notes", r.Notes, 2000)
		for _, d := range r.Distributions {
			long(p+"url", d.URL, 500)
			if !IsWebURL(d.URL) {
				bad(p+"url", "format")
			}
		}
	}
	for i, r := range in.Reuses {
		p := "reuse." + strconv.Itoa(i) + "."
		if r.Since != 0 && (r.Since < 1950 || r.Since > 2100) {
			bad(p+"since", "format")
		}
		long(p+"note", r.Note, 1000)
	}
}

// renderTranslation fills the HTML fields from the Markdown ones.
func (s *Store) renderTranslation(t Translation) (Translation, error) {
	t.ID = 0
	t.Title, t.Summary = strings.TrimSpace(t.Title), strings.TrimSpace(t.Summary)
	for _, f := range []struct{ md, html *string }{
		{&t.Body, &t.BodyHTML}, {&t.Problem, &t.ProblemHTML}, {&t.Solution, &t.SolutionHTML},
		{&t.Results, &t.ResultsHTML}, {&t.Lessons, &t.LessonsHTML},
	} {
		*f.html = ""
		if strings.TrimSpace(*f.md) == "" {
			continue
		}
		html, err := s.render(*f.md)
		if err != nil {
			return t, fmt.Errorf("render %s markdown: %w", t.Lang, err)
		}
		*f.html = html
	}
	return t, nil
}

// DeleteEntry removes an entry and everything that belongs to it.
func (s *Store) DeleteEntry(ctx context.Context, slug string) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e Entry
		if err := tx.Select("id").Where("slug = ?", slug).Take(&e).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Delete(&e).Error; err != nil {
			return err
		}
		return recordChange(tx, e.ID)
	})
	if err != nil {
		return fmt.Errorf("catalogue: delete entry %q: %w", slug, err)
	}
	s.notifyChanged()
	return nil
}

// SetRelated replaces the related entries of an entry.
func (s *Store) SetRelated(ctx context.Context, slug string, related []string) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return setRelated(tx, slug, related) })
	if err != nil {
		return fmt.Errorf("catalogue: set related of %q: %w", slug, err)
	}
	return nil
}

func setRelated(tx *gorm.DB, slug string, related []string) error {
	var e Entry
	if err := tx.Select("id").Where("slug = ?", slug).Take(&e).Error; err != nil {
		return notFound(err)
	}
	var rel []*Entry
	if len(related) > 0 {
		if err := tx.Select("id", "slug").Where("slug IN ?", related).Find(&rel).Error; err != nil {
			return err
		}
	}
	if len(rel) != len(related) {
		found := make(map[string]bool, len(rel))
		for _, r := range rel {
			found[r.Slug] = true
		}
		var missing []string
		for _, slug := range related {
			if !found[slug] {
				missing = append(missing, slug)
			}
		}
		return fmt.Errorf("%w (no entry %s)", &ValidationError{Fields: []FieldError{{"related", "unknown"}}}, strings.Join(missing, ", "))
	}
	ids := make([]uint, len(rel))
	for i, r := range rel {
		ids[i] = r.ID
	}
	return replaceLinks(tx, "entry_related", "related_id", e.ID, ids)
}

// replaceLinks sets the rows of a join table (entry_concepts, entry_related)
// for one entry. The rows are written directly: GORM's association Replace
// would also bump the entry's updated_at, and linking is not an edit.
func replaceLinks(tx *gorm.DB, table, column string, entryID uint, ids []uint) error {
	if err := tx.Table(table).Where("entry_id = ?", entryID).Delete(nil).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(ids))
	for i, id := range ids {
		rows[i] = map[string]any{"entry_id": entryID, column: id}
	}
	return tx.Table(table).Create(rows).Error
}

func containsScheme(list []Scheme, s Scheme) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// IsWebURL reports whether s is an http or https address: what a
// homepage, a contact's or a download's address must be (the exports leave
// out one that is not a valid IRI).
func IsWebURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// IsLanguage reports whether code is a language the catalogue accepts.
func IsLanguage(code string) bool { return containsString(languageCodes, code) }
