// Package app is the hub's web layer: the Fiber application, its routes,
// handlers and templates. It reads the catalogue through the small
// interfaces declared here.
package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/adms"
	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/content"
)

// Catalogue is what the web layer reads from the catalogue store.
type Catalogue interface {
	EntryBySlug(ctx context.Context, kind catalogue.Kind, slug string) (*catalogue.Entry, error)
	ListEntries(ctx context.Context, q catalogue.ListQuery) (*catalogue.ListPage, error)
	CountByKind(ctx context.Context) (map[catalogue.Kind]int64, error)
	FilterOptions(ctx context.Context, kinds ...catalogue.Kind) (map[string][]catalogue.FilterValue, error)
	OrganisationBySlug(ctx context.Context, slug string) (*catalogue.Organisation, error)
	ReusedBy(ctx context.Context, orgID uint, lang string) ([]catalogue.ReuseOf, error)
	EntriesByIDs(ctx context.Context, ids []uint, lang string) ([]*catalogue.Entry, error)
	KnownValue(ctx context.Context, name, value string) (bool, error)
	OrganisationNames(ctx context.Context, slugs []string) (map[string]string, error)
	RecordSearchMiss(ctx context.Context, query, lang string, at time.Time) error
	EntryLocators(ctx context.Context, offset, limit int) ([]catalogue.Locator, error)
	AllPublicEntries(ctx context.Context) ([]*catalogue.Entry, error)
	PublicVersion(ctx context.Context) (string, error)
	OrganisationLocators(ctx context.Context) ([]catalogue.Locator, error)
	Ping(ctx context.Context) error
}

var _ Catalogue = (*catalogue.Store)(nil)

// Deps is everything New needs.
type Deps struct {
	Catalogue Catalogue
	// Search is the full-text index (package search).
	Search Searcher
	// Accounts keeps users and sessions.
	Accounts Accounts
	// Follows keeps follows and shows the mail outbox.
	Follows Follows
	// Workflow keeps contributions, revisions and moderation.
	Workflow Workflow
	// Attachments keeps the files uploaded with entries.
	Attachments Attachments
	// Harvests keeps harvest sources, their runs and where harvested
	// entries come from; nil: the Accounts store when it keeps them too.
	Harvests Harvests
	// Harvester runs a harvest when an admin asks; nil: no "run now".
	Harvester HarvestRunner
	// Markdown renders (and sanitises) user Markdown for previews; nil
	// means the program's one configuration (content.NewMarkdown).
	Markdown func(string) (string, error)
	// Learning keeps enrolments, progress and certificates; nil: the
	// Accounts store when it keeps them too.
	Learning Learning
	// Courses are the courses' lessons; nil: course entries have no
	// lessons.
	Courses *content.Courses
	// Translations are the UI strings; nil loads them (main shares one
	// catalog between the site and the mail composer).
	Translations *i18n.Catalog
	// TrustedProxies are the addresses (or CIDR ranges) of reverse proxies
	// whose X-Forwarded-For header gives the client's address, which rate
	// limits count by. Empty: the connection's address.
	TrustedProxies []string
	// Limits are the rate limits; zero values take DefaultLimits.
	Limits Limits
	Logger *slog.Logger
	// BaseURL is the public address of the site, used for absolute links
	// (hreflang, canonical). An https:// base URL turns on HSTS.
	BaseURL string
	// ContactEmail is the editorial team's address shown on the About and
	// publishing pages; empty hides the contact section.
	ContactEmail string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// BodyLimit is the largest request body the site accepts, except on the
// upload route (see limitBody).
const BodyLimit = 1 << 20

// uploadBodyLimit is the server's limit: an attachment and room for the
// multipart envelope and the form's other fields.
const uploadBodyLimit = catalogue.MaxAttachment + 1<<20

// server carries the handlers' shared dependencies.
type server struct {
	cat            Catalogue
	search         Searcher
	accounts       Accounts
	workflow       Workflow
	follows        Follows
	courses        *content.Courses
	learning       Learning
	attachments    Attachments
	harvests       Harvests
	harvester      HarvestRunner
	rdf            *adms.Exporter
	exports        exportCache
	unsubscribeKey []byte
	markdown       func(string) (string, error)
	limits         Limits
	csrfKey        []byte
	log            *slog.Logger
	i18n           *i18n.Catalog
	views          *views
	assets         *assets
	baseURL        string
	contact        string
	now            func() time.Time
}

// New builds the web application. Templates, locales and assets are loaded
// and checked here, once.
func New(deps Deps) (*fiber.App, error) {
	if deps.Catalogue == nil {
		return nil, errors.New("app: a catalogue is required")
	}
	if deps.Search == nil {
		return nil, errors.New("app: a search index is required")
	}
	if deps.Accounts == nil {
		return nil, errors.New("app: an account store is required")
	}
	if deps.Workflow == nil {
		return nil, errors.New("app: a workflow store is required")
	}
	if deps.Learning == nil {
		l, ok := deps.Accounts.(Learning)
		if !ok {
			return nil, errors.New("app: a learning store is required")
		}
		deps.Learning = l
	}
	if deps.Follows == nil {
		return nil, errors.New("app: a follow store is required")
	}
	if deps.Harvests == nil {
		h, ok := deps.Accounts.(Harvests)
		if !ok {
			return nil, errors.New("app: a harvest store is required")
		}
		deps.Harvests = h
	}
	if deps.Attachments == nil {
		return nil, errors.New("app: an attachment store is required")
	}
	if deps.Markdown == nil {
		deps.Markdown = content.NewMarkdown().Render
	}
	if deps.Limits.SignIn <= 0 {
		deps.Limits.SignIn = DefaultLimits.SignIn
	}
	if deps.Limits.Posts <= 0 {
		deps.Limits.Posts = DefaultLimits.Posts
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	tr := deps.Translations
	if tr == nil {
		var err error
		if tr, err = i18n.New(); err != nil {
			return nil, err
		}
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	vs, err := loadViews(as)
	if err != nil {
		return nil, err
	}
	csrfKey, err := deps.Accounts.Secret(context.Background(), "csrf")
	if err != nil {
		return nil, err
	}
	unsubscribeKey, err := deps.Accounts.Secret(context.Background(), "unsubscribe")
	if err != nil {
		return nil, err
	}
	s := &server{
		follows: deps.Follows, unsubscribeKey: unsubscribeKey, courses: deps.Courses, learning: deps.Learning, attachments: deps.Attachments,
		cat: deps.Catalogue, search: deps.Search, accounts: deps.Accounts, workflow: deps.Workflow, markdown: deps.Markdown, limits: deps.Limits, csrfKey: csrfKey,
		log: deps.Logger, i18n: tr, views: vs, assets: as,
		baseURL: strings.TrimRight(deps.BaseURL, "/"), contact: deps.ContactEmail, now: deps.Now,
	}
	if s.baseURL == "" {
		s.baseURL = "http://localhost:8080"
	}
	s.harvests, s.harvester = deps.Harvests, deps.Harvester
	if s.rdf, err = adms.NewExporter(s.baseURL); err != nil {
		return nil, err
	}
	cfg := fiber.Config{
		AppName:               "Interop Hub",
		BodyLimit:             uploadBodyLimit,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
	}
	if len(deps.TrustedProxies) > 0 {
		// Behind a reverse proxy (which terminates HTTPS), the client's
		// address comes from X-Forwarded-For, believed only from these.
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = deps.TrustedProxies
	}
	app := fiber.New(cfg)
	app.Server().HeaderReceived = attachmentTimeouts
	s.routes(app)
	return app, nil
}
