package app

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// Accounts is what the web layer needs for accounts and sessions.
type Accounts interface {
	Register(ctx context.Context, in catalogue.NewUser, now time.Time) (*catalogue.User, error)
	ConfirmEmail(ctx context.Context, token string, now time.Time) (*catalogue.User, error)
	ResendConfirmation(ctx context.Context, email string, now time.Time) error
	RequestPasswordReset(ctx context.Context, email string, now time.Time) error
	CheckResetToken(ctx context.Context, token string, now time.Time) error
	ResetPassword(ctx context.Context, token, password string, now time.Time) error
	Authenticate(ctx context.Context, email, password string) (*catalogue.User, error)
	ChangePassword(ctx context.Context, userID uint, current, next, keepSession string) error
	UpdateProfile(ctx context.Context, userID uint, p catalogue.Profile) error
	CreateSession(ctx context.Context, userID uint, now time.Time) (string, error)
	SessionUser(ctx context.Context, token string, now time.Time, idle, maxAge time.Duration) (*catalogue.User, error)
	EndSession(ctx context.Context, token string) error
	Secret(ctx context.Context, name string) ([]byte, error)
	UserByID(ctx context.Context, id uint) (*catalogue.User, error)
	Users(ctx context.Context, q string, limit, offset int) ([]catalogue.User, int64, error)
	UpdateAccess(ctx context.Context, userID uint, role catalogue.Role, orgSlugs []string, blocked bool, now time.Time) error
	ConfirmUser(ctx context.Context, userID uint, now time.Time) error
	Organisations(ctx context.Context) ([]catalogue.Organisation, error)
}

var _ Accounts = (*catalogue.Store)(nil)

// Session lifetimes: a session ends after SessionIdle without a request,
// and SessionMaxAge after sign-in whatever happens.
const (
	SessionIdle   = 8 * time.Hour
	SessionMaxAge = 14 * 24 * time.Hour
)

// userKey is where loadUser stores the signed-in *catalogue.User.
const userKey = "user"

// secure reports whether the site is served over HTTPS, which decides the
// cookies' Secure flag and __Host- prefix.
func (s *server) secure() bool { return strings.HasPrefix(s.baseURL, "https://") }

// cookieName gives a cookie the __Host- prefix over HTTPS: the browser then
// only accepts it Secure, for the whole site, from this host.
func (s *server) cookieName(name string) string {
	if s.secure() {
		return "__Host-" + name
	}
	return name
}

// setCookie sets one of the site's cookies: HttpOnly, SameSite=Lax, Secure
// over HTTPS, for the whole site. maxAge 0 makes a browser-session cookie,
// negative deletes it.
func (s *server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{
		Name: s.cookieName(name), Value: value, Path: "/", HTTPOnly: true, Secure: s.secure(),
		SameSite: fiber.CookieSameSiteLaxMode,
	}
	switch {
	case maxAge < 0:
		ck.Expires, ck.MaxAge = time.Unix(0, 0), -1
	case maxAge > 0:
		ck.MaxAge = int(maxAge.Seconds())
	}
	c.Cookie(ck)
}

// loadUser finds the signed-in user from the session cookie, if any.
func (s *server) loadUser(c *fiber.Ctx) error {
	token := c.Cookies(s.cookieName("session"))
	if token == "" {
		return c.Next()
	}
	u, err := s.accounts.SessionUser(c.UserContext(), token, s.now(), SessionIdle, SessionMaxAge)
	switch {
	case err == nil:
		c.Locals(userKey, u)
	case errors.Is(err, catalogue.ErrNotFound) || errors.Is(err, catalogue.ErrBlocked):
		s.setCookie(c, "session", "", -1)
	default:
		return err
	}
	return c.Next()
}

// user returns the signed-in user, or nil.
func (s *server) user(c *fiber.Ctx) *catalogue.User {
	u, _ := c.Locals(userKey).(*catalogue.User)
	return u
}

// signIn starts a new session (a new id, whatever the browser had) and
// sets its cookie.
func (s *server) signIn(c *fiber.Ctx, u *catalogue.User) error {
	if old := c.Cookies(s.cookieName("session")); old != "" {
		_ = s.accounts.EndSession(c.UserContext(), old)
	}
	token, err := s.accounts.CreateSession(c.UserContext(), u.ID, s.now())
	if err != nil {
		return err
	}
	s.setCookie(c, "session", token, 0)
	c.Locals(userKey, u)
	return nil
}

// requireRole lets signed-in users with at least role through; others are
// sent to sign in (when signed out) or refused (403).
func (s *server) requireRole(role catalogue.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := s.user(c)
		if u == nil {
			next := c.OriginalURL()
			return c.Redirect("/"+s.locale(c).Lang+"/signin?next="+url.QueryEscape(next), fiber.StatusSeeOther)
		}
		if !u.Role.AtLeast(role) {
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}

// safeNext keeps a post-sign-in destination only when it is a path on this
// site: no scheme or host, no backslash, no control character (which would
// split the Location header or let a browser read "/\t/x" as "//x").
func safeNext(next, fallback string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return fallback
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	return next
}
