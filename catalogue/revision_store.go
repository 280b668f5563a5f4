package catalogue

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Input decodes the revision's content.
func (r *Revision) Input() (EntryInput, error) {
	var in EntryInput
	if err := json.Unmarshal([]byte(r.Data), &in); err != nil {
		return EntryInput{}, fmt.Errorf("catalogue: revision %d: decode: %w", r.ID, err)
	}
	return in, nil
}

// InputFromEntry turns an entry loaded with everything (EntryForEdit) back
// into the input that would save it as it is: to prefill a form, or to keep
// as a revision.
func InputFromEntry(e *Entry) EntryInput {
	in := EntryInput{
		Kind: e.Kind, Slug: e.Slug, State: e.State, Featured: e.Featured,
		Homepage: e.Homepage, Licence: e.Licence, Status: e.Status,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, LastReviewedAt: e.LastReviewedAt,
		Contacts: e.Contacts, Releases: e.Releases, Practice: e.Practice, Translations: e.Translations,
	}
	if e.Owner != nil {
		in.Owner = e.Owner.Slug
	}
	for _, c := range e.Concepts {
		if !containsScheme(conceptSchemes, c.Scheme) {
			continue
		}
		if in.Concepts == nil {
			in.Concepts = map[Scheme][]string{}
		}
		in.Concepts[c.Scheme] = append(in.Concepts[c.Scheme], c.Code)
	}
	for _, k := range e.Keywords {
		if in.Keywords == nil {
			in.Keywords = map[string][]string{}
		}
		in.Keywords[k.Lang] = append(in.Keywords[k.Lang], k.Value)
	}
	for _, r := range e.Related {
		in.Related = append(in.Related, r.Slug)
	}
	for _, r := range e.Reuses {
		ri := ReuseInput{Since: r.Since, Note: r.Note}
		if r.Organisation != nil {
			ri.Organisation = r.Organisation.Slug
		}
		in.Reuses = append(in.Reuses, ri)
	}
	return normalInput(in)
}

// normalInput copies in without database ids and computed HTML, so that it
// shares no slice with the original and says only what an editor wrote.
func normalInput(in EntryInput) EntryInput {
	out := in
	out.Contacts = nil
	for _, c := range in.Contacts {
		c.ID, c.EntryID = 0, 0
		out.Contacts = append(out.Contacts, c)
	}
	out.Releases = nil
	for _, r := range in.Releases {
		r.ID, r.EntryID = 0, 0
		dists := r.Distributions
		r.Distributions = nil
		for _, d := range dists {
			d.ID, d.ReleaseID = 0, 0
			r.Distributions = append(r.Distributions, d)
		}
		out.Releases = append(out.Releases, r)
	}
	if in.Practice != nil {
		p := *in.Practice
		p.ID, p.EntryID = 0, 0
		out.Practice = &p
	}
	out.Translations = nil
	for _, t := range in.Translations {
		out.Translations = append(out.Translations, Translation{
			Lang: t.Lang, Title: t.Title, Summary: t.Summary, Body: t.Body,
			Problem: t.Problem, Solution: t.Solution, Results: t.Results, Lessons: t.Lessons,
		})
	}
	return out
}

// revisionData is the JSON a revision keeps of in.
func revisionData(in EntryInput) (string, error) {
	raw, err := json.Marshal(normalInput(in))
	if err != nil {
		return "", fmt.Errorf("encode revision: %w", err)
	}
	return string(raw), nil
}

// withKeptTranslations adds to in the entry's translations in languages in
// does not have: saving keeps them, so the revision must hold them too.
func withKeptTranslations(tx *gorm.DB, entryID uint, in EntryInput) (EntryInput, error) {
	langs := make([]string, 0, len(in.Translations))
	for _, t := range in.Translations {
		langs = append(langs, t.Lang)
	}
	q := tx.Where("entry_id = ?", entryID)
	if len(langs) > 0 {
		q = q.Where("lang NOT IN ?", langs)
	}
	var kept []Translation
	if err := q.Order("lang").Find(&kept).Error; err != nil {
		return in, err
	}
	if len(kept) > 0 {
		in.Translations = append(append([]Translation(nil), in.Translations...), kept...)
	}
	return in, nil
}

// Revisions lists an entry's revisions, newest first, with their authors.
func (s *Store) Revisions(ctx context.Context, entryID uint) ([]Revision, error) {
	var out []Revision
	err := s.r.WithContext(ctx).Preload("Author").Where("entry_id = ?", entryID).Order("id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: revisions of entry %d: %w", entryID, err)
	}
	return out, nil
}

// Revision loads one revision with its author.
func (s *Store) Revision(ctx context.Context, id uint) (*Revision, error) {
	var r Revision
	if err := s.r.WithContext(ctx).Preload("Author").Take(&r, id).Error; err != nil {
		return nil, fmt.Errorf("catalogue: revision %d: %w", id, notFound(err))
	}
	return &r, nil
}

// PendingRevision is the entry's edit waiting for a moderator, or
// ErrNotFound.
func (s *Store) PendingRevision(ctx context.Context, entryID uint) (*Revision, error) {
	var r Revision
	err := s.r.WithContext(ctx).Preload("Author").Where("entry_id = ? AND state = ?", entryID, RevisionPending).
		Order("id DESC").Take(&r).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: pending revision of entry %d: %w", entryID, notFound(err))
	}
	return &r, nil
}

// DecideRevision is a moderator's decision on a pending revision: approve
// applies it (the entry's content becomes the revision's); otherwise the
// revision goes back to its author as changes_requested, with comment
// (required). The audit log gets a line whose From and To are both the
// entry's (unchanged) state, with the revision's id: the revision's State
// says which decision it was.
func (s *Store) DecideRevision(ctx context.Context, revisionID uint, approve bool, by *User, comment string) error {
	comment = strings.TrimSpace(comment)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		actor, err := loadActor(tx, by)
		if err != nil {
			return err
		}
		if !actor.Role.AtLeast(RoleModerator) {
			return ErrForbidden
		}
		var rev Revision
		if err := tx.Take(&rev, revisionID).Error; err != nil {
			return notFound(err)
		}
		if rev.State != RevisionPending {
			return fmt.Errorf("revision is %s: %w", rev.State, ErrTransition)
		}
		e, err := entryForWorkflow(tx, "id", rev.EntryID)
		if err != nil {
			return err
		}
		if !approve {
			if comment == "" {
				return &ValidationError{Fields: []FieldError{{"comment", "required"}}}
			}
			if err := tx.Model(&rev).Update("state", RevisionChangesRequested).Error; err != nil {
				return err
			}
			return logDecision(tx, e, &rev, &actor.ID, false, comment)
		}
		if e.State == StateArchived {
			return fmt.Errorf("entry is archived: %w", ErrTransition)
		}
		// The proposal holds the whole entry as it was then: applying it
		// over a change made since would silently undo that change.
		var newer int64
		if err := tx.Model(&Revision{}).Where("entry_id = ? AND state = ? AND id > ?", e.ID, RevisionApplied, rev.ID).Count(&newer).Error; err != nil {
			return err
		}
		if newer > 0 {
			return fmt.Errorf("the entry changed after this proposal: %w", ErrTransition)
		}
		in, err := rev.Input()
		if err != nil {
			return err
		}
		in.Kind, in.Slug, in.State = e.Kind, e.Slug, e.State
		in.CreatedAt, in.UpdatedAt = time.Time{}, time.Time{}
		before, err := releaseVersions(tx, e.ID)
		if err != nil {
			return err
		}
		if _, err := s.saveRevision(ctx, tx, in, &rev); err != nil {
			return err
		}
		if e.State.Public() {
			if err := recordUpdate(tx, e.ID, &actor.ID, before, in.Releases); err != nil {
				return err
			}
		}
		return logDecision(tx, e, &rev, &actor.ID, true, comment)
	})
	if err != nil {
		return fmt.Errorf("catalogue: decide revision %d: %w", revisionID, err)
	}
	if approve {
		s.notifyChanged()
	}
	s.notifyQueued()
	return nil
}

// RestoreRevision saves an earlier revision's content again, as an edit by
// by with the note "restored revision N": the rules of EditEntry apply.
func (s *Store) RestoreRevision(ctx context.Context, revisionID uint, by *User) (*Revision, error) {
	var rev Revision
	if err := s.r.WithContext(ctx).Take(&rev, revisionID).Error; err != nil {
		return nil, fmt.Errorf("catalogue: restore revision %d: %w", revisionID, notFound(err))
	}
	in, err := rev.Input()
	if err != nil {
		return nil, err
	}
	var e Entry
	if err := s.r.WithContext(ctx).Select("slug").Take(&e, rev.EntryID).Error; err != nil {
		return nil, fmt.Errorf("catalogue: restore revision %d: %w", revisionID, notFound(err))
	}
	return s.EditEntry(ctx, e.Slug, in, by, fmt.Sprintf("restored revision %d", revisionID))
}
