package app

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// Follows is what the web layer needs for follows and the mail outbox.
type Follows interface {
	Follow(ctx context.Context, userID uint, target catalogue.FollowTarget, value string) (*catalogue.Follow, error)
	Unfollow(ctx context.Context, userID, followID uint) error
	Follows(ctx context.Context, userID uint) ([]catalogue.Follow, error)
	FollowByID(ctx context.Context, id uint) (*catalogue.Follow, error)
	IsFollowing(ctx context.Context, userID uint, target catalogue.FollowTarget, value string) (bool, error)
	Mails(ctx context.Context, f catalogue.MailFilter, limit int) ([]catalogue.Mail, error)
	CountMails(ctx context.Context) (pending, failed, sent int64, err error)
}

var _ Follows = (*catalogue.Store)(nil)

// followButton is what the follow partial needs.
type followButton struct {
	Target    catalogue.FollowTarget
	Value     string
	Following bool
	SignedIn  bool
}

// followState tells whether the signed-in user follows a target.
func (s *server) followState(c *fiber.Ctx, target catalogue.FollowTarget, value string) (followButton, error) {
	b := followButton{Target: target, Value: value}
	u := s.user(c)
	if u == nil {
		return b, nil
	}
	b.SignedIn = true
	following, err := s.follows.IsFollowing(c.UserContext(), u.ID, target, value)
	b.Following = following
	return b, err
}

// followSave follows or unfollows a target, then goes back where the
// user was.
func (s *server) followSave(c *fiber.Ctx) error {
	u := s.user(c)
	loc := s.locale(c)
	target := catalogue.FollowTarget(c.FormValue("target"))
	value := c.FormValue("value")
	back := safeNext(c.FormValue("next"), "/"+loc.Lang+"/account")
	if c.FormValue("action") == "unfollow" {
		follows, err := s.follows.Follows(c.UserContext(), u.ID)
		if err != nil {
			return err
		}
		for _, f := range follows {
			if f.Target == target && (f.Value == value || c.FormValue("id") == strconv.FormatUint(uint64(f.ID), 10)) {
				if err := s.follows.Unfollow(c.UserContext(), u.ID, f.ID); err != nil {
					return err
				}
			}
		}
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	_, err := s.follows.Follow(c.UserContext(), u.ID, target, value)
	switch {
	case err == nil:
		return c.Redirect(back, fiber.StatusSeeOther)
	case errors.Is(err, catalogue.ErrInvalid):
		return fiber.ErrBadRequest
	}
	return err
}

// unsubscribeView is the page of an unsubscribe link.
type unsubscribeView struct {
	Follow *catalogue.Follow
	Done   bool
	Label  string
}

// unsubscribe ends a follow from the signed link of a mail, without
// signing in: GET asks to confirm (mail scanners open links), POST does it,
// including the one-click POST of RFC 8058 that mail programs send.
func (s *server) unsubscribe(c *fiber.Ctx) error {
	if loc := s.i18n.Locale(c.Query("lang")); loc != nil {
		c.Locals(localeKey, loc)
	}
	c.Locals(outsidePrefixKey, true)
	loc := s.locale(c)
	id := c.Params("id")
	if !validFollowSignature(s.unsubscribeKey, id, c.Params("sig")) {
		return fiber.ErrNotFound
	}
	fid, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	f, err := s.follows.FollowByID(c.UserContext(), uint(fid))
	if errors.Is(err, catalogue.ErrNotFound) {
		return s.showNotice(c, fiber.StatusOK, notice{Heading: loc.Tr("unsubscribe.done.title"), Text: loc.Tr("unsubscribe.done.text")})
	}
	if err != nil {
		return err
	}
	if c.Method() == fiber.MethodPost {
		if err := s.follows.Unfollow(c.UserContext(), f.UserID, f.ID); err != nil {
			return err
		}
		return s.showNotice(c, fiber.StatusOK, notice{Heading: loc.Tr("unsubscribe.done.title"), Text: loc.Tr("unsubscribe.done.text")})
	}
	v := unsubscribeView{Follow: f, Label: followLabel(loc, f)}
	return s.render(c, fiber.StatusOK, "unsubscribe", s.newPage(c, loc.Tr("unsubscribe.title"), v))
}
