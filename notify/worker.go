// Package notify delivers the catalogue's notifications by mail: a worker
// fans events out to followers, assembles due notifications into mails and
// sends the mail outbox through a Sender (SMTP in production).
//
// Every step's state is in SQLite (see catalogue.FanOutEvents), so nothing
// is lost when the process stops at any point. Delivery is at least once:
// a mail is marked sent only after the server accepted it, so a process
// killed between the server's acceptance and that mark sends the mail again
// when it restarts, with the same Message-ID, which receivers can use to
// drop the duplicate.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"interophub/catalogue"
)

// Message is a mail ready to send.
type Message struct {
	To              string
	Subject         string
	Text            string
	HTML            string // optional alternative to Text
	MessageID       string // "<id@host>", stable across retries
	ListUnsubscribe string // an https URL (one-click, RFC 8058) or "<mailto:...>"; empty: none
}

// Sender hands a message to a mail server. A nil error means the server
// accepted it.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Composer writes the message for a mail of the outbox from what it
// carries: the texts in the mail's language, the links, the unsubscribe
// link. The web layer implements it.
type Composer interface {
	Compose(ctx context.Context, m catalogue.Mail, items []catalogue.MailItem) (Message, error)
}

// Store is what the worker needs of the catalogue.
type Store interface {
	FanOutEvents(ctx context.Context, now time.Time, limit int) (int, error)
	AssembleMails(ctx context.Context, now time.Time) (int, error)
	DueMails(ctx context.Context, now time.Time, limit int) ([]catalogue.Mail, error)
	MailItems(ctx context.Context, mailID uint) ([]catalogue.MailItem, error)
	MarkMailSent(ctx context.Context, id uint, at time.Time) error
	MarkMailFailed(ctx context.Context, id uint, cause string, next time.Time) error
}

var _ Store = (*catalogue.Store)(nil)

// Worker moves notifications from events to the mail server. Only Store
// and Composer are required. Run one worker per database: two would send
// the same due mail twice.
type Worker struct {
	Store    Store
	Sender   Sender // nil: mails are assembled and stay in the outbox
	Composer Composer
	Now      func() time.Time // nil: time.Now
	Logger   *slog.Logger     // nil: no logs
	Interval time.Duration    // between rounds; 0: 2s
	Wake     <-chan struct{}  // a value starts a round early; may be nil
}

const (
	batchSize = 100
	// Retries wait 30s, 1m, 2m, 4m ... and at most maxBackoff; a mail is
	// never given up on, it stays in the outbox for administrators to see.
	firstBackoff = 30 * time.Second
	maxBackoff   = 6 * time.Hour
	// markTimeout bounds recording a delivery after the worker was asked
	// to stop.
	markTimeout = 5 * time.Second
)

// Backoff is how long to wait before trying a mail again after its
// attempts-th failure (1 for the first): 30s doubling, capped at 6h.
func Backoff(attempts int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// Run runs a round every Interval, or when Wake says so, until ctx is
// done. Errors are logged; the next round tries again.
func (w *Worker) Run(ctx context.Context) {
	interval := w.Interval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.logger().Error("notify: round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-w.Wake:
		}
	}
}

// RunOnce fans out new events, assembles due notifications into mails and
// delivers the mails that are due. A mail that fails is scheduled again
// and does not stop the others; an error means the store failed or ctx
// ended.
func (w *Worker) RunOnce(ctx context.Context) error {
	now := w.now()
	for {
		n, err := w.Store.FanOutEvents(ctx, now, batchSize)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		if n < batchSize {
			break
		}
	}
	if _, err := w.Store.AssembleMails(ctx, now); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if w.Sender == nil {
		return nil
	}
	// Each mail is tried at most once a round: a failed one is due again
	// only after its backoff, later than now.
	for {
		mails, err := w.Store.DueMails(ctx, now, batchSize)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		for _, m := range mails {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.deliver(ctx, m); err != nil {
				return err
			}
		}
		if len(mails) < batchSize {
			return nil
		}
	}
}

// deliver composes and sends one mail and records the outcome. It returns
// an error only when the outcome could not be recorded.
func (w *Worker) deliver(ctx context.Context, m catalogue.Mail) error {
	log := w.logger().With("mail", m.ID, "message_id", m.MessageID)
	msg, err := w.compose(ctx, m)
	if err == nil {
		err = w.Sender.Send(ctx, msg)
	}
	if err != nil {
		delay := Backoff(m.Attempts + 1)
		log.Warn("notify: mail not sent", "attempt", m.Attempts+1, "retry_in", delay, "err", err)
		if err := w.Store.MarkMailFailed(ctx, m.ID, err.Error(), w.now().Add(delay)); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		return nil
	}
	// The server has the message. Record it even if we are being stopped:
	// only a crash right here (before the write commits) sends it twice.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err := w.Store.MarkMailSent(mctx, m.ID, w.now()); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	log.Info("notify: mail sent")
	return nil
}

func (w *Worker) compose(ctx context.Context, m catalogue.Mail) (Message, error) {
	items, err := w.Store.MailItems(ctx, m.ID)
	if err != nil {
		return Message{}, err
	}
	if len(items) == 0 {
		// Its notifications went with a deleted account: there is nothing
		// to say and nobody to say it to. It stays, failed, for admins.
		return Message{}, fmt.Errorf("mail %d carries no notification (was its account deleted?)", m.ID)
	}
	msg, err := w.Composer.Compose(ctx, m, items)
	if err != nil {
		return Message{}, fmt.Errorf("compose: %w", err)
	}
	// The outbox decides where the mail goes and what identifies it.
	msg.MessageID = m.MessageID
	if msg.To == "" {
		msg.To = m.To
	}
	return msg, nil
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}
