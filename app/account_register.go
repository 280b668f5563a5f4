package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// accountRegister shows and handles the registration form.
func (s *server) accountRegister(c *fiber.Ctx) error {
	loc := s.locale(c)
	f := s.newForm(c)
	if c.Method() == fiber.MethodPost {
		if f.honeypot() {
			return s.showNotice(c, fiber.StatusOK, s.checkMailNotice(c))
		}
		if f.Get("password") != f.Get("password2") {
			f.fail(loc, "password2", "mismatch")
		}
		if f.Get("accept") != "yes" {
			f.fail(loc, "accept", "required")
		}
		in := catalogue.NewUser{Email: f.Trimmed("email"), Name: f.Trimmed("name"), Password: f.Get("password"), Lang: loc.Lang}
		if !f.Invalid() {
			_, err := s.accounts.Register(c.UserContext(), in, s.now())
			switch {
			case err == nil, errors.Is(err, catalogue.ErrEmailTaken):
				return s.showNotice(c, fiber.StatusOK, s.checkMailNotice(c))
			case !f.addValidation(loc, err, nil):
				return err
			}
		}
	}
	status := fiber.StatusOK
	if f.Invalid() {
		status = fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "register", s.newPage(c, loc.Tr("account.register.title"), f))
}

func (s *server) checkMailNotice(c *fiber.Ctx) notice {
	loc := s.locale(c)
	return notice{Heading: loc.Tr("account.register.sent.title"), Text: loc.Tr("account.register.sent.text")}
}

// accountConfirm confirms an e-mail address from the mailed link. Opening
// the link shows a button; only pressing it confirms, so the mail
// programs that open links to scan them do not use the link up.
func (s *server) accountConfirm(c *fiber.Ctx) error {
	loc := s.locale(c)
	f := s.newForm(c)
	if c.Method() != fiber.MethodPost {
		f.Values.Set("token", c.Query("token"))
		return s.render(c, fiber.StatusOK, "confirm", s.newPage(c, loc.Tr("account.confirm.title"), f))
	}
	_, err := s.accounts.ConfirmEmail(c.UserContext(), f.Get("token"), s.now())
	switch {
	case err == nil:
		return s.showNotice(c, fiber.StatusOK, notice{
			Heading: loc.Tr("account.confirm.done.title"), Text: loc.Tr("account.confirm.done.text"),
			Link: "/" + loc.Lang + "/signin", LinkText: loc.Tr("account.signin.title"),
		})
	case errors.Is(err, catalogue.ErrTokenInvalid):
		return s.showNotice(c, fiber.StatusBadRequest, notice{
			Heading: loc.Tr("account.link.invalid.title"), Text: loc.Tr("account.confirm.invalid.text"),
			Link: "/" + loc.Lang + "/signin", LinkText: loc.Tr("account.signin.title"),
		})
	default:
		return err
	}
}

// accountResend mails a new confirmation link; the answer is the same
// whether or not the address has an unconfirmed account.
func (s *server) accountResend(c *fiber.Ctx) error {
	if err := s.accounts.ResendConfirmation(c.UserContext(), c.FormValue("email"), s.now()); err != nil {
		return err
	}
	return s.showNotice(c, fiber.StatusOK, s.checkMailNotice(c))
}
