package app

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/app/i18n"
	"interophub/catalogue"
)

//go:embed templates
var templateFiles embed.FS

// views are the page templates, each parsed once with the layout and the
// partials.
type views struct {
	pages map[string]*template.Template
}

func loadViews(as *assets) (*views, error) {
	funcs := template.FuncMap{
		"asset": as.url,
		"date": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.Format("2006-01-02")
			case *time.Time:
				if v != nil {
					return v.Format("2006-01-02")
				}
			}
			return ""
		},
		"endonym": i18n.Endonym,
		"concat":  func(parts ...string) string { return strings.Join(parts, "") },
		"int":     func(n int64) int { return int(n) },
		"inc":     func(n int) int { return n + 1 },
		"dec":     func(n int) int { return n - 1 },
		// trusted marks HTML the catalogue rendered and sanitised at save time.
		"trusted": func(s string) template.HTML { return template.HTML(s) },
		"dict": func(pairs ...any) (map[string]any, error) {
			if len(pairs)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(pairs)/2)
			for i := 0; i < len(pairs); i += 2 {
				m[fmt.Sprint(pairs[i])] = pairs[i+1]
			}
			return m, nil
		},
	}
	layout, err := template.New("layout").Funcs(funcs).ParseFS(templateFiles, "templates/layouts/*.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("app: parse templates: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/views/*.html")
	if err != nil {
		return nil, fmt.Errorf("app: parse templates: %w", err)
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, name := range names {
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return nil, fmt.Errorf("app: parse %s: %w", name, err)
		}
		v.pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return v, nil
}

// localeKey is where withLanguage stores the request's *i18n.Locale.
const localeKey = "locale"

// outsidePrefixKey marks a page served outside the language prefix, whose
// language comes from ?lang= (see page.LangParam).
const outsidePrefixKey = "outside-prefix"

// page is what every template receives: the layout's needs plus Data, the
// view's own model.
type page struct {
	L           *i18n.Locale
	Title       string
	Description string
	// Path is the page's address without the language prefix
	// ("/solutions/x-road"); RawQuery its query string, kept when the
	// language is switched.
	Path      string
	RawQuery  string
	BaseURL   string
	Languages []string
	Nav       string // the main navigation item to mark as current
	Data      any
	// LangParam is set for pages outside the language prefix
	// (/certificates/{id}): their language is chosen with ?lang=.
	LangParam bool
	// User is the signed-in user, nil when signed out.
	User *catalogue.User
	// Feed is the address of the Atom feed that follows this page, if any.
	Feed string
	// Refresh, when above 0, reloads the page every so many seconds (a
	// long job's progress, without JavaScript).
	Refresh int
	csrf    func() string
}

// CSRF is the token every form posts in its _csrf field.
func (p *page) CSRF() string { return p.csrf() }

// LangURL is this page's address in another language.
func (p *page) LangURL(lang string) string {
	if p.LangParam {
		return p.Path + "?lang=" + lang
	}
	u := "/" + lang + p.Path
	if p.RawQuery != "" {
		u += "?" + p.RawQuery
	}
	return u
}

// AbsURL is this page's absolute address in a language, for hreflang and
// canonical links.
func (p *page) AbsURL(lang string) string { return p.BaseURL + p.LangURL(lang) }

// Href prefixes a site path with the page's language.
func (p *page) Href(sitePath string) string { return "/" + p.L.Lang + sitePath }

// locale returns the request's locale (English outside a language prefix).
func (s *server) locale(c *fiber.Ctx) *i18n.Locale {
	if loc, ok := c.Locals(localeKey).(*i18n.Locale); ok {
		return loc
	}
	return s.i18n.Locale(i18n.Fallback)
}

// newPage fills the layout's fields for the current request.
func (s *server) newPage(c *fiber.Ctx, title string, data any) *page {
	loc := s.locale(c)
	sitePath := c.Path()
	if c.Locals(outsidePrefixKey) == nil {
		sitePath = strings.TrimPrefix(sitePath, "/"+loc.Lang)
	}
	if sitePath == "" {
		sitePath = "/"
	}
	return &page{
		LangParam: c.Locals(outsidePrefixKey) != nil,
		L:         loc, Title: title, Path: sitePath, RawQuery: string(c.Request().URI().QueryString()),
		BaseURL: s.baseURL, Languages: i18n.Languages, Data: data,
		Description: loc.Tr("site.tagline"), User: s.user(c),
		csrf: func() string { return s.csrfToken(c) },
	}
}

// render executes a view into the response with the given status.
func (s *server) render(c *fiber.Ctx, status int, view string, p *page) error {
	t, ok := s.views.pages[view]
	if !ok {
		return fmt.Errorf("app: no view %q", view)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", p); err != nil {
		return fmt.Errorf("app: render %s: %w", view, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// queryValues returns every value of a repeated query parameter.
func queryValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Context().QueryArgs().PeekMulti(name) {
		if s := strings.TrimSpace(string(v)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// withQuery returns sitePath with the given query values.
func withQuery(sitePath string, v url.Values) string {
	if len(v) == 0 {
		return sitePath
	}
	return sitePath + "?" + v.Encode()
}
