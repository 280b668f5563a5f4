package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// statusOf maps an error to the HTTP status it should produce.
func statusOf(err error) int {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		return fe.Code
	case errors.Is(err, catalogue.ErrNotFound):
		return fiber.StatusNotFound
	default:
		return fiber.StatusInternalServerError
	}
}

type errorView struct {
	Status  int
	Heading string
	Text    string
}

// handleError renders every error as a page in the user's language. Server
// errors are logged with their cause; users never see it.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	if isAPIPath(c.Path()) {
		return s.apiError(c, err) // the API answers in JSON, even before its routes run
	}
	status := statusOf(err)
	if status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	}
	if c.Locals(localeKey) == nil {
		// Outside the language prefix (or an unknown one): guess the language.
		lang := strings.SplitN(strings.TrimPrefix(c.Path(), "/"), "/", 2)[0]
		loc := s.i18n.Locale(lang)
		if loc == nil {
			loc = s.i18n.Locale(s.i18n.Negotiate(c.Get(fiber.HeaderAcceptLanguage)))
		}
		c.Locals(localeKey, loc)
	}
	loc := s.locale(c)
	key := "error.other"
	switch status {
	case 400, 403, 404, 413, 429, 500:
		key = "error." + strconv.Itoa(status)
	}
	p := s.newPage(c, loc.Tr(key+".title"), errorView{Status: status, Heading: loc.Tr(key + ".title"), Text: loc.Tr(key + ".text")})
	if rerr := s.render(c, status, "error", p); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		return c.Status(status).SendString(loc.Tr(key + ".title"))
	}
	return nil
}
