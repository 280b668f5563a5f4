package catalogue

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"testing"
	"time"
)

func ntEvent(t *testing.T, s *Store, kind EventKind, entryID uint, actor *User) *Event {
	t.Helper()
	ev := &Event{Kind: kind, EntryID: entryID}
	if actor != nil {
		ev.ActorID = &actor.ID
	}
	if err := s.w.Create(ev).Error; err != nil {
		t.Fatalf("create event: %v", err)
	}
	return ev
}

// ntNotified maps user id to the notifications of event ev.
func ntNotified(t *testing.T, s *Store, ev *Event) map[uint][]Notification {
	t.Helper()
	var ns []Notification
	if err := s.w.Where("event_id = ?", ev.ID).Find(&ns).Error; err != nil {
		t.Fatal(err)
	}
	out := map[uint][]Notification{}
	for _, n := range ns {
		out[n.UserID] = append(out[n.UserID], n)
	}
	return out
}

func TestFanOutEvents(t *testing.T) {
	ctx := context.Background()
	s := ntStore(t)
	ntOrg(t, s, "ria")
	ntOrg(t, s, "dvv")
	author := ntUser(t, s, "author")
	entry := ntEntry(t, s, "x-road", "ria", StatePublished, author.ID)
	draft := ntEntry(t, s, "secret", "ria", StateDraft, author.ID)
	other := ntEntry(t, s, "altinn", "dvv", StatePublished, 0)

	entryFan := ntUser(t, s, "entry-fan")
	both := ntUser(t, s, "both")
	orgFan := ntUser(t, s, "org-fan")
	kindFan := ntUser(t, s, "kind-fan", ntDigest(DigestDaily))
	searchFan := ntUser(t, s, "search-fan", ntDigest(DigestWeekly))
	otherSearch := ntUser(t, s, "other-search")
	actor := ntUser(t, s, "actor")
	blocked := ntUser(t, s, "blocked", ntBlocked)
	unconfirmed := ntUser(t, s, "unconfirmed", ntUnconfirmed)

	ntFollow(t, s, entryFan, FollowEntry, "x-road")
	bothEntry := ntFollow(t, s, both, FollowEntry, "x-road")
	ntFollow(t, s, both, FollowOrganisation, "ria")
	ntFollow(t, s, both, FollowSearch, "q=identity")
	ntFollow(t, s, orgFan, FollowOrganisation, "ria")
	ntFollow(t, s, kindFan, FollowKind, "solution")
	searchFollow := ntFollow(t, s, searchFan, FollowSearch, "q=digital+identity&country=EE")
	ntFollow(t, s, otherSearch, FollowSearch, "q=identity&country=PT")
	ntFollow(t, s, actor, FollowEntry, "x-road")
	ntFollow(t, s, blocked, FollowEntry, "x-road")
	ntFollow(t, s, unconfirmed, FollowEntry, "x-road")
	ntFollow(t, s, author, FollowOrganisation, "dvv")

	published := ntEvent(t, s, EventPublished, entry.ID, actor)
	onDraft := ntEvent(t, s, EventUpdated, draft.ID, actor)
	state := ntEvent(t, s, EventState, draft.ID, actor)
	ownState := ntEvent(t, s, EventState, entry.ID, author) // the author acted: nobody to tell
	release := ntEvent(t, s, EventRelease, other.ID, nil)
	gone := ntEvent(t, s, EventUpdated, 424242, nil)

	// Wednesday 2026-12-02 10:00 UTC, given in another zone.
	now := time.Date(2026, 12, 2, 11, 0, 0, 0, time.FixedZone("CET", 3600))
	n, err := s.FanOutEvents(ctx, now, 4)
	if err != nil || n != 4 {
		t.Fatalf("first batch = %d, %v; want 4 events", n, err)
	}
	if n, err = s.FanOutEvents(ctx, now, 4); err != nil || n != 2 {
		t.Fatalf("second batch = %d, %v; want the 2 left", n, err)
	}
	if n, err = s.FanOutEvents(ctx, now, 4); err != nil || n != 0 {
		t.Fatalf("third batch = %d, %v; want nothing left", n, err)
	}

	got := ntNotified(t, s, published)
	var users []uint
	for id := range got {
		users = append(users, id)
	}
	sort.Slice(users, func(i, j int) bool { return users[i] < users[j] })
	want := []uint{entryFan.ID, both.ID, orgFan.ID, kindFan.ID, searchFan.ID}
	if len(users) != len(want) {
		t.Fatalf("published event told users %v, want %v", users, want)
	}
	for i := range want {
		if users[i] != want[i] {
			t.Fatalf("published event told users %v, want %v", users, want)
		}
	}
	for id, ns := range got {
		if len(ns) != 1 {
			t.Errorf("user %d has %d notifications of one event", id, len(ns))
		}
	}
	if f := got[both.ID][0].FollowID; f == nil || *f != bothEntry.ID {
		t.Errorf("FollowID of a user with three matching follows = %v, want the entry follow %d", f, bothEntry.ID)
	}
	if f := got[searchFan.ID][0].FollowID; f == nil || *f != searchFollow.ID {
		t.Errorf("FollowID of the saved search = %v, want %d", f, searchFollow.ID)
	}
	utc := now.UTC()
	dues := map[uint]time.Time{
		entryFan.ID:  utc,
		kindFan.ID:   time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC),
		searchFan.ID: time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC),
	}
	for id, due := range dues {
		if n := got[id][0]; !n.Due.Equal(due) || n.Kind != string(EventPublished) {
			t.Errorf("user %d: notification %s due %v, want %v", id, n.Kind, n.Due, due)
		}
	}

	if got := ntNotified(t, s, onDraft); len(got) != 0 {
		t.Errorf("an event of a draft reached followers: %v", got)
	}
	if got := ntNotified(t, s, state); len(got) != 1 || len(got[author.ID]) != 1 || got[author.ID][0].FollowID != nil {
		t.Errorf("state event notifications = %+v, want one for the author", got)
	}
	if got := ntNotified(t, s, ownState); len(got) != 0 {
		t.Errorf("the author was told of their own action: %+v", got)
	}
	// altinn is another public solution with "identity" in its title,
	// in Estonia, of dvv: its release reaches the dvv follower, the
	// followers of solutions and the saved searches it matches; the
	// x-road and ria fans do not hear of it.
	got = ntNotified(t, s, release)
	if len(got) != 4 || got[author.ID] == nil || got[both.ID] == nil || got[kindFan.ID] == nil || got[searchFan.ID] == nil {
		t.Errorf("release of altinn told %v, want author, both, kind-fan and search-fan", got)
	}
	if got := ntNotified(t, s, gone); len(got) != 0 {
		t.Errorf("an event of a deleted entry reached %v", got)
	}
	var left int64
	s.w.Model(&Event{}).Where("fanned_out IS NULL").Count(&left)
	if left != 0 {
		t.Errorf("%d events not marked fanned out", left)
	}
}

func TestDueFor(t *testing.T) {
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 12, day, hour, minute, 0, 0, time.UTC) }
	tests := []struct {
		digest Digest
		now    time.Time
		want   time.Time
	}{
		{DigestImmediate, at(2, 10, 0), at(2, 10, 0)},
		{"", at(2, 10, 0), at(2, 10, 0)},
		{DigestDaily, at(2, 6, 59), at(2, 7, 0)},
		{DigestDaily, at(2, 7, 0), at(3, 7, 0)},
		{DigestDaily, at(2, 23, 59), at(3, 7, 0)},
		{DigestDaily, at(31, 8, 0), time.Date(2027, 1, 1, 7, 0, 0, 0, time.UTC)},
		{DigestWeekly, at(2, 10, 0), at(7, 7, 0)},   // Wednesday -> Monday
		{DigestWeekly, at(7, 6, 0), at(7, 7, 0)},    // Monday before seven
		{DigestWeekly, at(7, 7, 0), at(14, 7, 0)},   // Monday at seven: next week
		{DigestWeekly, at(6, 23, 0), at(7, 7, 0)},   // Sunday
		{DigestWeekly, at(12, 12, 0), at(14, 7, 0)}, // Saturday
	}
	for _, tt := range tests {
		if got := dueFor(tt.digest, tt.now); !got.Equal(tt.want) {
			t.Errorf("dueFor(%s, %v) = %v, want %v", tt.digest, tt.now, got, tt.want)
		}
	}
}

var messageIDPattern = regexp.MustCompile(`^<[0-9a-f]{32}@interophub>$`)

func TestAssembleMails(t *testing.T) {
	ctx := context.Background()
	s := ntStore(t)
	ntOrg(t, s, "ria")
	entry := ntEntry(t, s, "x-road", "ria", StatePublished, 0)
	ann := ntUser(t, s, "ann")
	daily := ntUser(t, s, "daily", ntDigest(DigestDaily))
	later := ntUser(t, s, "later")
	annFollow := ntFollow(t, s, ann, FollowEntry, "x-road")
	ntFollow(t, s, daily, FollowEntry, "x-road")
	ntFollow(t, s, later, FollowEntry, "x-road")

	// Account mails are due at the real time: the test runs in the future.
	now := time.Date(2031, 12, 3, 10, 0, 0, 0, time.UTC)
	ntEvent(t, s, EventPublished, entry.ID, nil)
	ntEvent(t, s, EventRelease, entry.ID, nil)
	if _, err := s.FanOutEvents(ctx, now, 10); err != nil {
		t.Fatal(err)
	}
	if err := s.QueueAccountMail(ctx, ann.ID, "reset", map[string]string{"token": "t1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.QueueAccountMail(ctx, daily.ID, "confirm", map[string]string{"token": "t2"}); err != nil {
		t.Fatal(err)
	}
	if err := s.QueueAccountMail(ctx, ann.ID, string(EventPublished), nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("an account mail of an event kind: err = %v, want ErrInvalid", err)
	}
	// The address changes after the notifications were made: the mail
	// goes to the current one. A user blocked meanwhile gets nothing yet.
	s.w.Model(&User{}).Where("id = ?", ann.ID).Update("email", "ann.new@example.org")
	s.w.Model(&User{}).Where("id = ?", later.ID).Update("blocked_at", now)

	made, err := s.AssembleMails(ctx, now)
	if err != nil || made != 3 {
		t.Fatalf("AssembleMails = %d, %v; want ann's digest and reset mail and daily's confirmation", made, err)
	}
	var mails []Mail
	s.w.Order("id").Find(&mails)
	if len(mails) != 3 {
		t.Fatalf("mails = %+v", mails)
	}
	byUser := map[uint][]Mail{}
	for _, m := range mails {
		byUser[m.UserID] = append(byUser[m.UserID], m)
		if !messageIDPattern.MatchString(m.MessageID) || m.Lang != "en" || m.SentAt != nil || m.Attempts != 0 {
			t.Errorf("mail = %+v", m)
		}
	}
	if len(byUser[ann.ID]) != 2 || byUser[ann.ID][0].To != "ann.new@example.org" {
		t.Fatalf("ann's mails = %+v", byUser[ann.ID])
	}
	if len(byUser[daily.ID]) != 1 || len(byUser[later.ID]) != 0 {
		t.Errorf("daily's mails = %+v, later's = %+v", byUser[daily.ID], byUser[later.ID])
	}

	var digest, reset *Mail
	for i, m := range byUser[ann.ID] {
		items, err := s.MailItems(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch len(items) {
		case 2:
			digest = &byUser[ann.ID][i]
			for _, it := range items {
				if it.Event == nil || it.Entry == nil || it.Entry.Slug != "x-road" || len(it.Entry.Translations) != 1 ||
					it.Follow == nil || it.Follow.ID != annFollow.ID {
					t.Errorf("digest item = %+v", it)
				}
			}
			if items[0].Event.Kind != EventPublished || items[1].Event.Kind != EventRelease {
				t.Errorf("digest items out of order: %s, %s", items[0].Event.Kind, items[1].Event.Kind)
			}
		case 1:
			reset = &byUser[ann.ID][i]
			if it := items[0]; it.Event != nil || it.Entry != nil || it.Notification.Kind != "reset" || it.Notification.Payload != `{"token":"t1"}` {
				t.Errorf("account mail item = %+v", it)
			}
		}
	}
	if digest == nil || reset == nil {
		t.Fatal("ann did not get one digest and one account mail")
	}
	if made, err := s.AssembleMails(ctx, now); err != nil || made != 0 {
		t.Errorf("assembling again made %d mails, %v", made, err)
	}
	// The daily digest is due tomorrow at seven.
	if made, err := s.AssembleMails(ctx, time.Date(2031, 12, 4, 6, 59, 59, 0, time.UTC)); err != nil || made != 0 {
		t.Errorf("a daily digest went out before seven: %d mails, %v", made, err)
	}
	if made, err := s.AssembleMails(ctx, time.Date(2031, 12, 4, 7, 0, 0, 0, time.UTC)); err != nil || made != 1 {
		t.Errorf("daily digest at seven: %d mails, %v", made, err)
	}
}

func TestMailOutboxStates(t *testing.T) {
	ctx := context.Background()
	s := ntStore(t)
	ann := ntUser(t, s, "ann")
	for range 3 {
		if err := s.QueueAccountMail(ctx, ann.ID, "confirm", nil); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC().Add(time.Second)
	if made, err := s.AssembleMails(ctx, now); err != nil || made != 3 {
		t.Fatalf("AssembleMails = %d, %v", made, err)
	}
	due, err := s.DueMails(ctx, now, 10)
	if err != nil || len(due) != 3 || due[0].ID > due[1].ID {
		t.Fatalf("due = %+v, %v; want 3, oldest first", due, err)
	}
	a, b, c := due[0].ID, due[1].ID, due[2].ID

	if err := s.MarkMailFailed(ctx, a, "421 try later", now.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMailSent(ctx, b, now); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMailSent(ctx, b, now.Add(time.Hour)); err != nil {
		t.Errorf("marking sent twice: %v", err)
	}
	if err := s.MarkMailFailed(ctx, b, "late failure", now.Add(time.Hour)); err != nil {
		t.Errorf("failing a sent mail: %v", err)
	}
	for _, err := range []error{s.MarkMailSent(ctx, 9999, now), s.MarkMailFailed(ctx, 9999, "x", now)} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("marking a missing mail: err = %v, want ErrNotFound", err)
		}
	}

	if due, _ := s.DueMails(ctx, now, 10); len(due) != 1 || due[0].ID != c {
		t.Errorf("due while a is backing off = %+v, want only c", due)
	}
	if due, _ := s.DueMails(ctx, now.Add(30*time.Second), 10); len(due) != 2 || due[0].ID != a {
		t.Errorf("due after the backoff = %+v, want a and c", due)
	}
	if err := s.MarkMailFailed(ctx, a, string(make([]byte, 3000)), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}

	var ma, mb Mail
	s.w.Take(&ma, a)
	s.w.Take(&mb, b)
	if ma.Attempts != 2 || len(ma.LastError) != 1000 || !ma.NextAttempt.Equal(now.Add(time.Minute)) || ma.SentAt != nil {
		t.Errorf("failed mail = attempts %d, error of %d bytes, next %v", ma.Attempts, len(ma.LastError), ma.NextAttempt)
	}
	if mb.SentAt == nil || !mb.SentAt.Equal(now) || mb.Attempts != 0 {
		t.Errorf("sent mail = %+v, want sent at %v, never failed", mb, now)
	}

	pending, failed, sent, err := s.CountMails(ctx)
	if err != nil || pending != 2 || failed != 1 || sent != 1 {
		t.Errorf("CountMails = %d pending, %d failed, %d sent, %v; want 2, 1, 1", pending, failed, sent, err)
	}
	for _, tt := range []struct {
		f    MailFilter
		want []uint
	}{
		{MailsAll, []uint{c, b, a}},
		{MailsPending, []uint{c, a}},
		{MailsFailed, []uint{a}},
		{MailsSent, []uint{b}},
	} {
		list, err := s.Mails(ctx, tt.f, 10)
		if err != nil || len(list) != len(tt.want) {
			t.Errorf("Mails(%q) = %+v, %v", tt.f, list, err)
			continue
		}
		for i := range list {
			if list[i].ID != tt.want[i] {
				t.Errorf("Mails(%q) ids differ at %d: %d, want %d", tt.f, i, list[i].ID, tt.want[i])
			}
		}
	}
	if _, err := s.Mails(ctx, "bounced", 10); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown filter: err = %v", err)
	}
}
