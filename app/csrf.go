package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

// CSRF protection: a random value in a cookie and, in every form, its HMAC
// under the site's secret key. A request that changes anything must carry a
// token matching its cookie; another site can neither read the cookie nor
// compute the token. Requests a browser marks cross-site are refused
// outright. The key lives in the database, so forms still work after a
// restart (Fiber's csrf middleware keeps its tokens in process memory).

const csrfField = "_csrf"

// csrfToken returns the form token of the request's CSRF cookie, setting a
// new cookie when there is none.
func (s *server) csrfToken(c *fiber.Ctx) string {
	raw := c.Cookies(s.cookieName("csrf"))
	if len(raw) < 32 {
		if cached, ok := c.Locals("csrf.raw").(string); ok {
			raw = cached
		} else {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			raw = base64.RawURLEncoding.EncodeToString(b)
			c.Locals("csrf.raw", raw)
			s.setCookie(c, "csrf", raw, 0)
		}
	}
	return s.csrfMAC(raw)
}

func (s *server) csrfMAC(raw string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(raw))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses state-changing requests without a valid token.
func (s *server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return fiber.ErrForbidden
	}
	if s.apiWithoutSession(c) {
		return c.Next() // an API call with no session cookie: see apiWithoutSession
	}
	raw := c.Cookies(s.cookieName("csrf"))
	token := c.FormValue(csrfField)
	if token == "" {
		token = c.Get("X-CSRF-Token")
	}
	if raw == "" || token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.csrfMAC(raw))) != 1 {
		return fiber.ErrForbidden
	}
	return c.Next()
}
