package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// logRequests writes one log line per request: method, path, status, duration.
func (s *server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler has not run yet; it sets the status from err.
		status = statusOf(err)
	}
	s.log.Info("request",
		"method", c.Method(),
		"path", c.Path(),
		"status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
	)
	return err
}

// contentSecurityPolicy allows only the site's own assets: no inline script
// or style, no framing, forms posting only to the site.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (s *server) securityHeaders(c *fiber.Ctx) error {
	h := func(k, v string) { c.Set(k, v) }
	h("Content-Security-Policy", contentSecurityPolicy)
	h("X-Content-Type-Options", "nosniff")
	h("X-Frame-Options", "DENY")
	h("Referrer-Policy", "strict-origin-when-cross-origin")
	h("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	h("Cross-Origin-Opener-Policy", "same-origin")
	if strings.HasPrefix(s.baseURL, "https://") {
		h("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}

// withLanguage checks the language prefix of the path and stores the
// request's locale; an unknown prefix is a 404.
func (s *server) withLanguage(c *fiber.Ctx) error {
	loc := s.i18n.Locale(c.Params("lang"))
	if loc == nil {
		return fiber.ErrNotFound
	}
	c.Locals(localeKey, loc)
	c.Set(fiber.HeaderContentLanguage, loc.Lang)
	return c.Next()
}

// negotiateLanguage sends "/" to the home page in the browser's language.
func (s *server) negotiateLanguage(c *fiber.Ctx) error {
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptLanguage)
	return c.Redirect("/"+s.i18n.Negotiate(c.Get(fiber.HeaderAcceptLanguage))+"/", fiber.StatusSeeOther)
}
