package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"interophub/catalogue"
)

// Limits are the rate limits of the site's writes, per minute.
type Limits struct {
	// SignIn caps sign-in, registration and password-reset attempts, per
	// client address and, separately, per e-mail address typed.
	SignIn int
	// Posts caps the forms a signed-in account sends (contributions,
	// moderation, uploads, follows).
	Posts int
}

// DefaultLimits: the sixth sign-in attempt in a minute is refused.
var DefaultLimits = Limits{SignIn: 5, Posts: 30}

// limit builds a sliding-window limiter of max requests a minute per key;
// an empty key is not limited. The refusal is a 429 page in the user's
// language with Retry-After.
func (s *server) limit(max int, key func(c *fiber.Ctx) string) fiber.Handler {
	return limiter.New(limiter.Config{
		Max:               max,
		Expiration:        time.Minute,
		LimiterMiddleware: limiter.SlidingWindow{},
		Next:              func(c *fiber.Ctx) bool { return c.Method() != fiber.MethodPost || key(c) == "" },
		KeyGenerator:      key,
		LimitReached:      func(c *fiber.Ctx) error { return fiber.ErrTooManyRequests },
	})
}

// signInLimits limit one public account form (each call makes its own
// buckets, so trying one form does not lock another): per client address,
// and per e-mail address typed. On sign-in only failed tries count against
// an account, so that someone else's wrong guesses cost its owner at most a
// minute.
func (s *server) signInLimits(form string) []fiber.Handler {
	perEmail := s.limit(s.limits.SignIn, func(c *fiber.Ctx) string {
		if email := strings.ToLower(strings.TrimSpace(c.FormValue("email"))); email != "" {
			return form + ":email:" + email
		}
		return ""
	})
	if form == "signin" {
		perEmail = limiter.New(limiter.Config{
			Max: s.limits.SignIn, Expiration: time.Minute, LimiterMiddleware: limiter.SlidingWindow{},
			SkipSuccessfulRequests: true,
			Next: func(c *fiber.Ctx) bool {
				return c.Method() != fiber.MethodPost || strings.TrimSpace(c.FormValue("email")) == ""
			},
			KeyGenerator: func(c *fiber.Ctx) string {
				return "signin:email:" + strings.ToLower(strings.TrimSpace(c.FormValue("email")))
			},
			LimitReached: func(c *fiber.Ctx) error { return fiber.ErrTooManyRequests },
		})
	}
	return []fiber.Handler{
		s.limit(s.limits.SignIn, func(c *fiber.Ctx) string { return form + ":ip:" + c.IP() }),
		perEmail,
	}
}

// postLimit limits the signed-in account's posts.
func (s *server) postLimit() fiber.Handler {
	return s.limit(s.limits.Posts, func(c *fiber.Ctx) string {
		if u, ok := c.Locals(userKey).(*catalogue.User); ok {
			return "user:" + u.Email
		}
		return ""
	})
}
