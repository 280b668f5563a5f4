package catalogue

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Account errors, checked with errors.Is.
var (
	ErrBadCredentials = errors.New("wrong e-mail address or password")
	ErrUnconfirmed    = errors.New("e-mail address not confirmed")
	ErrBlocked        = errors.New("account blocked")
	ErrEmailTaken     = errors.New("e-mail address already registered")
	ErrTokenInvalid   = errors.New("link invalid or expired")
)

// Lifetimes of the links sent by mail.
const (
	ConfirmTokenTTL = 7 * 24 * time.Hour
	ResetTokenTTL   = time.Hour
)

// NewUser is what registration (or the command line) provides.
type NewUser struct {
	Email     string
	Name      string
	Password  string
	Role      Role   // learner when empty
	Lang      string // en when empty
	Confirmed bool   // the command line creates confirmed accounts
}

// NormalizeEmail returns the address in lower case, or false when s is not
// a plain e-mail address.
func NormalizeEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return "", false
	}
	return strings.ToLower(s), true
}

// validate checks a new account and hashes its password.
func (s *Store) newUserRow(ctx context.Context, in NewUser, now time.Time) (*User, error) {
	now = now.UTC()
	var problems []FieldError
	email, ok := NormalizeEmail(in.Email)
	if !ok {
		problems = append(problems, FieldError{"email", "format"})
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		problems = append(problems, FieldError{"name", "required"})
	case utf8.RuneCountInString(name) > 200:
		problems = append(problems, FieldError{"name", "too_long"})
	}
	if p := CheckPassword(in.Password, email); p != "" {
		problems = append(problems, FieldError{"password", p})
	}
	if in.Role == "" {
		in.Role = RoleLearner
	}
	if !in.Role.Valid() {
		problems = append(problems, FieldError{"role", "unknown"})
	}
	if in.Lang == "" {
		in.Lang = "en"
	}
	if !IsLanguage(in.Lang) {
		problems = append(problems, FieldError{"lang", "unknown"})
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Fields: problems}
	}
	hash, err := s.hasher.hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	u := &User{Email: email, Name: name, PasswordHash: hash, Role: in.Role, Lang: in.Lang, Digest: DigestImmediate, CreatedAt: now, UpdatedAt: now}
	if in.Confirmed {
		u.ConfirmedAt = &now
	}
	return u, nil
}

// CreateUser creates an account directly (the command line's user add).
func (s *Store) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	u, err := s.newUserRow(ctx, in, time.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("catalogue: create user: %w", err)
	}
	if err := s.w.WithContext(ctx).Create(u).Error; err != nil {
		if s.emailTaken(ctx, u.Email) {
			return nil, fmt.Errorf("catalogue: create user: %w", ErrEmailTaken)
		}
		return nil, fmt.Errorf("catalogue: create user: %w", err)
	}
	return u, nil
}

func (s *Store) emailTaken(ctx context.Context, email string) bool {
	var n int64
	s.w.WithContext(ctx).Model(&User{}).Where("email = ?", email).Count(&n)
	return n > 0
}

// Register creates a learner's account and queues the mail with its
// confirmation link, in one transaction. When the address is already
// registered it returns ErrEmailTaken and queues a mail telling that
// account's owner, so the page a visitor sees does not reveal who has an
// account.
func (s *Store) Register(ctx context.Context, in NewUser, now time.Time) (*User, error) {
	now = now.UTC()
	in.Role, in.Confirmed = RoleLearner, false
	u, err := s.newUserRow(ctx, in, now)
	if err != nil {
		return nil, fmt.Errorf("catalogue: register: %w", err)
	}
	taken := false
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing User
		err := tx.Select("id").Where("email = ?", u.Email).Take(&existing).Error
		if err == nil {
			// The mail to the owner is committed; the caller learns the
			// address was taken only after.
			taken = true
			recent, err := mailedSince(tx, existing.ID, "exists", now.Add(-AccountMailEvery))
			if err != nil || recent {
				return err
			}
			return queueAccountMail(tx, existing.ID, "exists", nil, now)
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		return issueMailedToken(tx, u.ID, TokenConfirm, ConfirmTokenTTL, now)
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: register: %w", err)
	}
	s.notifyQueued()
	if taken {
		return nil, fmt.Errorf("catalogue: register: %w", ErrEmailTaken)
	}
	return u, nil
}

// ResendConfirmation queues a new confirmation link for an unconfirmed
// account; it does nothing (and says nothing) for other addresses.
func (s *Store) ResendConfirmation(ctx context.Context, email string, now time.Time) error {
	now = now.UTC()
	return s.mailTokenTo(ctx, email, TokenConfirm, ConfirmTokenTTL, now, func(u *User) bool { return !u.Confirmed() })
}

// RequestPasswordReset queues a reset link for the account with this
// address, if there is one that is not blocked.
func (s *Store) RequestPasswordReset(ctx context.Context, email string, now time.Time) error {
	now = now.UTC()
	return s.mailTokenTo(ctx, email, TokenReset, ResetTokenTTL, now, func(u *User) bool { return !u.Blocked() })
}

func (s *Store) mailTokenTo(ctx context.Context, email string, purpose TokenPurpose, ttl time.Duration, now time.Time, want func(*User) bool) error {
	now = now.UTC()
	email, ok := NormalizeEmail(email)
	if !ok {
		return nil
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("email = ?", email).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil
			}
			return err
		}
		if !want(&u) {
			return nil
		}
		if recent, err := mailedSince(tx, u.ID, string(purpose), now.Add(-AccountMailEvery)); err != nil || recent {
			return err
		}
		return issueMailedToken(tx, u.ID, purpose, ttl, now)
	})
	if err != nil {
		return fmt.Errorf("catalogue: mail %s link: %w", purpose, err)
	}
	s.notifyQueued()
	return nil
}

// issueMailedToken stores a one-time token and queues the mail carrying it.
func issueMailedToken(tx *gorm.DB, userID uint, purpose TokenPurpose, ttl time.Duration, now time.Time) error {
	token, hash, err := newToken()
	if err != nil {
		return err
	}
	if err := tx.Create(&UserToken{Hash: hash, UserID: userID, Purpose: purpose, ExpiresAt: now.Add(ttl), CreatedAt: now}).Error; err != nil {
		return err
	}
	return queueAccountMail(tx, userID, string(purpose), map[string]string{"token": token}, now)
}

// AccountMailEvery is how often one account may be sent the same kind of
// account mail (a reset link, a new confirmation link, "someone tried to
// register with your address"): others asking more often get the usual
// answer, and the account's owner is not flooded.
const AccountMailEvery = 15 * time.Minute

// mailedSince reports whether an account mail of kind was queued for the
// user after since.
func mailedSince(tx *gorm.DB, userID uint, kind string, since time.Time) (bool, error) {
	var n int64
	err := tx.Model(&Notification{}).Where("user_id = ? AND kind = ? AND created_at > ?", userID, kind, since.UTC()).Count(&n).Error
	return n > 0, err
}

// queueAccountMail queues an account mail for immediate delivery.
func queueAccountMail(tx *gorm.DB, userID uint, kind string, payload map[string]string, now time.Time) error {
	now = now.UTC()
	data, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	if len(data) > 4000 {
		return &ValidationError{Fields: []FieldError{{"payload", "too_long"}}}
	}
	return queueNotification(tx, Notification{UserID: userID, Kind: kind, Payload: string(data), Due: now, CreatedAt: now})
}

// newToken returns 32 random bytes as a URL-safe token and the hex SHA-256
// under which it is stored.
func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// consumeToken deletes a valid token of the purpose and returns its user.
func consumeToken(tx *gorm.DB, purpose TokenPurpose, token string, now time.Time) (uint, error) {
	var t UserToken
	err := tx.Where("hash = ? AND purpose = ?", hashToken(token), purpose).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, ErrTokenInvalid
	}
	if err != nil {
		return 0, err
	}
	if err := tx.Delete(&t).Error; err != nil {
		return 0, err
	}
	if now.After(t.ExpiresAt) {
		return 0, ErrTokenInvalid
	}
	return t.UserID, nil
}

// ConfirmEmail marks the account of a confirmation link as confirmed.
func (s *Store) ConfirmEmail(ctx context.Context, token string, now time.Time) (*User, error) {
	now = now.UTC()
	var u User
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		id, err := consumeToken(tx, TokenConfirm, token, now)
		if err != nil {
			return err
		}
		if err := tx.Take(&u, id).Error; err != nil {
			return err
		}
		if u.ConfirmedAt == nil {
			u.ConfirmedAt = &now
			return tx.Model(&u).Update("confirmed_at", now).Error
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: confirm e-mail: %w", err)
	}
	return &u, nil
}

// CheckResetToken reports whether a reset link is still valid, without
// using it up.
func (s *Store) CheckResetToken(ctx context.Context, token string, now time.Time) error {
	now = now.UTC()
	var n int64
	err := s.r.WithContext(ctx).Model(&UserToken{}).
		Where("hash = ? AND purpose = ? AND expires_at > ?", hashToken(token), TokenReset, now).Count(&n).Error
	if err != nil {
		return fmt.Errorf("catalogue: check reset link: %w", err)
	}
	if n == 0 {
		return ErrTokenInvalid
	}
	return nil
}

// ResetPassword sets a new password from a reset link, confirms the address
// (the link proved it) and signs every browser out.
func (s *Store) ResetPassword(ctx context.Context, token, password string, now time.Time) error {
	now = now.UTC()
	if err := s.CheckResetToken(ctx, token, now); err != nil {
		return err
	}
	var u User
	var tok UserToken
	if err := s.r.WithContext(ctx).Where("hash = ?", hashToken(token)).Take(&tok).Error; err != nil {
		return fmt.Errorf("catalogue: reset password: %w", ErrTokenInvalid)
	}
	if err := s.r.WithContext(ctx).Take(&u, tok.UserID).Error; err != nil {
		return fmt.Errorf("catalogue: reset password: %w", notFound(err))
	}
	if p := CheckPassword(password, u.Email); p != "" {
		return &ValidationError{Fields: []FieldError{{"password", p}}}
	}
	hash, err := s.hasher.hash(ctx, password)
	if err != nil {
		return err
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := consumeToken(tx, TokenReset, token, now); err != nil {
			return err
		}
		if err := tx.Where("user_id = ? AND purpose = ?", u.ID, TokenReset).Delete(&UserToken{}).Error; err != nil {
			return err
		}
		updates := map[string]any{"password_hash": hash, "updated_at": now}
		if u.ConfirmedAt == nil {
			updates["confirmed_at"] = now
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(updates).Error; err != nil {
			return err
		}
		if err := revokeTokens(tx, u.ID, now); err != nil {
			return err
		}
		return tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error
	})
	if err != nil {
		return fmt.Errorf("catalogue: reset password: %w", err)
	}
	return nil
}

// Authenticate checks an e-mail address and password. It takes as long for
// an unknown address as for a wrong password.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	var u User
	addr, _ := NormalizeEmail(email)
	err := s.r.WithContext(ctx).Where("email = ?", addr).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("catalogue: authenticate: %w", err)
	}
	ok, verr := s.hasher.verify(ctx, password, u.PasswordHash)
	switch {
	case verr != nil:
		return nil, verr
	case !ok || u.ID == 0:
		return nil, ErrBadCredentials
	case u.Blocked():
		return nil, ErrBlocked
	case !u.Confirmed():
		return nil, ErrUnconfirmed
	}
	return &u, nil
}

// ChangePassword replaces a signed-in user's password after checking the
// current one; other sessions are signed out.
func (s *Store) ChangePassword(ctx context.Context, userID uint, current, next, keepSession string) error {
	var u User
	if err := s.r.WithContext(ctx).Take(&u, userID).Error; err != nil {
		return fmt.Errorf("catalogue: change password: %w", notFound(err))
	}
	ok, err := s.hasher.verify(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return &ValidationError{Fields: []FieldError{{"current", "wrong"}}}
	}
	if p := CheckPassword(next, u.Email); p != "" {
		return &ValidationError{Fields: []FieldError{{"password", p}}}
	}
	hash, err := s.hasher.hash(ctx, next)
	if err != nil {
		return err
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		if err := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := revokeTokens(tx, userID, now); err != nil {
			return err
		}
		return tx.Where("user_id = ? AND id <> ?", userID, hashToken(keepSession)).Delete(&Session{}).Error
	})
}

// UserByID loads an account with its organisations.
func (s *Store) UserByID(ctx context.Context, id uint) (*User, error) {
	var u User
	if err := s.r.WithContext(ctx).Preload("Organisations").Take(&u, id).Error; err != nil {
		return nil, fmt.Errorf("catalogue: user %d: %w", id, notFound(err))
	}
	return &u, nil
}

// UserByEmail loads an account by its address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	addr, _ := NormalizeEmail(email)
	var u User
	if err := s.r.WithContext(ctx).Preload("Organisations").Where("email = ?", addr).Take(&u).Error; err != nil {
		return nil, fmt.Errorf("catalogue: user %q: %w", email, notFound(err))
	}
	return &u, nil
}

// Profile is what users change about themselves.
type Profile struct {
	Name   string
	Lang   string
	Digest Digest
}

// UpdateProfile saves a user's name, mail language and digest frequency.
func (s *Store) UpdateProfile(ctx context.Context, userID uint, p Profile) error {
	var problems []FieldError
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		problems = append(problems, FieldError{"name", "required"})
	case utf8.RuneCountInString(p.Name) > 200:
		problems = append(problems, FieldError{"name", "too_long"})
	}
	if !IsLanguage(p.Lang) {
		problems = append(problems, FieldError{"lang", "unknown"})
	}
	if !containsString([]string{string(DigestImmediate), string(DigestDaily), string(DigestWeekly)}, string(p.Digest)) {
		problems = append(problems, FieldError{"digest", "unknown"})
	}
	if len(problems) > 0 {
		return &ValidationError{Fields: problems}
	}
	err := s.w.WithContext(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"name": p.Name, "lang": p.Lang, "digest": p.Digest, "updated_at": time.Now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("catalogue: update profile: %w", err)
	}
	return nil
}
