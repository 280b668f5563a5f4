package app

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// APITokens keeps the personal tokens of the JSON API. The account store
// provides it (New takes it from Deps.Accounts).
type APITokens interface {
	CreateToken(ctx context.Context, userID uint, name string, scope catalogue.TokenScope, now time.Time) (*catalogue.APIToken, string, error)
	Tokens(ctx context.Context, userID uint) ([]catalogue.APIToken, error)
	RevokeToken(ctx context.Context, userID, id uint, now time.Time) error
	UserByToken(ctx context.Context, secret string, now time.Time) (*catalogue.User, *catalogue.APIToken, error)
}

var _ APITokens = (*catalogue.Store)(nil)

// tokens is the token store: the account store, which keeps them.
func (s *server) tokens() (APITokens, error) {
	t, ok := s.accounts.(APITokens)
	if !ok {
		return nil, errors.New("app: the account store keeps no API tokens")
	}
	return t, nil
}

// tokensView is the model of the API tokens page.
type tokensView struct {
	Form    *form
	Tokens  []catalogue.APIToken
	Scopes  []catalogue.TokenScope
	Max     int
	Live    int
	Secret  string // the new token's secret, shown once
	Created *catalogue.APIToken
	Revoked bool
}

// accountTokens lists the signed-in user's API tokens and creates new ones.
// A new token's secret is shown on the answer to the form and never again.
func (s *server) accountTokens(c *fiber.Ctx) error {
	tokens, err := s.tokens()
	if err != nil {
		return err
	}
	loc, u := s.locale(c), s.user(c)
	v := tokensView{Form: s.newForm(c), Scopes: catalogue.TokenScopes, Max: catalogue.MaxAPITokens, Revoked: c.Query("revoked") != ""}
	status := fiber.StatusOK
	if c.Method() == fiber.MethodPost {
		f := v.Form
		tok, secret, err := tokens.CreateToken(c.UserContext(), u.ID, f.Trimmed("name"), catalogue.TokenScope(f.Get("scope")), s.now())
		switch {
		case err == nil:
			v.Secret, v.Created = secret, tok
			f.Values = nil
		case errors.Is(err, catalogue.ErrTooManyTokens):
			f.Errors["name"] = loc.Tr("api.tokens.too_many", "Max", catalogue.MaxAPITokens)
		case !f.addValidation(loc, err, nil):
			return err
		}
		if f.Invalid() {
			status = fiber.StatusUnprocessableEntity
		}
	}
	if v.Form.Get("scope") == "" {
		if v.Form.Values == nil {
			v.Form.Values = map[string][]string{}
		}
		v.Form.Values.Set("scope", string(catalogue.ScopeRead))
	}
	if v.Tokens, err = tokens.Tokens(c.UserContext(), u.ID); err != nil {
		return err
	}
	for _, t := range v.Tokens {
		if !t.Revoked() {
			v.Live++
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, status, "api_tokens", s.newPage(c, loc.Tr("api.tokens.title"), v))
}

// accountTokenRevoke revokes one of the signed-in user's tokens.
func (s *server) accountTokenRevoke(c *fiber.Ctx) error {
	tokens, err := s.tokens()
	if err != nil {
		return err
	}
	id, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := tokens.RevokeToken(c.UserContext(), s.user(c).ID, uint(id), s.now()); err != nil {
		return err
	}
	return c.Redirect("/"+s.locale(c).Lang+"/account/tokens?revoked=1", fiber.StatusSeeOther)
}
