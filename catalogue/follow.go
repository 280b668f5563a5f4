package catalogue

import (
	"time"

	"gorm.io/gorm"
)

// FollowTarget is what a user follows.
type FollowTarget string

// Follow targets: an entry (by slug), an organisation (by slug), a kind,
// or a saved search (its query string).
const (
	FollowEntry        FollowTarget = "entry"
	FollowOrganisation FollowTarget = "organisation"
	FollowKind         FollowTarget = "kind"
	FollowSearch       FollowTarget = "search"
)

// Follow is a user's subscription to what happens to a target.
type Follow struct {
	ID        uint         `gorm:"primaryKey"`
	UserID    uint         `gorm:"not null;uniqueIndex:idx_follows_user_target"`
	Target    FollowTarget `gorm:"size:16;not null;uniqueIndex:idx_follows_user_target"`
	Value     string       `gorm:"size:1000;not null;uniqueIndex:idx_follows_user_target"`
	CreatedAt time.Time
}

// EventKind is something that happened to an entry that followers hear of.
type EventKind string

// Event kinds.
const (
	EventPublished EventKind = "published"
	EventUpdated   EventKind = "updated"
	EventRelease   EventKind = "release"
	EventState     EventKind = "state" // a state change, for the entry's author
)

// Event is written in the same transaction as the change it reports; a
// worker fans it out into notifications for the followers, once.
type Event struct {
	ID      uint      `gorm:"primaryKey"`
	Kind    EventKind `gorm:"size:16;not null"`
	EntryID uint      `gorm:"not null;index"`
	ActorID *uint
	// RecipientID is who a state event is for when it is not the entry's
	// creator: the author of a revision a moderator decided on.
	RecipientID *uint
	From        State  `gorm:"size:24"`
	To          State  `gorm:"size:24"`
	Detail      string `gorm:"size:2000"` // the moderator's comment, the release's version
	CreatedAt   time.Time
	FannedOut   *time.Time `gorm:"index"`
}

// Notification is one thing to tell one user by mail: an event for a
// follower, or an account mail (confirmation, password reset). Due is when
// it may go out (later for daily and weekly digests); MailID is set when a
// mail carrying it is assembled.
type Notification struct {
	ID        uint      `gorm:"primaryKey"`
	UserID    uint      `gorm:"not null;index"`
	Kind      string    `gorm:"size:32;not null"` // an EventKind, "confirm" or "reset"
	EventID   *uint     `gorm:"index"`
	FollowID  *uint     // the follow that caused it, for the unsubscribe link
	Payload   string    `gorm:"size:4000"` // JSON: what the mail needs beyond the event
	Due       time.Time `gorm:"not null;index"`
	MailID    *uint     `gorm:"index"`
	CreatedAt time.Time
}

// Mail is one message in the mail outbox: assembled from one or more
// notifications of one user, sent by the delivery worker, retried with
// backoff until the server accepts it. MessageID stays the same across
// retries.
type Mail struct {
	ID          uint       `gorm:"primaryKey"`
	UserID      uint       `gorm:"not null;index"`
	To          string     `gorm:"size:254;not null"`
	Lang        string     `gorm:"size:8;not null"`
	MessageID   string     `gorm:"size:200;not null;uniqueIndex"`
	Attempts    int        `gorm:"not null"`
	NextAttempt time.Time  `gorm:"not null;index"`
	LastError   string     `gorm:"size:1000"`
	SentAt      *time.Time `gorm:"index"`
	CreatedAt   time.Time
}

// recordEvent writes an event inside tx, for the notification worker.
func recordEvent(tx *gorm.DB, ev Event) error {
	ev.ID, ev.FannedOut = 0, nil
	return tx.Create(&ev).Error
}

// queueNotification writes a notification inside tx.
func queueNotification(tx *gorm.DB, n Notification) error {
	n.ID, n.MailID = 0, nil
	return tx.Create(&n).Error
}

// notifyQueued wakes the notification worker, without blocking.
func (s *Store) notifyQueued() {
	select {
	case s.queued <- struct{}{}:
	default:
	}
}

// Queued receives a value after a committed write queued an event or a
// notification: a hint for waking the mail worker early.
func (s *Store) Queued() <-chan struct{} { return s.queued }
