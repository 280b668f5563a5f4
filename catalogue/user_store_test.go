package catalogue

import (
	"context"
	"testing"
	"time"
)

// TestAccountMailsAreThrottled: asking again and again for a reset link or
// registering again and again with someone's address sends them one mail
// per AccountMailEvery, not one per request.
func TestAccountMailsAreThrottled(t *testing.T) {
	ctx := context.Background()
	s, u := storeWithLearner(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	count := func(kind string) int64 {
		var n int64
		s.r.Model(&Notification{}).Where("user_id = ? AND kind = ?", u.ID, kind).Count(&n)
		return n
	}
	for i := range 5 {
		at := now.Add(time.Duration(i) * time.Minute)
		if err := s.RequestPasswordReset(ctx, "lea@hub.test", at); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Register(ctx, NewUser{Email: "LEA@hub.test", Name: "Someone", Password: "another-long-passphrase"}, at); err == nil {
			t.Fatal("registered an address twice")
		}
	}
	if r, e := count("reset"), count("exists"); r != 1 || e != 1 {
		t.Fatalf("mails after 5 tries in 5 minutes: %d reset, %d exists; want 1 each", r, e)
	}
	later := now.Add(AccountMailEvery + time.Minute)
	if err := s.RequestPasswordReset(ctx, "lea@hub.test", later); err != nil {
		t.Fatal(err)
	}
	if r := count("reset"); r != 2 {
		t.Fatalf("reset mails after the pause: %d, want 2", r)
	}
}

// storeWithLearner opens a store in a fresh folder with one confirmed
// learner, Lea.
func storeWithLearner(t *testing.T) (*Store, *User) {
	t.Helper()
	s, err := Open(context.Background(), Options{Dir: t.TempDir(), Render: noRender})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	u, err := s.CreateUser(context.Background(), NewUser{Email: "lea@hub.test", Name: "Lea", Password: "a-long-enough-passphrase", Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	return s, u
}
