package catalogue

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// TokenScope is what a personal API token may do.
type TokenScope string

// Token scopes: read tokens read what everybody may read; write tokens
// also create and edit entries as their owner would through the forms.
const (
	ScopeRead  TokenScope = "read"
	ScopeWrite TokenScope = "write"
)

// TokenScopes lists the scopes in the order a form offers them.
var TokenScopes = []TokenScope{ScopeRead, ScopeWrite}

// Valid reports whether sc is a known scope.
func (sc TokenScope) Valid() bool { return sc == ScopeRead || sc == ScopeWrite }

// Allows reports whether a token of scope sc may be used where need is required.
func (sc TokenScope) Allows(need TokenScope) bool {
	return sc == need || (sc == ScopeWrite && need == ScopeRead)
}

// API token limits.
const (
	MaxAPITokens     = 20  // live (unrevoked) tokens per user
	MaxTokenName     = 100 // characters
	APITokenPrefix   = "ih_"
	tokenTouchEvery  = time.Minute
	apiTokenHintSize = len(APITokenPrefix) + 4
)

// ErrTooManyTokens is returned (wrapped) when a user already has
// MaxAPITokens live tokens.
var ErrTooManyTokens = errors.New("too many API tokens")

// APIToken is a personal token for the JSON API. Only the SHA-256 of the
// secret is kept; Hint is its first characters, to tell tokens apart.
type APIToken struct {
	ID         uint       `gorm:"primaryKey"`
	UserID     uint       `gorm:"not null;index"`
	Name       string     `gorm:"size:100;not null"`
	Scope      TokenScope `gorm:"size:8;not null"`
	Hash       string     `gorm:"size:64;not null;uniqueIndex"`
	Hint       string     `gorm:"size:16;not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Revoked reports whether the token was revoked.
func (t *APIToken) Revoked() bool { return t.RevokedAt != nil }

// CreateToken issues a new token for the user and returns it with its
// secret ("ih_" and 32 random bytes, base64url), which is never stored and
// cannot be shown again.
func (s *Store) CreateToken(ctx context.Context, userID uint, name string, scope TokenScope, now time.Time) (*APIToken, string, error) {
	name = strings.TrimSpace(name)
	var problems []FieldError
	switch {
	case name == "":
		problems = append(problems, FieldError{"name", "required"})
	case utf8.RuneCountInString(name) > MaxTokenName:
		problems = append(problems, FieldError{"name", "too_long"})
	}
	if !scope.Valid() {
		problems = append(problems, FieldError{"scope", "unknown"})
	}
	if len(problems) > 0 {
		return nil, "", fmt.Errorf("catalogue: create token: %w", &ValidationError{Fields: problems})
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, "", err
	}
	secret := APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := &APIToken{UserID: userID, Name: name, Scope: scope, Hash: hashToken(secret), Hint: secret[:apiTokenHintSize], CreatedAt: now.UTC()}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var live int64
		if err := tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Count(&live).Error; err != nil {
			return err
		}
		if live >= MaxAPITokens {
			return ErrTooManyTokens
		}
		return tx.Create(t).Error
	})
	if err != nil {
		return nil, "", fmt.Errorf("catalogue: create token: %w", err)
	}
	return t, secret, nil
}

// Tokens lists the user's tokens, the newest first, revoked ones included.
func (s *Store) Tokens(ctx context.Context, userID uint) ([]APIToken, error) {
	var out []APIToken
	if err := s.r.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: tokens: %w", err)
	}
	return out, nil
}

// RevokeToken revokes one of the user's tokens; ErrNotFound when the user
// has no live token with that id.
func (s *Store) RevokeToken(ctx context.Context, userID, id uint, now time.Time) error {
	res := s.w.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).
		Update("revoked_at", now.UTC())
	if res.Error != nil {
		return fmt.Errorf("catalogue: revoke token %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("catalogue: revoke token %d: %w", id, ErrNotFound)
	}
	return nil
}

// UserByToken returns the user of a live token, with the token. A revoked
// or unknown token is ErrNotFound, a blocked user's ErrBlocked. The token's
// last use is written at most once a minute.
func (s *Store) UserByToken(ctx context.Context, secret string, now time.Time) (*User, *APIToken, error) {
	now = now.UTC()
	if !strings.HasPrefix(secret, APITokenPrefix) {
		return nil, nil, fmt.Errorf("catalogue: token: %w", ErrNotFound)
	}
	var t APIToken
	if err := s.r.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hashToken(secret)).Take(&t).Error; err != nil {
		return nil, nil, fmt.Errorf("catalogue: token: %w", notFound(err))
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Blocked() {
		return nil, nil, fmt.Errorf("catalogue: token: %w", ErrBlocked)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouchEvery {
		err := s.w.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error
		if err != nil {
			return nil, nil, fmt.Errorf("catalogue: token: %w", err)
		}
		t.LastUsedAt = &now
	}
	return u, &t, nil
}

// revokeTokens revokes every live API token of a user: a new password
// (after a reset above all) must lock out whoever had the old one, tokens
// they made included.
func revokeTokens(tx *gorm.DB, userID uint, now time.Time) error {
	return tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error
}
