package catalogue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAPITokens(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Options{Dir: t.TempDir(), Render: noRender})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, NewUser{Email: "tok@hub.test", Name: "Tok", Password: "plain-Language-Services-2026", Role: RoleContributor, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

	if _, _, err := s.CreateToken(ctx, u.ID, " ", "admin", now); !errors.Is(err, ErrInvalid) {
		t.Errorf("nameless token of an unknown scope: %v", err)
	}
	tok, secret, err := s.CreateToken(ctx, u.ID, "ci", ScopeWrite, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "ih_") || len(secret) != 3+43 || tok.Hash == secret || strings.Contains(tok.Hash, secret[3:]) {
		t.Errorf("secret %q, hash %q", secret, tok.Hash)
	}
	got, gotTok, err := s.UserByToken(ctx, secret, now)
	if err != nil || got.ID != u.ID || gotTok.Scope != ScopeWrite || gotTok.LastUsedAt == nil {
		t.Fatalf("user by token: %v %+v", err, gotTok)
	}
	// Last use is written at most once a minute.
	_, _, _ = s.UserByToken(ctx, secret, now.Add(30*time.Second))
	list, _ := s.Tokens(ctx, u.ID)
	if len(list) != 1 || !list[0].LastUsedAt.Equal(now) {
		t.Errorf("last used: %+v", list)
	}
	_, _, _ = s.UserByToken(ctx, secret, now.Add(2*time.Minute))
	list, _ = s.Tokens(ctx, u.ID)
	if !list[0].LastUsedAt.Equal(now.Add(2 * time.Minute)) {
		t.Errorf("last used not updated: %v", list[0].LastUsedAt)
	}
	if _, _, err := s.UserByToken(ctx, secret+"x", now); !errors.Is(err, ErrNotFound) {
		t.Errorf("wrong secret: %v", err)
	}
	if err := s.RevokeToken(ctx, u.ID+1, tok.ID, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("someone else revoked the token: %v", err)
	}
	if err := s.RevokeToken(ctx, u.ID, tok.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.UserByToken(ctx, secret, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token: %v", err)
	}
	for i := range MaxAPITokens {
		if _, _, err := s.CreateToken(ctx, u.ID, "t", ScopeRead, now); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
	if _, _, err := s.CreateToken(ctx, u.ID, "one too many", ScopeRead, now); !errors.Is(err, ErrTooManyTokens) {
		t.Errorf("token past the limit: %v", err)
	}

	// A new password revokes every token: whoever had the old one made
	// them, perhaps.
	v, err := s.CreateUser(ctx, NewUser{Email: "tok2@hub.test", Name: "Tok 2", Password: "plain-Language-Services-2026", Role: RoleContributor, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	_, secret2, err := s.CreateToken(ctx, v.ID, "script", ScopeRead, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(ctx, v.ID, "plain-Language-Services-2026", "another-Long-Passphrase-2027", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.UserByToken(ctx, secret2, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("token after a password change: %v", err)
	}
}
