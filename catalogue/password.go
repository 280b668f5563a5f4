package catalogue

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/trustelem/zxcvbn/frequency"
)

// PasswordParams is the argon2id cost: 46 MiB, one pass, one lane, the
// OWASP recommendation for argon2id. With at most MaxHashing hashes at once
// the site never uses more than ~92 MiB for them.
var PasswordParams = &argon2id.Params{Memory: 46 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// MaxHashing is how many password hashes are computed at once; more
// requests wait their turn (or give up with their context).
const MaxHashing = 2

// Password length limits, in characters.
const (
	PasswordMinLen = 8
	PasswordMaxLen = 128
)

// hasher computes argon2id hashes, at most MaxHashing at a time.
type hasher struct {
	slots chan struct{}
	// dummy is a hash of nothing, compared against when an account does not
	// exist, so a sign-in takes as long either way.
	dummyOnce sync.Once
	dummy     string
}

func newHasher() *hasher { return &hasher{slots: make(chan struct{}, MaxHashing)} }

func (h *hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *hasher) release() { <-h.slots }

// hash returns the PHC string of password.
func (h *hasher) hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return argon2id.CreateHash(password, PasswordParams)
}

// verify reports whether password matches the PHC string; an empty hash
// is compared against a dummy so the time taken does not tell.
func (h *hasher) verify(ctx context.Context, password, hash string) (bool, error) {
	if hash == "" {
		h.dummyOnce.Do(func() { h.dummy, _ = argon2id.CreateHash("no such account", PasswordParams) })
		hash = h.dummy
		password += "\x00" // never matches
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return false, fmt.Errorf("catalogue: verify password: %w", err)
	}
	return ok, nil
}

// commonPasswords is the set of the 30,000 most common passwords of the
// zxcvbn project's leaked-password frequency list, bundled with the binary.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	set := make(map[string]struct{}, len(list))
	for _, p := range list {
		set[p] = struct{}{}
	}
	return set
})

// CommonPasswordCount is how many passwords the bundled list refuses.
func CommonPasswordCount() int { return len(commonPasswords()) }

// CheckPassword returns the problem code of a password that may not be
// used ("too_short", "too_long", "common", "like_email"), or "".
func CheckPassword(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLen:
		return "too_short"
	case n > PasswordMaxLen:
		return "too_long"
	}
	lower := strings.ToLower(password)
	if _, ok := commonPasswords()[lower]; ok {
		return "common"
	}
	if local, _, _ := strings.Cut(strings.ToLower(email), "@"); local != "" && strings.Contains(lower, local) && len(local) >= 4 {
		return "like_email"
	}
	return ""
}
