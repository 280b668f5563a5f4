package catalogue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// These tests run inside the package to create users and events directly,
// as the account and workflow code would.

func ntStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{Dir: t.TempDir(), Render: func(md string) (string, error) { return md, nil }})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func ntOrg(t *testing.T, s *Store, slug string) {
	t.Helper()
	if _, err := s.SaveOrganisation(context.Background(), Organisation{Slug: slug, Name: "Org " + slug}); err != nil {
		t.Fatalf("save organisation: %v", err)
	}
}

// ntEntry saves a minimal entry; author, when not 0, is its creator.
func ntEntry(t *testing.T, s *Store, slug, owner string, state State, author uint) *Entry {
	t.Helper()
	e, err := s.SaveEntry(context.Background(), EntryInput{
		Kind: KindSolution, Slug: slug, State: state, Owner: owner,
		Concepts:     map[Scheme][]string{SchemeCountry: {"EE"}},
		Translations: []Translation{{Lang: "en", Title: "Digital identity " + slug, Summary: "Signs people in."}},
	})
	if err != nil {
		t.Fatalf("save entry: %v", err)
	}
	if author != 0 {
		if err := s.w.Model(&Entry{}).Where("id = ?", e.ID).UpdateColumn("created_by_id", author).Error; err != nil {
			t.Fatal(err)
		}
	}
	// Whatever events saving may record are not these tests' business.
	if err := s.w.Model(&Event{}).Where("fanned_out IS NULL").Update("fanned_out", time.Unix(0, 0).UTC()).Error; err != nil {
		t.Fatal(err)
	}
	return e
}

type ntUserOpt func(*User)

var (
	ntBlocked     ntUserOpt = func(u *User) { now := time.Now().UTC(); u.BlockedAt = &now }
	ntUnconfirmed ntUserOpt = func(u *User) { u.ConfirmedAt = nil }
)

func ntDigest(d Digest) ntUserOpt { return func(u *User) { u.Digest = d } }

func ntUser(t *testing.T, s *Store, name string, opts ...ntUserOpt) *User {
	t.Helper()
	confirmed := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	u := &User{Email: name + "@example.org", Name: name, PasswordHash: "-", Role: RoleLearner, Lang: "en",
		Digest: DigestImmediate, ConfirmedAt: &confirmed}
	for _, o := range opts {
		o(u)
	}
	if err := s.w.Create(u).Error; err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func ntFollow(t *testing.T, s *Store, u *User, target FollowTarget, value string) *Follow {
	t.Helper()
	f, err := s.Follow(context.Background(), u.ID, target, value)
	if err != nil {
		t.Fatalf("follow %s %s: %v", target, value, err)
	}
	return f
}

func TestFollowValidation(t *testing.T) {
	ctx := context.Background()
	s := ntStore(t)
	ntOrg(t, s, "ria")
	ntEntry(t, s, "x-road", "ria", StatePublished, 0)
	u := ntUser(t, s, "ann")
	tests := []struct {
		name   string
		target FollowTarget
		value  string
		field  string
	}{
		{"unknown entry", FollowEntry, "nowhere", "value"},
		{"empty entry", FollowEntry, " ", "value"},
		{"unknown organisation", FollowOrganisation, "nobody", "value"},
		{"unknown kind", FollowKind, "gadget", "value"},
		{"plural kind", FollowKind, "solutions", "value"},
		{"malformed search", FollowSearch, "q=%zz", "value"},
		{"search without criteria", FollowSearch, "page=2&sort=title", "value"},
		{"search too long", FollowSearch, "q=" + strings.Repeat("a", 1000), "value"},
		{"unknown target", FollowTarget("planet"), "mars", "target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Follow(ctx, u.ID, tt.target, tt.value)
			var verr *ValidationError
			if !errors.As(err, &verr) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			if len(verr.Fields) != 1 || verr.Fields[0].Field != tt.field {
				t.Errorf("fields = %+v, want one for %s", verr.Fields, tt.field)
			}
		})
	}
	if _, err := s.Follow(ctx, 9999, FollowKind, "solution"); !errors.Is(err, ErrNotFound) {
		t.Errorf("follow by a missing user: err = %v, want ErrNotFound", err)
	}
	if fs, _ := s.Follows(ctx, u.ID); len(fs) != 0 {
		t.Errorf("invalid follows were stored: %+v", fs)
	}
}

func TestFollowLifecycle(t *testing.T) {
	ctx := context.Background()
	s := ntStore(t)
	ntOrg(t, s, "ria")
	ntEntry(t, s, "x-road", "ria", StatePublished, 0)
	ann, ben := ntUser(t, s, "ann"), ntUser(t, s, "ben")

	first := ntFollow(t, s, ann, FollowEntry, "x-road")
	again := ntFollow(t, s, ann, FollowEntry, " x-road ")
	if again.ID != first.ID {
		t.Errorf("following twice made a second follow: %d then %d", first.ID, again.ID)
	}
	search := ntFollow(t, s, ann, FollowSearch, "q=identity&country=EE&kind=solution&page=2")
	if search.Value != "country=EE&kind=solution&q=identity" {
		t.Errorf("saved search stored as %q", search.Value)
	}
	if same := ntFollow(t, s, ann, FollowSearch, "kind=solution&q=identity&country=EE"); same.ID != search.ID {
		t.Error("the same search in another order made a second follow")
	}
	ntFollow(t, s, ann, FollowOrganisation, "ria")
	ntFollow(t, s, ann, FollowKind, "standard")
	benFollow := ntFollow(t, s, ben, FollowKind, "standard")

	fs, err := s.Follows(ctx, ann.ID)
	if err != nil || len(fs) != 4 {
		t.Fatalf("follows = %+v, %v; want 4", fs, err)
	}
	for _, tt := range []struct {
		target FollowTarget
		value  string
		want   bool
	}{
		{FollowEntry, "x-road", true},
		{FollowSearch, "q=identity&kind=solution&country=EE", true},
		{FollowSearch, "q=identity", false},
		{FollowKind, "solution", false},
	} {
		if got, err := s.IsFollowing(ctx, ann.ID, tt.target, tt.value); err != nil || got != tt.want {
			t.Errorf("IsFollowing(%s %s) = %v, %v; want %v", tt.target, tt.value, got, err, tt.want)
		}
	}

	if got, err := s.FollowByID(ctx, first.ID); err != nil || got.Value != "x-road" || got.UserID != ann.ID {
		t.Errorf("FollowByID = %+v, %v", got, err)
	}
	if err := s.Unfollow(ctx, ann.ID, benFollow.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("unfollowing someone else's follow: err = %v, want ErrNotFound", err)
	}
	if err := s.Unfollow(ctx, ann.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FollowByID(ctx, first.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("follow still there after unfollow: %v", err)
	}
	if err := s.UnfollowAll(ctx, ann.ID); err != nil {
		t.Fatal(err)
	}
	if fs, _ := s.Follows(ctx, ann.ID); len(fs) != 0 {
		t.Errorf("follows after UnfollowAll = %+v", fs)
	}
	if fs, _ := s.Follows(ctx, ben.ID); len(fs) != 1 {
		t.Errorf("UnfollowAll touched another user's follows: %+v", fs)
	}
}
