package catalogue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrForbidden is returned (wrapped) when the user may not do what was asked.
var ErrForbidden = errors.New("forbidden")

// ErrTransition is returned (wrapped) when the entry's state does not allow
// what was asked.
var ErrTransition = errors.New("transition not allowed")

// CanEdit reports whether u may edit e: moderators and administrators any
// entry; contributors the entries of their organisations (u.Organisations
// loaded), unless archived. Nobody else, and no blocked user.
func CanEdit(u *User, e *Entry) bool {
	switch {
	case u == nil || u.Blocked():
		return false
	case u.Role.AtLeast(RoleModerator):
		return true
	case u.Role.AtLeast(RoleContributor):
		return e.State != StateArchived && u.MemberOf(e.OwnerID)
	}
	return false
}

// CheckTransition applies the workflow's rules: it returns nil when u may
// move an entry from one state to the other, ErrForbidden when the move
// exists but not for u, ErrTransition when the move does not exist. canEdit
// is CanEdit(u, entry). Blocked and nil users may do nothing.
func CheckTransition(from, to State, u *User, canEdit bool) error {
	if err := checkTransition(from, to, u, canEdit); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	return nil
}

func checkTransition(from, to State, u *User, canEdit bool) error {
	if u == nil || u.Blocked() {
		return fmt.Errorf("%s to %s: %w", from, to, ErrForbidden)
	}
	moderator := u.Role.AtLeast(RoleModerator)
	editor := moderator || (canEdit && u.Role.AtLeast(RoleContributor))
	var allowed bool
	switch {
	case from == StateDraft && to == StateProposed,
		from == StateChangesRequested && to == StateDraft,
		from == StatePublished && to == StateNeedsUpdate:
		allowed = editor
	case from == StateProposed && to == StatePublished,
		from == StateProposed && to == StateChangesRequested,
		from == StateNeedsUpdate && to == StatePublished,
		to == StateArchived && from != StateArchived && slices.Contains(States, from):
		allowed = moderator
	default:
		return fmt.Errorf("%s to %s: %w", from, to, ErrTransition)
	}
	if !allowed {
		return fmt.Errorf("%s to %s: %w", from, to, ErrForbidden)
	}
	return nil
}

// AllowedTransitions lists the states u may move e to, in States order.
func AllowedTransitions(e *Entry, u *User) []State {
	canEdit := CanEdit(u, e)
	var out []State
	for _, to := range States {
		if checkTransition(e.State, to, u, canEdit) == nil {
			out = append(out, to)
		}
	}
	return out
}

// entryAndActor loads, inside tx, the entry a workflow step is about and
// the user taking it.
func entryAndActor(tx *gorm.DB, slug string, by *User) (*Entry, *User, error) {
	e, err := entryForWorkflow(tx, "slug", slug)
	if err != nil {
		return nil, nil, err
	}
	actor, err := loadActor(tx, by)
	if err != nil {
		return nil, nil, err
	}
	return e, actor, nil
}

// loadActor reloads the acting user with their organisations inside tx, so
// that a role, a membership or a block changed since sign-in counts.
func loadActor(tx *gorm.DB, u *User) (*User, error) {
	if u == nil || u.ID == 0 {
		return nil, ErrForbidden
	}
	var fresh User
	if err := tx.Preload("Organisations").Take(&fresh, u.ID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrForbidden
		}
		return nil, err
	}
	if fresh.Blocked() {
		return nil, ErrForbidden
	}
	return &fresh, nil
}

// entryForWorkflow loads the columns the workflow decides on.
func entryForWorkflow(tx *gorm.DB, column string, value any) (*Entry, error) {
	var e Entry
	err := tx.Select("id", "kind", "slug", "state", "owner_id", "created_by_id").Where(column+" = ?", value).Take(&e).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &e, nil
}

// logTransition writes an audit line and the state event the notification
// worker tells the entry's author about.
func logTransition(tx *gorm.DB, entryID uint, revisionID, actorID *uint, from, to State, comment string) error {
	t := Transition{EntryID: entryID, RevisionID: revisionID, ActorID: actorID, From: from, To: to, Comment: comment}
	if err := tx.Create(&t).Error; err != nil {
		return err
	}
	return recordEvent(tx, Event{Kind: EventState, EntryID: entryID, ActorID: actorID, From: from, To: to, Detail: comment})
}

// logDecision writes the audit line of a moderator's decision on a
// revision (the entry's state does not change) and the event for the
// revision's author: To is the entry's state when the revision was
// validated, changes_requested when it was sent back.
func logDecision(tx *gorm.DB, e *Entry, rev *Revision, actorID *uint, approved bool, comment string) error {
	t := Transition{EntryID: e.ID, RevisionID: &rev.ID, ActorID: actorID, From: e.State, To: e.State, Comment: comment}
	if err := tx.Create(&t).Error; err != nil {
		return err
	}
	to := e.State
	if !approved {
		to = StateChangesRequested
	}
	return recordEvent(tx, Event{Kind: EventState, EntryID: e.ID, ActorID: actorID, RecipientID: rev.AuthorID, From: e.State, To: to, Detail: comment})
}

// releaseVersions lists the versions of the entry's releases.
func releaseVersions(tx *gorm.DB, entryID uint) ([]string, error) {
	var out []string
	err := tx.Model(&Release{}).Where("entry_id = ?", entryID).Pluck("version", &out).Error
	return out, err
}

// recordUpdate writes the events of a change to a public entry's content:
// updated, and one release event per version the old content lacked.
func recordUpdate(tx *gorm.DB, entryID uint, actorID *uint, before []string, after []Release) error {
	if err := recordEvent(tx, Event{Kind: EventUpdated, EntryID: entryID, ActorID: actorID}); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, v := range before {
		seen[v] = true
	}
	for _, r := range after {
		if seen[r.Version] {
			continue
		}
		seen[r.Version] = true
		err := recordEvent(tx, Event{Kind: EventRelease, EntryID: entryID, ActorID: actorID, Detail: r.Version})
		if err != nil {
			return err
		}
	}
	return nil
}

// latestApplied is the id of the revision holding the entry's content.
func latestApplied(tx *gorm.DB, entryID uint) (*uint, error) {
	var ids []uint
	err := tx.Model(&Revision{}).Where("entry_id = ? AND state = ?", entryID, RevisionApplied).
		Order("id DESC").Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return &ids[0], nil
}

// Transition moves the entry to state to, as by, with comment (required
// when requesting changes). Publishing marks the entry reviewed now.
func (s *Store) Transition(ctx context.Context, slug string, to State, by *User, comment string) error {
	comment = strings.TrimSpace(comment)
	var public bool
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, actor, err := entryAndActor(tx, slug, by)
		if err != nil {
			return err
		}
		if err := checkTransition(e.State, to, actor, CanEdit(actor, e)); err != nil {
			return err
		}
		if to == StateChangesRequested && comment == "" {
			return &ValidationError{Fields: []FieldError{{"comment", "required"}}}
		}
		cols := map[string]any{"state": to}
		if to == StatePublished {
			now := time.Now().UTC()
			cols["updated_at"], cols["last_reviewed_at"] = now, now
		}
		if err := tx.Model(&Entry{}).Where("id = ?", e.ID).UpdateColumns(cols).Error; err != nil {
			return err
		}
		revID, err := latestApplied(tx, e.ID)
		if err != nil {
			return err
		}
		if err := logTransition(tx, e.ID, revID, &actor.ID, e.State, to, comment); err != nil {
			return err
		}
		if e.State == StateProposed && to == StatePublished {
			if err := recordEvent(tx, Event{Kind: EventPublished, EntryID: e.ID, ActorID: &actor.ID, From: e.State, To: to}); err != nil {
				return err
			}
		}
		if public = e.State.Public() || to.Public() || to == StateArchived; public {
			return recordChange(tx, e.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("catalogue: move entry %q to %s: %w", slug, to, err)
	}
	if public {
		s.notifyChanged()
	}
	s.notifyQueued()
	return nil
}

// CreateEntry stores in as a new draft created by by, who must be a
// contributor member of the owner organisation, or a moderator.
func (s *Store) CreateEntry(ctx context.Context, in EntryInput, by *User, note string) (*Entry, error) {
	in.State = StateDraft
	in.CreatedAt, in.UpdatedAt = time.Time{}, time.Time{}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		actor, err := loadActor(tx, by)
		if err != nil {
			return err
		}
		if !actor.Role.AtLeast(RoleContributor) {
			return ErrForbidden
		}
		var problems []FieldError
		var n int64
		if err := tx.Model(&Entry{}).Where("slug = ?", in.Slug).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			problems = append(problems, FieldError{"slug", "taken"})
		}
		if p, err := ownerProblem(tx, actor, in.Owner, 0); err != nil {
			return err
		} else if p != nil {
			problems = append(problems, *p)
		}
		if len(problems) > 0 {
			return s.withBuildProblems(ctx, tx, in, problems)
		}
		_, err = s.saveRevision(ctx, tx, in, &Revision{AuthorID: &actor.ID, Note: strings.TrimSpace(note)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: create entry %q: %w", in.Slug, err)
	}
	s.notifyChanged()
	return s.EntryForEdit(ctx, in.Slug)
}

// ownerProblem checks that actor may give an entry to the organisation
// slug: moderators any, contributors their own. An unknown slug is left to
// build to report. current is the entry's owner, which an editor may keep.
func ownerProblem(tx *gorm.DB, actor *User, slug string, current uint) (*FieldError, error) {
	if actor.Role.AtLeast(RoleModerator) {
		return nil, nil
	}
	var org Organisation
	if err := tx.Select("id").Where("slug = ?", slug).Take(&org).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if org.ID != current && !actor.MemberOf(org.ID) {
		return &FieldError{"owner", "forbidden"}, nil
	}
	return nil, nil
}

// withBuildProblems adds build's validation problems to problems, so a form
// shows them all at once.
func (s *Store) withBuildProblems(ctx context.Context, tx *gorm.DB, in EntryInput, problems []FieldError) error {
	_, err := s.build(ctx, tx, in)
	var verr *ValidationError
	switch {
	case errors.As(err, &verr):
		problems = append(problems, verr.Fields...)
	case err != nil:
		return err
	}
	return &ValidationError{Fields: problems}
}

// EditEntry saves in as the new content of the entry slug, by by, with the
// author's note; kind, slug and state are the entry's. The edit applies at
// once to a draft or proposed entry, to a published one when by is a
// moderator, and to an archived one (moderators only). Editing an entry in
// changes_requested applies and moves it back to draft. A non-moderator's
// edit to a public entry becomes a pending revision, superseding older
// pending ones, and the public text stays until a moderator decides.
func (s *Store) EditEntry(ctx context.Context, slug string, in EntryInput, by *User, note string) (*Revision, error) {
	note = strings.TrimSpace(note)
	var rev *Revision
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, actor, err := entryAndActor(tx, slug, by)
		if err != nil {
			return err
		}
		if !CanEdit(actor, e) {
			return ErrForbidden
		}
		if locked, err := harvestLocked(tx, e.ID); err != nil {
			return err
		} else if locked {
			return ErrHarvested
		}
		moderator := actor.Role.AtLeast(RoleModerator)
		in.Kind, in.Slug, in.State = e.Kind, e.Slug, e.State
		in.CreatedAt, in.UpdatedAt = time.Time{}, time.Time{}
		if p, err := ownerProblem(tx, actor, in.Owner, e.OwnerID); err != nil {
			return err
		} else if p != nil {
			return s.withBuildProblems(ctx, tx, in, []FieldError{*p})
		}
		if in, err = withKeptTranslations(tx, e.ID, in); err != nil {
			return err
		}
		rev = &Revision{EntryID: e.ID, AuthorID: &actor.ID, Note: note}

		if e.State.Public() && !moderator {
			if _, err := s.build(ctx, tx, in); err != nil {
				return err
			}
			err := tx.Model(&Revision{}).Where("entry_id = ? AND state = ?", e.ID, RevisionPending).
				Update("state", RevisionSuperseded).Error
			if err != nil {
				return err
			}
			if rev.Data, err = revisionData(in); err != nil {
				return err
			}
			rev.State = RevisionPending
			return tx.Create(rev).Error
		}

		// Editing an entry sent back for changes reopens the draft; a
		// contributor's edit to a proposal withdraws it, so that a
		// moderator never publishes a text they have not seen.
		backToDraft := e.State == StateChangesRequested || (e.State == StateProposed && !moderator)
		if e.State == StateChangesRequested {
			if err := checkTransition(e.State, StateDraft, actor, true); err != nil {
				return err
			}
		}
		if backToDraft {
			in.State = StateDraft
		}
		before, err := releaseVersions(tx, e.ID)
		if err != nil {
			return err
		}
		if _, err := s.saveRevision(ctx, tx, in, rev); err != nil {
			return err
		}
		if e.State.Public() {
			if err := recordUpdate(tx, e.ID, &actor.ID, before, in.Releases); err != nil {
				return err
			}
		}
		if backToDraft {
			return logTransition(tx, e.ID, &rev.ID, &actor.ID, e.State, StateDraft, note)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: edit entry %q: %w", slug, err)
	}
	if rev.State == RevisionApplied {
		s.notifyChanged()
		s.notifyQueued()
	}
	return rev, nil
}

// EntryForEdit loads an entry in any state with everything that belongs to
// it, as EntryBySlug does for public ones.
func (s *Store) EntryForEdit(ctx context.Context, slug string) (*Entry, error) {
	var e Entry
	err := s.withEverything(ctx).Where("slug = ?", slug).Take(&e).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: entry %q: %w", slug, notFound(err))
	}
	sortConcepts(e.Concepts)
	return &e, nil
}

// History is an entry's audit log, newest first, with the actors.
func (s *Store) History(ctx context.Context, entryID uint) ([]Transition, error) {
	var out []Transition
	err := s.r.WithContext(ctx).Preload("Actor").Where("entry_id = ?", entryID).Order("id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: history of entry %d: %w", entryID, err)
	}
	return out, nil
}

// QueueItem is one thing waiting for a moderator: a proposed entry
// (Revision nil) or a pending revision of a public entry.
type QueueItem struct {
	Entry    *Entry
	Revision *Revision // nil for a proposed entry
	Since    time.Time
}

// ModerationQueue lists proposed entries and pending revisions, oldest
// first; entries come with their owner and titles and summaries.
func (s *Store) ModerationQueue(ctx context.Context) ([]QueueItem, error) {
	db := s.r.WithContext(ctx)
	var revs []Revision
	if err := db.Preload("Author").Where("state = ?", RevisionPending).Order("id").Find(&revs).Error; err != nil {
		return nil, fmt.Errorf("catalogue: moderation queue: %w", err)
	}
	ids := make([]uint, len(revs))
	for i, r := range revs {
		ids[i] = r.EntryID
	}
	var entries []*Entry
	err := db.Preload("Owner").Preload("Translations", listingTranslation).
		Where("state = ? OR id IN ?", StateProposed, ids).Find(&entries).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: moderation queue: %w", err)
	}
	byID := make(map[uint]*Entry, len(entries))
	var proposed []uint
	for _, e := range entries {
		byID[e.ID] = e
		if e.State == StateProposed {
			proposed = append(proposed, e.ID)
		}
	}
	var moves []Transition
	if len(proposed) > 0 {
		err := db.Select("entry_id", "created_at").Where(&Transition{To: StateProposed}).
			Where("entry_id IN ?", proposed).Find(&moves).Error
		if err != nil {
			return nil, fmt.Errorf("catalogue: moderation queue: %w", err)
		}
	}
	since := map[uint]time.Time{}
	for _, m := range moves {
		if m.CreatedAt.After(since[m.EntryID]) {
			since[m.EntryID] = m.CreatedAt
		}
	}
	var out []QueueItem
	for _, id := range proposed {
		e := byID[id]
		t, ok := since[id]
		if !ok {
			t = e.UpdatedAt
		}
		out = append(out, QueueItem{Entry: e, Since: t})
	}
	for i := range revs {
		if e := byID[revs[i].EntryID]; e != nil {
			out = append(out, QueueItem{Entry: e, Revision: &revs[i], Since: revs[i].CreatedAt})
		}
	}
	slices.SortStableFunc(out, func(a, b QueueItem) int { return a.Since.Compare(b.Since) })
	return out, nil
}

// EntriesOf lists the entries u created or u's organisations own, in any
// state, most recently updated first, with owners and titles.
func (s *Store) EntriesOf(ctx context.Context, u *User) ([]*Entry, error) {
	if u == nil {
		return nil, nil
	}
	var out []*Entry
	err := s.r.WithContext(ctx).Preload("Owner").Preload("Translations", listingTranslation).
		Where("created_by_id = ? OR owner_id IN (SELECT organisation_id FROM memberships WHERE user_id = ?)", u.ID, u.ID).
		Order("updated_at DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: entries of user %d: %w", u.ID, err)
	}
	return out, nil
}
