package catalogue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Notifications travel in three steps, each a transaction on SQLite, so a
// crash at any point loses nothing and duplicates nothing but (at worst) the
// last mail being sent:
//
//  1. FanOutEvents turns each event into notifications for the users to tell
//     and marks the event fanned out, in the same transaction.
//  2. AssembleMails gathers a user's due notifications into a Mail (the
//     outbox row) and points them at it, in the same transaction.
//  3. The delivery worker sends due mails and marks them sent (MarkMailSent)
//     or schedules a retry (MarkMailFailed).
//
// All times are stored in UTC: SQLite compares them as text.

// QueueAccountMail queues an account mail (kind "confirm", "reset" or the
// like) for the user, due at once whatever the user's digest setting and
// never grouped with other notifications. Payload is what the mail needs
// (a link's token, say), kept as JSON.
func (s *Store) QueueAccountMail(ctx context.Context, userID uint, kind string, payload map[string]string) error {
	if kind == "" || len(kind) > 32 || isEventKind(kind) {
		return fmt.Errorf("catalogue: queue account mail: %w", &ValidationError{Fields: []FieldError{{"kind", "unknown"}}})
	}
	if err := queueAccountMail(s.w.WithContext(ctx), userID, kind, payload, time.Now()); err != nil {
		return fmt.Errorf("catalogue: queue account mail %s for user %d: %w", kind, userID, err)
	}
	s.notifyQueued()
	return nil
}

func isEventKind(kind string) bool {
	switch EventKind(kind) {
	case EventPublished, EventUpdated, EventRelease, EventState:
		return true
	}
	return false
}

// FanOutEvents turns up to limit events not yet fanned out (oldest first)
// into notifications, in one transaction that also marks them fanned out,
// and returns how many events it handled; fewer than limit means none are
// left. Who hears of an event:
//
//   - published, updated, release: the followers of the entry, of its owner
//     organisation, of its kind, and those whose saved search matches it
//     (MatchesSavedSearch), as long as the entry is public;
//   - state: the entry's creator.
//
// Never the event's actor, a blocked user or one who has not confirmed
// their address; one notification per user and event, however many of the
// user's follows match (FollowID is the most specific of them). A
// notification is due at once for immediate users, at the next 07:00 UTC
// for daily digests and the next Monday 07:00 UTC for weekly ones.
func (s *Store) FanOutEvents(ctx context.Context, now time.Time, limit int) (int, error) {
	if limit <= 0 {
		limit = 100
	}
	now = now.UTC()
	var handled int
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var events []Event
		if err := tx.Where("fanned_out IS NULL").Order("id").Limit(limit).Find(&events).Error; err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		f := &fanOut{tx: tx, now: now, entries: map[uint]*Entry{}, users: map[uint]*User{}}
		var out []Notification
		ids := make([]uint, len(events))
		for i, ev := range events {
			ns, err := f.notifications(ev)
			if err != nil {
				return fmt.Errorf("event %d: %w", ev.ID, err)
			}
			out = append(out, ns...)
			ids[i] = ev.ID
		}
		if len(out) > 0 {
			if err := tx.CreateInBatches(&out, 200).Error; err != nil {
				return err
			}
		}
		handled = len(events)
		return tx.Model(&Event{}).Where("id IN ?", ids).Update("fanned_out", now).Error
	})
	if err != nil {
		return 0, fmt.Errorf("catalogue: fan out events: %w", err)
	}
	return handled, nil
}

// fanOut holds what one batch of FanOutEvents has loaded.
type fanOut struct {
	tx       *gorm.DB
	now      time.Time
	entries  map[uint]*Entry // nil value: the entry is gone
	users    map[uint]*User  // nil value: the user is gone
	searches []Follow        // every saved search follow, loaded once
	loaded   bool            // searches loaded
}

// followRank orders follow targets from the most specific, to pick the
// follow a notification names (its unsubscribe link).
var followRank = map[FollowTarget]int{FollowEntry: 0, FollowOrganisation: 1, FollowKind: 2, FollowSearch: 3}

func (f *fanOut) notifications(ev Event) ([]Notification, error) {
	e, err := f.entry(ev.EntryID)
	if err != nil || e == nil {
		return nil, err
	}
	// recipient -> the follow that makes them one (nil for the author)
	to := map[uint]*Follow{}
	switch ev.Kind {
	case EventState:
		switch {
		case ev.RecipientID != nil:
			to[*ev.RecipientID] = nil
		case e.CreatedByID != nil:
			to[*e.CreatedByID] = nil
		}
	case EventPublished, EventUpdated, EventRelease:
		if !e.State.Public() {
			return nil, nil
		}
		follows, err := f.followers(e)
		if err != nil {
			return nil, err
		}
		for i := range follows {
			fl := &follows[i]
			if cur, ok := to[fl.UserID]; !ok || followRank[fl.Target] < followRank[cur.Target] ||
				followRank[fl.Target] == followRank[cur.Target] && fl.ID < cur.ID {
				to[fl.UserID] = fl
			}
		}
	}
	if ev.ActorID != nil {
		delete(to, *ev.ActorID)
	}
	userIDs := make([]uint, 0, len(to))
	for id := range to {
		userIDs = append(userIDs, id)
	}
	sort.Slice(userIDs, func(i, j int) bool { return userIDs[i] < userIDs[j] })
	if err := f.loadUsers(userIDs); err != nil {
		return nil, err
	}
	var out []Notification
	for _, id := range userIDs {
		u := f.users[id]
		if u == nil || u.Blocked() || !u.Confirmed() {
			continue
		}
		evID := ev.ID
		n := Notification{UserID: id, Kind: string(ev.Kind), EventID: &evID, Due: dueFor(u.Digest, f.now)}
		if fl := to[id]; fl != nil {
			followID := fl.ID
			n.FollowID = &followID
		}
		out = append(out, n)
	}
	return out, nil
}

// followers are the follows that match entry e: of the entry, its owner,
// its kind, and the saved searches that find it.
func (f *fanOut) followers(e *Entry) ([]Follow, error) {
	owner := ""
	if e.Owner != nil {
		owner = e.Owner.Slug
	}
	var out []Follow
	err := f.tx.Where("(target = ? AND value = ?) OR (target = ? AND value = ?) OR (target = ? AND value = ?)",
		FollowEntry, e.Slug, FollowOrganisation, owner, FollowKind, string(e.Kind)).Find(&out).Error
	if err != nil {
		return nil, err
	}
	if !f.loaded {
		if err := f.tx.Where("target = ?", FollowSearch).Order("id").Find(&f.searches).Error; err != nil {
			return nil, err
		}
		f.loaded = true
	}
	for _, fl := range f.searches {
		if MatchesSavedSearch(e, fl.Value) {
			out = append(out, fl)
		}
	}
	return out, nil
}

func (f *fanOut) entry(id uint) (*Entry, error) {
	if e, ok := f.entries[id]; ok {
		return e, nil
	}
	var e Entry
	err := f.tx.Preload("Owner").Preload("Concepts").Preload("Translations").Preload("Keywords").Take(&e, id).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		f.entries[id] = nil // deleted since: nobody to tell
		return nil, nil
	case err != nil:
		return nil, err
	}
	f.entries[id] = &e
	return &e, nil
}

func (f *fanOut) loadUsers(ids []uint) error {
	var missing []uint
	for _, id := range ids {
		if _, ok := f.users[id]; !ok {
			missing = append(missing, id)
			f.users[id] = nil
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var users []User
	if err := f.tx.Where("id IN ?", missing).Find(&users).Error; err != nil {
		return err
	}
	for i := range users {
		f.users[users[i].ID] = &users[i]
	}
	return nil
}

// digestHour is when daily and weekly digests go out, in UTC.
const digestHour = 7

// dueFor is when a notification created at now may go out to a user with
// digest d: now, or the next digest time.
func dueFor(d Digest, now time.Time) time.Time {
	now = now.UTC()
	next := time.Date(now.Year(), now.Month(), now.Day(), digestHour, 0, 0, 0, time.UTC)
	step := 1
	switch d {
	case DigestDaily:
	case DigestWeekly:
		next = next.AddDate(0, 0, (int(time.Monday)-int(next.Weekday())+7)%7)
		step = 7
	default:
		return now
	}
	if !next.After(now) {
		next = next.AddDate(0, 0, step)
	}
	return next
}

// AssembleMails gathers, for each user who is not blocked, the due
// notifications not yet in a mail into mails: all event notifications in
// one mail (a digest, or the immediate mail), each account notification in
// a mail of its own. Each user's mails are made in one transaction that
// also points the notifications at them. The mail goes to the user's
// current address, in the user's language, due at once. It returns how
// many mails it made.
func (s *Store) AssembleMails(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	var userIDs []uint
	err := s.r.WithContext(ctx).Model(&Notification{}).
		Joins("JOIN users ON users.id = notifications.user_id AND users.blocked_at IS NULL").
		Where("notifications.mail_id IS NULL AND notifications.due <= ?", now).
		Distinct().Order("notifications.user_id").Pluck("notifications.user_id", &userIDs).Error
	if err != nil {
		return 0, fmt.Errorf("catalogue: assemble mails: %w", err)
	}
	made := 0
	for _, id := range userIDs {
		n, err := s.assembleUserMails(ctx, id, now)
		if err != nil {
			return made, fmt.Errorf("catalogue: assemble mails of user %d: %w", id, err)
		}
		made += n
	}
	return made, nil
}

func (s *Store) assembleUserMails(ctx context.Context, userID uint, now time.Time) (int, error) {
	made := 0
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if u.Blocked() {
			return nil
		}
		var ns []Notification
		if err := tx.Where("user_id = ? AND mail_id IS NULL AND due <= ?", userID, now).Order("id").Find(&ns).Error; err != nil {
			return err
		}
		var groups [][]uint
		var events []uint
		for _, n := range ns {
			if n.EventID == nil {
				groups = append(groups, []uint{n.ID}) // an account mail goes alone
			} else {
				events = append(events, n.ID)
			}
		}
		if len(events) > 0 {
			groups = append(groups, events)
		}
		for _, ids := range groups {
			id, err := newMessageID()
			if err != nil {
				return err
			}
			m := Mail{UserID: userID, To: u.Email, Lang: u.Lang, MessageID: id, NextAttempt: now}
			if err := tx.Create(&m).Error; err != nil {
				return err
			}
			if err := tx.Model(&Notification{}).Where("id IN ?", ids).Update("mail_id", m.ID).Error; err != nil {
				return err
			}
			made++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return made, nil
}

// newMessageID makes a Message-ID for a mail: "<random hex@interophub>".
func newMessageID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	return "<" + hex.EncodeToString(b[:]) + "@interophub>", nil
}

// MailItem is one notification of a mail with what a message needs to tell
// of it. Event is nil for account mails; Entry is nil when there is no
// entry or it has been deleted since, and comes with its owner and
// translations; Follow is nil when the notification came from no follow
// or the user has unfollowed since.
type MailItem struct {
	Notification Notification
	Event        *Event
	Entry        *Entry
	Follow       *Follow
}

// DueMails returns up to limit mails not yet sent whose next attempt is
// due at now, oldest first.
func (s *Store) DueMails(ctx context.Context, now time.Time, limit int) ([]Mail, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []Mail
	err := s.r.WithContext(ctx).Where("sent_at IS NULL AND next_attempt <= ?", now.UTC()).
		Order("id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: due mails: %w", err)
	}
	return out, nil
}

// MailItems returns what mail mailID carries, in the order it was queued.
func (s *Store) MailItems(ctx context.Context, mailID uint) ([]MailItem, error) {
	db := s.r.WithContext(ctx)
	var ns []Notification
	if err := db.Where("mail_id = ?", mailID).Order("id").Find(&ns).Error; err != nil {
		return nil, fmt.Errorf("catalogue: items of mail %d: %w", mailID, err)
	}
	var eventIDs, followIDs []uint
	for _, n := range ns {
		if n.EventID != nil {
			eventIDs = append(eventIDs, *n.EventID)
		}
		if n.FollowID != nil {
			followIDs = append(followIDs, *n.FollowID)
		}
	}
	events := map[uint]*Event{}
	entries := map[uint]*Entry{}
	follows := map[uint]*Follow{}
	if len(eventIDs) > 0 {
		var list []Event
		if err := db.Where("id IN ?", eventIDs).Find(&list).Error; err != nil {
			return nil, fmt.Errorf("catalogue: items of mail %d: %w", mailID, err)
		}
		var entryIDs []uint
		for i := range list {
			events[list[i].ID] = &list[i]
			entryIDs = append(entryIDs, list[i].EntryID)
		}
		var es []Entry
		if err := db.Preload("Owner").Preload("Translations").Where("id IN ?", entryIDs).Find(&es).Error; err != nil {
			return nil, fmt.Errorf("catalogue: items of mail %d: %w", mailID, err)
		}
		for i := range es {
			entries[es[i].ID] = &es[i]
		}
	}
	if len(followIDs) > 0 {
		var list []Follow
		if err := db.Where("id IN ?", followIDs).Find(&list).Error; err != nil {
			return nil, fmt.Errorf("catalogue: items of mail %d: %w", mailID, err)
		}
		for i := range list {
			follows[list[i].ID] = &list[i]
		}
	}
	out := make([]MailItem, len(ns))
	for i, n := range ns {
		out[i].Notification = n
		if n.EventID != nil {
			if ev := events[*n.EventID]; ev != nil {
				out[i].Event = ev
				out[i].Entry = entries[ev.EntryID]
			}
		}
		if n.FollowID != nil {
			out[i].Follow = follows[*n.FollowID]
		}
	}
	return out, nil
}

// MarkMailSent records that the server accepted mail id at at. Marking a
// mail sent twice keeps the first time.
func (s *Store) MarkMailSent(ctx context.Context, id uint, at time.Time) error {
	res := s.w.WithContext(ctx).Model(&Mail{}).Where("id = ? AND sent_at IS NULL", id).Update("sent_at", at.UTC())
	if err := s.checkMailUpdate(ctx, id, res); err != nil {
		return fmt.Errorf("catalogue: mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkMailFailed records a failed attempt to send mail id: one more
// attempt, the cause, and when to try again. A mail already sent is left
// as it is.
func (s *Store) MarkMailFailed(ctx context.Context, id uint, cause string, next time.Time) error {
	res := s.w.WithContext(ctx).Model(&Mail{}).Where("id = ? AND sent_at IS NULL", id).Updates(map[string]any{
		"attempts":     gorm.Expr("attempts + 1"),
		"last_error":   truncateRunes(cause, 1000),
		"next_attempt": next.UTC(),
	})
	if err := s.checkMailUpdate(ctx, id, res); err != nil {
		return fmt.Errorf("catalogue: mark mail %d failed: %w", id, err)
	}
	return nil
}

// checkMailUpdate tells apart a mail that was already sent (no error) from
// one that does not exist (ErrNotFound) when an update changed no row.
func (s *Store) checkMailUpdate(ctx context.Context, id uint, res *gorm.DB) error {
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	var n int64
	if err := s.w.WithContext(ctx).Model(&Mail{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// MailFilter selects mails on the admin page.
type MailFilter string

// Mail filters. A failed mail is a pending one that has been tried.
const (
	MailsAll     MailFilter = ""
	MailsPending MailFilter = "pending"
	MailsFailed  MailFilter = "failed"
	MailsSent    MailFilter = "sent"
)

// Mails lists up to limit mails of the outbox, newest first.
func (s *Store) Mails(ctx context.Context, f MailFilter, limit int) ([]Mail, error) {
	if limit <= 0 {
		limit = 50
	}
	db := s.r.WithContext(ctx).Order("id DESC").Limit(limit)
	switch f {
	case MailsAll:
	case MailsPending:
		db = db.Where("sent_at IS NULL")
	case MailsFailed:
		db = db.Where("sent_at IS NULL AND attempts > 0")
	case MailsSent:
		db = db.Where("sent_at IS NOT NULL")
	default:
		return nil, fmt.Errorf("catalogue: mails %q: %w", f, ErrInvalid)
	}
	var out []Mail
	if err := db.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: mails: %w", err)
	}
	return out, nil
}

// CountMails counts the outbox: mails not yet sent (pending), those of
// them already tried (failed, included in pending), and sent ones.
func (s *Store) CountMails(ctx context.Context) (pending, failed, sent int64, err error) {
	var row struct{ Pending, Failed, Sent int64 }
	err = s.r.WithContext(ctx).Model(&Mail{}).Select(
		"COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0) AS pending, " +
			"COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts > 0 THEN 1 ELSE 0 END), 0) AS failed, " +
			"COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent").
		Scan(&row).Error
	if err != nil {
		return 0, 0, 0, fmt.Errorf("catalogue: count mails: %w", err)
	}
	return row.Pending, row.Failed, row.Sent, nil
}
