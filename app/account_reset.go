package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// accountResetRequest asks for an address and mails it a reset link; the
// answer is the same whether or not the address has an account.
func (s *server) accountResetRequest(c *fiber.Ctx) error {
	loc := s.locale(c)
	f := s.newForm(c)
	if c.Method() == fiber.MethodPost {
		if !f.honeypot() {
			if err := s.accounts.RequestPasswordReset(c.UserContext(), f.Trimmed("email"), s.now()); err != nil {
				return err
			}
		}
		return s.showNotice(c, fiber.StatusOK, notice{Heading: loc.Tr("account.reset.sent.title"), Text: loc.Tr("account.reset.sent.text")})
	}
	return s.render(c, fiber.StatusOK, "reset_request", s.newPage(c, loc.Tr("account.reset.title"), f))
}

// accountReset sets a new password from a mailed link.
func (s *server) accountReset(c *fiber.Ctx) error {
	loc := s.locale(c)
	f := s.newForm(c)
	token := c.Query("token")
	if c.Method() == fiber.MethodPost {
		token = f.Get("token")
	}
	invalid := func() error {
		return s.showNotice(c, fiber.StatusBadRequest, notice{
			Heading: loc.Tr("account.link.invalid.title"), Text: loc.Tr("account.reset.invalid.text"),
			Link: "/" + loc.Lang + "/account/reset", LinkText: loc.Tr("account.reset.title"),
		})
	}
	if err := s.accounts.CheckResetToken(c.UserContext(), token, s.now()); err != nil {
		if errors.Is(err, catalogue.ErrTokenInvalid) {
			return invalid()
		}
		return err
	}
	f.Values.Set("token", token)
	if c.Method() == fiber.MethodPost {
		if f.Get("password") != f.Get("password2") {
			f.fail(loc, "password2", "mismatch")
		} else {
			err := s.accounts.ResetPassword(c.UserContext(), token, f.Get("password"), s.now())
			switch {
			case err == nil:
				return s.showNotice(c, fiber.StatusOK, notice{
					Heading: loc.Tr("account.reset.done.title"), Text: loc.Tr("account.reset.done.text"),
					Link: "/" + loc.Lang + "/signin", LinkText: loc.Tr("account.signin.title"),
				})
			case errors.Is(err, catalogue.ErrTokenInvalid):
				return invalid()
			case !f.addValidation(loc, err, nil):
				return err
			}
		}
	}
	status := fiber.StatusOK
	if f.Invalid() {
		status = fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "reset", s.newPage(c, loc.Tr("account.reset.new.title"), f))
}
