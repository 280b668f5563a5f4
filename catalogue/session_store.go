package catalogue

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// sessionTouchEvery is how stale a session's last-seen time may get before
// a request writes it again: one write a minute per browser, not per request.
const sessionTouchEvery = time.Minute

// CreateSession starts a session for a user and returns the token for the
// cookie: 32 random bytes, stored only as a hash.
func (s *Store) CreateSession(ctx context.Context, userID uint, now time.Time) (string, error) {
	now = now.UTC()
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	if err := s.w.WithContext(ctx).Create(&Session{ID: hash, UserID: userID, CreatedAt: now, LastSeenAt: now}).Error; err != nil {
		return "", fmt.Errorf("catalogue: create session: %w", err)
	}
	return token, nil
}

// SessionUser returns the user of a session that is neither idle for longer
// than idle nor older than maxAge; an expired session is deleted. The user
// of a blocked account has no session.
func (s *Store) SessionUser(ctx context.Context, token string, now time.Time, idle, maxAge time.Duration) (*User, error) {
	now = now.UTC()
	if token == "" {
		return nil, ErrNotFound
	}
	var sess Session
	if err := s.r.WithContext(ctx).Where("id = ?", hashToken(token)).Take(&sess).Error; err != nil {
		return nil, fmt.Errorf("catalogue: session: %w", notFound(err))
	}
	if now.Sub(sess.LastSeenAt) > idle || now.Sub(sess.CreatedAt) > maxAge {
		_ = s.EndSession(ctx, token)
		return nil, fmt.Errorf("catalogue: session expired: %w", ErrNotFound)
	}
	u, err := s.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if u.Blocked() {
		return nil, fmt.Errorf("catalogue: session: %w", ErrBlocked)
	}
	if now.Sub(sess.LastSeenAt) > sessionTouchEvery {
		s.w.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now)
	}
	return u, nil
}

// EndSession signs a browser out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	if err := s.w.WithContext(ctx).Where("id = ?", hashToken(token)).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("catalogue: end session: %w", err)
	}
	return nil
}

// Secret returns a named random 32-byte key, created on first use and kept
// in the database, so signed links and form tokens survive restarts.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	var st Setting
	err := s.r.WithContext(ctx).Where("name = ?", "secret."+name).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		st = Setting{Name: "secret." + name, Value: fmt.Sprintf("%x", key)}
		err = s.w.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&st).Error
		if err == nil {
			err = s.w.WithContext(ctx).Where("name = ?", st.Name).Take(&st).Error
		}
	}
	if err != nil {
		return nil, fmt.Errorf("catalogue: secret %s: %w", name, err)
	}
	var key []byte
	if _, err := fmt.Sscanf(st.Value, "%x", &key); err != nil {
		return nil, fmt.Errorf("catalogue: secret %s: %w", name, err)
	}
	return key, nil
}
