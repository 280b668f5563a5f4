package notify_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"interophub/catalogue"
	"interophub/notify"
)

// fixture is a catalogue in a temporary folder with a fake clock. Users
// and events are written straight into the database, as the account and
// workflow code would; the rest goes through the store.
type fixture struct {
	t     *testing.T
	store *catalogue.Store
	db    *gorm.DB // a second connection, for what the store does not write
	clock *fakeClock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	s, err := catalogue.Open(t.Context(), catalogue.Options{Dir: dir, Render: func(md string) (string, error) { return md, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	db, err := gorm.Open(sqlite.Open("file:"+filepath.Join(dir, "hub.db")+"?_foreign_keys=on&_busy_timeout=5000"),
		&gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	// Wednesday, in the future: account mails, due at the real time, are due.
	return &fixture{t: t, store: s, db: db, clock: &fakeClock{now: time.Date(2031, 12, 3, 9, 0, 0, 0, time.UTC)}}
}

func (f *fixture) org(slug string) {
	f.t.Helper()
	if _, err := f.store.SaveOrganisation(f.t.Context(), catalogue.Organisation{Slug: slug, Name: "Org " + slug}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) entry(slug, owner string) *catalogue.Entry {
	f.t.Helper()
	e, err := f.store.SaveEntry(f.t.Context(), catalogue.EntryInput{
		Kind: catalogue.KindSolution, Slug: slug, State: catalogue.StatePublished, Owner: owner,
		Translations: []catalogue.Translation{{Lang: "en", Title: "Solution " + slug}},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	// Only the events a test writes itself count.
	if err := f.db.Model(&catalogue.Event{}).Where("fanned_out IS NULL").Update("fanned_out", time.Unix(0, 0).UTC()).Error; err != nil {
		f.t.Fatal(err)
	}
	return e
}

func (f *fixture) user(name string, digest catalogue.Digest, blocked bool) *catalogue.User {
	f.t.Helper()
	confirmed := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	u := &catalogue.User{Email: name + "@example.org", Name: name, PasswordHash: "-", Role: catalogue.RoleLearner,
		Lang: "en", Digest: digest, ConfirmedAt: &confirmed}
	if blocked {
		u.BlockedAt = &confirmed
	}
	if err := f.db.Create(u).Error; err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fixture) follow(u *catalogue.User, target catalogue.FollowTarget, value string) {
	f.t.Helper()
	if _, err := f.store.Follow(f.t.Context(), u.ID, target, value); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) event(kind catalogue.EventKind, e *catalogue.Entry, actor *catalogue.User) {
	f.t.Helper()
	ev := &catalogue.Event{Kind: kind, EntryID: e.ID}
	if actor != nil {
		ev.ActorID = &actor.ID
	}
	if err := f.db.Create(ev).Error; err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) worker(store notify.Store, sender notify.Sender) *notify.Worker {
	if store == nil {
		store = f.store
	}
	return &notify.Worker{Store: store, Sender: sender, Composer: testComposer{}, Now: f.clock.Now}
}

func (f *fixture) mails() []catalogue.Mail {
	f.t.Helper()
	ms, err := f.store.Mails(f.t.Context(), catalogue.MailsAll, 100)
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

// runOnce runs one round at time at, which must succeed.
func (f *fixture) runOnce(w *notify.Worker, at time.Time) {
	f.t.Helper()
	f.clock.Set(at)
	if err := w.RunOnce(f.t.Context()); err != nil {
		f.t.Fatalf("round at %v: %v", at, err)
	}
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// testComposer lists a mail's items, one line each.
type testComposer struct{}

func (testComposer) Compose(_ context.Context, m catalogue.Mail, items []catalogue.MailItem) (notify.Message, error) {
	var b strings.Builder
	for _, it := range items {
		slug := "-"
		if it.Entry != nil {
			slug = it.Entry.Slug
		}
		fmt.Fprintf(&b, "%s %s\n", it.Notification.Kind, slug)
	}
	msg := notify.Message{Subject: fmt.Sprintf("Nouveautés (%d)", len(items)), Text: b.String()}
	if len(items) > 0 && items[0].Follow != nil {
		msg.ListUnsubscribe = fmt.Sprintf("https://hub.example/unsubscribe/%d", items[0].Follow.ID)
	}
	return msg, nil
}

// The notification path end to end: a published event reaches each
// follower once, by SMTP, and not the actor or a blocked user.
func TestFollowerGetsOneMail(t *testing.T) {
	f := newFixture(t)
	srv := startSMTP(t, 0)
	f.org("ria")
	e := f.entry("x-road", "ria")
	follower := f.user("follower", catalogue.DigestImmediate, false)
	both := f.user("both", catalogue.DigestImmediate, false)
	actor := f.user("actor", catalogue.DigestImmediate, false)
	blocked := f.user("blocked", catalogue.DigestImmediate, true)
	for _, u := range []*catalogue.User{follower, both, actor, blocked} {
		f.follow(u, catalogue.FollowEntry, "x-road")
	}
	f.follow(both, catalogue.FollowOrganisation, "ria")
	f.event(catalogue.EventPublished, e, actor)

	w := f.worker(nil, srv.sender(t))
	now := f.clock.Now()
	f.runOnce(w, now)

	msgs := srv.messages()
	got := map[string]int{}
	for _, m := range msgs {
		got[strings.Join(m.To, ",")]++
	}
	if len(msgs) != 2 || got["follower@example.org"] != 1 || got["both@example.org"] != 1 {
		t.Fatalf("recipients = %v, want follower and both once each", got)
	}
	mails := f.mails()
	ids := map[string]bool{}
	for _, m := range mails {
		ids[m.MessageID] = true
		if m.SentAt == nil || !m.SentAt.Equal(now) || m.Attempts != 0 {
			t.Errorf("mail %d: sent %v, attempts %d", m.ID, m.SentAt, m.Attempts)
		}
	}
	for _, m := range msgs {
		if !ids[m.MessageID] {
			t.Errorf("server got Message-ID %q, not one of the outbox's %v", m.MessageID, ids)
		}
		if !strings.HasPrefix(m.Header.Get("List-Unsubscribe"), "<https://hub.example/unsubscribe/") || m.Text != "published x-road\r\n" {
			t.Errorf("message = %v / %q", m.Header, m.Text)
		}
	}

	f.runOnce(w, now.Add(time.Hour))
	if n := len(srv.messages()); n != 2 {
		t.Errorf("a second round sent again: %d messages", n)
	}
	if pending, failed, sent, err := f.store.CountMails(t.Context()); err != nil || pending != 0 || failed != 0 || sent != 2 {
		t.Errorf("CountMails = %d, %d, %d, %v", pending, failed, sent, err)
	}
}

func TestBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{
		1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 4: 4 * time.Minute,
		10: 256 * time.Minute, 11: 6 * time.Hour, 12: 6 * time.Hour, 1000: 6 * time.Hour,
	} {
		if got := notify.Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

// A server that is down: attempts are recorded with a growing backoff and
// nothing is marked sent; once it is back each mail is delivered once.
func TestRetriesUntilServerAccepts(t *testing.T) {
	f := newFixture(t)
	f.org("ria")
	e := f.entry("x-road", "ria")
	for _, name := range []string{"ann", "ben"} {
		f.follow(f.user(name, catalogue.DigestImmediate, false), catalogue.FollowEntry, "x-road")
	}
	f.event(catalogue.EventUpdated, e, nil)

	port := freePort(t)
	w := f.worker(nil, newSender(t, port))
	t0 := f.clock.Now()
	wantNext := t0.Add(30 * time.Second)
	f.runOnce(w, t0)
	for i, step := range []struct {
		at       time.Time
		attempts int
		next     time.Time
	}{
		{t0, 1, t0.Add(30 * time.Second)},
		{t0.Add(29 * time.Second), 1, t0.Add(30 * time.Second)}, // not due yet: no attempt
		{t0.Add(30 * time.Second), 2, t0.Add(90 * time.Second)},
		{t0.Add(90 * time.Second), 3, t0.Add(210 * time.Second)},
	} {
		if i > 0 {
			f.runOnce(w, step.at)
		}
		mails := f.mails()
		if len(mails) != 2 {
			t.Fatalf("step %d: %d mails", i, len(mails))
		}
		for _, m := range mails {
			if m.SentAt != nil || m.Attempts != step.attempts || !m.NextAttempt.Equal(step.next) || m.LastError == "" {
				t.Errorf("step %d: mail %d sent %v, attempts %d (want %d), next %v (want %v), error %q",
					i, m.ID, m.SentAt, m.Attempts, step.attempts, m.NextAttempt, step.next, m.LastError)
			}
		}
		wantNext = step.next
	}
	if failed, _ := f.store.Mails(t.Context(), catalogue.MailsFailed, 10); len(failed) != 2 {
		t.Errorf("admin list of failed mails = %d, want 2", len(failed))
	}

	srv := startSMTP(t, port)
	f.runOnce(w, wantNext.Add(-time.Second))
	if n := len(srv.messages()); n != 0 {
		t.Errorf("%d mails sent before their next attempt", n)
	}
	for _, at := range []time.Time{wantNext, wantNext.Add(time.Minute), wantNext.Add(7 * time.Hour)} {
		f.runOnce(w, at)
	}
	got := srv.byMessageID()
	for _, m := range f.mails() {
		if got[m.MessageID] != 1 || m.SentAt == nil || !m.SentAt.Equal(wantNext) {
			t.Errorf("mail %s delivered %d times, sent at %v", m.MessageID, got[m.MessageID], m.SentAt)
		}
	}
	if len(got) != 2 {
		t.Errorf("server got %v", got)
	}
}

// A daily digest collects the day's events into one mail at 07:00 UTC.
func TestDailyDigest(t *testing.T) {
	f := newFixture(t)
	srv := startSMTP(t, 0)
	f.org("ria")
	entries := []*catalogue.Entry{f.entry("x-road", "ria"), f.entry("tara", "ria"), f.entry("eesti-ee", "ria")}
	daily := f.user("daily", catalogue.DigestDaily, false)
	f.follow(daily, catalogue.FollowKind, "solution")
	w := f.worker(nil, srv.sender(t))

	day := time.Date(2031, 12, 3, 0, 0, 0, 0, time.UTC)
	kinds := []catalogue.EventKind{catalogue.EventPublished, catalogue.EventUpdated, catalogue.EventRelease}
	for i, hour := range []int{9, 12, 18} {
		f.event(kinds[i], entries[i], nil)
		f.runOnce(w, day.Add(time.Duration(hour)*time.Hour))
	}
	f.runOnce(w, day.Add(31*time.Hour-time.Second)) // 06:59:59 the next day
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("%d mails before the digest time", n)
	}
	f.runOnce(w, day.Add(31*time.Hour))
	f.runOnce(w, day.Add(32*time.Hour))
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d mails, want one digest", len(msgs))
	}
	want := "published x-road\r\nupdated tara\r\nrelease eesti-ee\r\n"
	if msgs[0].To[0] != "daily@example.org" || msgs[0].Text != want {
		t.Errorf("digest to %v:\n%q\nwant\n%q", msgs[0].To, msgs[0].Text, want)
	}
}

// killingStore stands for a process killed after the server accepted a
// mail and before the outbox recorded it: the record never happens.
type killingStore struct {
	notify.Store
	kill context.CancelFunc
}

func (k killingStore) MarkMailSent(context.Context, uint, time.Time) error {
	k.kill()
	return errors.New("killed")
}

// A crash between the server's acceptance and the record sends the mail
// again after a restart, with the same Message-ID, and then never again.
func TestCrashAfterAcceptanceResendsOnce(t *testing.T) {
	f := newFixture(t)
	srv := startSMTP(t, 0)
	f.org("ria")
	e := f.entry("x-road", "ria")
	f.follow(f.user("ann", catalogue.DigestImmediate, false), catalogue.FollowEntry, "x-road")
	f.event(catalogue.EventPublished, e, nil)

	ctx, kill := context.WithCancel(t.Context())
	first := f.worker(killingStore{f.store, kill}, srv.sender(t))
	if err := first.RunOnce(ctx); err == nil {
		t.Fatal("the killed round reported success")
	}
	if got := srv.byMessageID(); len(got) != 1 {
		t.Fatalf("server got %v before the crash", got)
	}
	mails := f.mails()
	if len(mails) != 1 || mails[0].SentAt != nil || mails[0].Attempts != 0 {
		t.Fatalf("outbox after the crash = %+v", mails)
	}

	restarted := f.worker(nil, srv.sender(t))
	f.runOnce(restarted, f.clock.Now().Add(time.Minute))
	f.runOnce(restarted, f.clock.Now().Add(time.Hour))
	got := srv.byMessageID()
	if len(got) != 1 || got[mails[0].MessageID] != 2 {
		t.Errorf("deliveries by Message-ID = %v, want %s twice", got, mails[0].MessageID)
	}
	if m := f.mails()[0]; m.SentAt == nil {
		t.Error("the mail is still pending after the restart")
	}
}

// stoppingSender asks the worker to stop right after the server accepted
// the first mail.
type stoppingSender struct {
	notify.Sender
	stop context.CancelFunc
}

func (s stoppingSender) Send(ctx context.Context, m notify.Message) error {
	err := s.Sender.Send(ctx, m)
	s.stop()
	return err
}

// Stopping the worker (SIGTERM) after a mail was accepted still records
// it: no duplicate; the mails not yet tried wait for the next start.
func TestStopAfterAcceptanceRecordsIt(t *testing.T) {
	f := newFixture(t)
	srv := startSMTP(t, 0)
	f.org("ria")
	e := f.entry("x-road", "ria")
	for _, name := range []string{"ann", "ben"} {
		f.follow(f.user(name, catalogue.DigestImmediate, false), catalogue.FollowEntry, "x-road")
	}
	f.event(catalogue.EventPublished, e, nil)

	ctx, stop := context.WithCancel(t.Context())
	w := f.worker(nil, stoppingSender{srv.sender(t), stop})
	if err := w.RunOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped round: err = %v", err)
	}
	if pending, _, sent, _ := f.store.CountMails(t.Context()); pending != 1 || sent != 1 || len(srv.messages()) != 1 {
		t.Fatalf("after the stop: %d pending, %d sent, %d delivered; want 1, 1, 1", pending, sent, len(srv.messages()))
	}
	f.runOnce(f.worker(nil, srv.sender(t)), f.clock.Now())
	got := srv.byMessageID()
	if len(got) != 2 {
		t.Errorf("deliveries = %v, want two mails once each", got)
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
}

// Without a sender, mails are assembled and wait in the outbox.
func TestNoSenderKeepsMailsInOutbox(t *testing.T) {
	f := newFixture(t)
	f.org("ria")
	e := f.entry("x-road", "ria")
	u := f.user("ann", catalogue.DigestImmediate, false)
	f.follow(u, catalogue.FollowEntry, "x-road")
	f.event(catalogue.EventPublished, e, nil)
	if err := f.store.QueueAccountMail(t.Context(), u.ID, "confirm", map[string]string{"token": "t"}); err != nil {
		t.Fatal(err)
	}
	f.runOnce(f.worker(nil, nil), f.clock.Now())
	if pending, failed, sent, _ := f.store.CountMails(t.Context()); pending != 2 || failed != 0 || sent != 0 {
		t.Errorf("outbox = %d pending, %d failed, %d sent; want 2 pending", pending, failed, sent)
	}
}

// Run works on a wake-up without waiting for its interval, and returns
// when its context ends.
func TestRunWakesAndStops(t *testing.T) {
	f := newFixture(t)
	srv := startSMTP(t, 0)
	f.org("ria")
	e := f.entry("x-road", "ria")
	f.follow(f.user("ann", catalogue.DigestImmediate, false), catalogue.FollowEntry, "x-road")

	wake := make(chan struct{}, 1)
	w := f.worker(nil, srv.sender(t))
	w.Interval, w.Wake = time.Hour, wake
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()

	f.event(catalogue.EventPublished, e, nil)
	wake <- struct{}{}
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(srv.messages()) != 1 {
		t.Errorf("after a wake-up: %d messages", len(srv.messages()))
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// A mail whose account was deleted before delivery is not sent: its
// notifications went with the account.
func TestDeletedAccountGetsNothing(t *testing.T) {
	f := newFixture(t)
	srv := startSMTP(t, 0)
	f.org("ria")
	e := f.entry("x-road", "ria")
	u := f.user("ann", catalogue.DigestImmediate, false)
	f.follow(u, catalogue.FollowEntry, "x-road")
	f.event(catalogue.EventPublished, e, nil)
	if _, err := f.store.FanOutEvents(t.Context(), f.clock.Now(), 10); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.AssembleMails(t.Context(), f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Delete(&catalogue.User{}, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	f.runOnce(f.worker(nil, srv.sender(t)), f.clock.Now())
	if n := len(srv.messages()); n != 0 {
		t.Errorf("%d messages sent to a deleted account", n)
	}
	if m := f.mails(); len(m) != 1 || m[0].SentAt != nil || m[0].Attempts != 1 {
		t.Errorf("outbox = %+v, want the mail failed once", m)
	}
}
