package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// accountSignIn shows and handles the sign-in form.
func (s *server) accountSignIn(c *fiber.Ctx) error {
	loc := s.locale(c)
	f := s.newForm(c)
	next := c.Query("next")
	if c.Method() == fiber.MethodPost {
		next = f.Get("next")
		u, err := s.accounts.Authenticate(c.UserContext(), f.Trimmed("email"), f.Get("password"))
		if f.honeypot() {
			u, err = nil, catalogue.ErrBadCredentials // a bot: the usual answer, no session
		}
		switch {
		case err == nil:
			if err := s.signIn(c, u); err != nil {
				return err
			}
			if err := s.mergeAnonProgress(c, u); err != nil {
				return err
			}
			return c.Redirect(safeNext(next, "/"+loc.Lang+"/account"), fiber.StatusSeeOther)
		case errors.Is(err, catalogue.ErrBadCredentials):
			f.Errors[""] = loc.Tr("account.signin.wrong")
		case errors.Is(err, catalogue.ErrUnconfirmed):
			f.Errors[""] = loc.Tr("account.signin.unconfirmed")
			f.Values.Set("unconfirmed", "yes")
		case errors.Is(err, catalogue.ErrBlocked):
			f.Errors[""] = loc.Tr("account.signin.blocked")
		default:
			return err
		}
	}
	f.Values.Set("next", safeNext(next, ""))
	status := fiber.StatusOK
	if f.Invalid() {
		status = fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "signin", s.newPage(c, loc.Tr("account.signin.title"), f))
}

// accountSignOut ends the session.
func (s *server) accountSignOut(c *fiber.Ctx) error {
	if token := c.Cookies(s.cookieName("session")); token != "" {
		if err := s.accounts.EndSession(c.UserContext(), token); err != nil {
			return err
		}
	}
	s.setCookie(c, "session", "", -1)
	return c.Redirect("/"+s.locale(c).Lang+"/", fiber.StatusSeeOther)
}
