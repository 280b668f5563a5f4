package app

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
	"interophub/catalogue"
)

// form is a submitted (or prefilled) form as a view sees it: what the user
// typed, kept whatever happens, and the problems found, translated, per
// field. The empty field name "" holds problems about the whole form.
type form struct {
	Values url.Values
	Errors map[string]string
	CSRF   string
	loc    *i18n.Locale
}

// ErrPrefix is read before each field's problem by screen readers.
func (f *form) ErrPrefix() string { return f.loc.Tr("form.error.prefix") }

// ErrorSummary says how many problems the form has.
func (f *form) ErrorSummary() string { return f.loc.TrN("form.error.summary", len(f.Errors)) }

// newForm reads the posted fields of the request (all values of repeated
// ones) and the CSRF token for re-rendering.
func (s *server) newForm(c *fiber.Ctx) *form {
	f := &form{Values: url.Values{}, Errors: map[string]string{}, CSRF: s.csrfToken(c), loc: s.locale(c)}
	if c.Method() == fiber.MethodPost {
		if mf, err := c.MultipartForm(); err == nil && mf != nil {
			for k, vs := range mf.Value {
				f.Values[k] = append(f.Values[k], vs...)
			}
		} else {
			c.Request().PostArgs().VisitAll(func(k, v []byte) {
				f.Values.Add(string(k), string(v))
			})
		}
	}
	return f
}

// Get is a field's first value.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// Trimmed is a field's first value without surrounding space.
func (f *form) Trimmed(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Has reports whether value is among a field's values (checkboxes).
func (f *form) Has(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Err is the problem found with a field, translated; "" when none.
func (f *form) Err(name string) string { return f.Errors[name] }

// Invalid reports whether any problem was found.
func (f *form) Invalid() bool { return len(f.Errors) > 0 }

// fail records a problem with a field.
func (f *form) fail(loc *i18n.Locale, field, problem string) {
	if _, seen := f.Errors[field]; !seen {
		f.Errors[field] = problemText(loc, problem)
	}
}

// problemText translates a validation problem code.
func problemText(loc *i18n.Locale, problem string) string {
	return loc.Tr("form.problem."+problem, "Min", catalogue.PasswordMinLen, "Max", catalogue.PasswordMaxLen)
}

// addValidation puts a catalogue validation error's problems on the form's
// fields (renamed through fields when the form names them differently) and
// reports whether err was one.
func (f *form) addValidation(loc *i18n.Locale, err error, fields map[string]string) bool {
	var ve *catalogue.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, fe := range ve.Fields {
		name := fe.Field
		if n, ok := fields[name]; ok {
			name = n
		}
		f.fail(loc, name, fe.Problem)
	}
	return true
}

// honeypot reports whether the hidden field that people never see (and
// bots fill in) has a value.
func (f *form) honeypot() bool { return f.Trimmed("website") != "" }

// notice is a short page that tells the user what happened and what next.
type notice struct {
	Heading  string
	Text     string
	Link     string
	LinkText string
}

// showNotice renders a notice page.
func (s *server) showNotice(c *fiber.Ctx, status int, n notice) error {
	return s.render(c, status, "notice", s.newPage(c, n.Heading, n))
}
