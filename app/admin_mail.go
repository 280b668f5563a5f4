package app

import (
	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// adminMailView is the mail outbox as administrators see it.
type adminMailView struct {
	Filter                catalogue.MailFilter
	Mails                 []catalogue.Mail
	Pending, Failed, Sent int64
}

// adminMail shows the mail outbox: what waits (all of it when no mail
// server is configured), what failed and why, what was sent.
func (s *server) adminMail(c *fiber.Ctx) error {
	v := adminMailView{Filter: catalogue.MailFilter(c.Query("show", "pending"))}
	switch v.Filter {
	case "pending", "failed", "sent":
	default:
		return fiber.ErrBadRequest
	}
	var err error
	if v.Pending, v.Failed, v.Sent, err = s.follows.CountMails(c.UserContext()); err != nil {
		return err
	}
	if v.Mails, err = s.follows.Mails(c.UserContext(), v.Filter, 200); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_mail", s.newPage(c, s.locale(c).Tr("admin.mail.title"), v))
}
