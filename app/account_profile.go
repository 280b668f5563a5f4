package app

import (
	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// profileView is the account page's model.
type profileView struct {
	User     *catalogue.User
	Profile  *form
	Password *form
	Saved    string
	Digests  []catalogue.Digest
	Follows  []followRow
}

// followRow is a follow as the account page lists it.
type followRow struct {
	Follow catalogue.Follow
	Label  string
}

// accountProfile shows the signed-in user's account and saves their name,
// mail language and digest frequency.
func (s *server) accountProfile(c *fiber.Ctx) error {
	loc := s.locale(c)
	u := s.user(c)
	v := profileView{User: u, Profile: s.newForm(c), Password: s.newForm(c), Digests: catalogue.Digests}
	v.Password.Values = nil
	if c.Method() == fiber.MethodPost {
		p := catalogue.Profile{Name: v.Profile.Trimmed("name"), Lang: v.Profile.Get("lang"), Digest: catalogue.Digest(v.Profile.Get("digest"))}
		err := s.accounts.UpdateProfile(c.UserContext(), u.ID, p)
		switch {
		case err == nil:
			return c.Redirect("/"+loc.Lang+"/account?saved=profile", fiber.StatusSeeOther)
		case !v.Profile.addValidation(loc, err, nil):
			return err
		}
	} else {
		v.Profile.Values.Set("name", u.Name)
		v.Profile.Values.Set("lang", u.Lang)
		v.Profile.Values.Set("digest", string(u.Digest))
		v.Saved = c.Query("saved")
	}
	return s.renderProfile(c, v)
}

// accountPassword changes the signed-in user's password.
func (s *server) accountPassword(c *fiber.Ctx) error {
	loc := s.locale(c)
	u := s.user(c)
	v := profileView{User: u, Profile: s.newForm(c), Password: s.newForm(c), Digests: catalogue.Digests}
	v.Profile.Values = map[string][]string{"name": {u.Name}, "lang": {u.Lang}, "digest": {string(u.Digest)}}
	f := v.Password
	if f.Get("password") != f.Get("password2") {
		f.fail(loc, "password2", "mismatch")
		return s.renderProfile(c, v)
	}
	err := s.accounts.ChangePassword(c.UserContext(), u.ID, f.Get("current"), f.Get("password"), c.Cookies(s.cookieName("session")))
	switch {
	case err == nil:
		return c.Redirect("/"+loc.Lang+"/account?saved=password", fiber.StatusSeeOther)
	case !f.addValidation(loc, err, nil):
		return err
	}
	return s.renderProfile(c, v)
}

func (s *server) renderProfile(c *fiber.Ctx, v profileView) error {
	follows, err := s.follows.Follows(c.UserContext(), v.User.ID)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	for i := range follows {
		v.Follows = append(v.Follows, followRow{Follow: follows[i], Label: followLabel(loc, &follows[i])})
	}
	status := fiber.StatusOK
	if v.Profile.Invalid() || v.Password.Invalid() {
		status = fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "profile", s.newPage(c, s.locale(c).Tr("account.profile.title"), v))
}
