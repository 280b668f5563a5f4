package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// adminUsersView is the account list of the admin pages.
type adminUsersView struct {
	Query string
	Users []catalogue.User
	Total int64
}

// adminUsers lists accounts, newest first, filtered by name or address.
func (s *server) adminUsers(c *fiber.Ctx) error {
	q := c.Query("q")
	users, total, err := s.accounts.Users(c.UserContext(), q, 200, 0)
	if err != nil {
		return err
	}
	p := s.newPage(c, s.locale(c).Tr("admin.users.title"), adminUsersView{Query: q, Users: users, Total: total})
	return s.render(c, fiber.StatusOK, "admin_users", p)
}

// adminUserView is one account's access form.
type adminUserView struct {
	Account       *catalogue.User
	Form          *form
	Roles         []catalogue.Role
	Organisations []catalogue.Organisation
	Saved         bool
}

// adminUser shows and saves an account's role, organisations and block.
func (s *server) adminUser(c *fiber.Ctx) error {
	loc := s.locale(c)
	id, _ := strconv.Atoi(c.Params("id"))
	account, err := s.accounts.UserByID(c.UserContext(), uint(id))
	if err != nil {
		return err
	}
	orgs, err := s.accounts.Organisations(c.UserContext())
	if err != nil {
		return err
	}
	v := adminUserView{Account: account, Form: s.newForm(c), Roles: catalogue.Roles, Organisations: orgs, Saved: c.Query("saved") != ""}
	f := v.Form
	if c.Method() == fiber.MethodPost {
		me := s.user(c)
		blocked := f.Get("blocked") == "yes"
		role := catalogue.Role(f.Get("role"))
		if account.ID == me.ID && (blocked || role != catalogue.RoleAdmin) {
			f.Errors[""] = loc.Tr("admin.user.self")
		} else {
			err := s.accounts.UpdateAccess(c.UserContext(), account.ID, role, f.Values["org"], blocked, s.now())
			if err == nil && f.Get("confirm") == "yes" {
				err = s.accounts.ConfirmUser(c.UserContext(), account.ID, s.now())
			}
			switch {
			case err == nil:
				return c.Redirect("/"+loc.Lang+"/admin/users/"+strconv.Itoa(id)+"?saved=1", fiber.StatusSeeOther)
			case !f.addValidation(loc, err, map[string]string{"organisations": "org"}):
				return err
			}
		}
	} else {
		f.Values.Set("role", string(account.Role))
		for _, o := range account.Organisations {
			f.Values.Add("org", o.Slug)
		}
		if account.Blocked() {
			f.Values.Set("blocked", "yes")
		}
	}
	status := fiber.StatusOK
	if f.Invalid() {
		status = fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "admin_user", s.newPage(c, account.Name, v))
}
