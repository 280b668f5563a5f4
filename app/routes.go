package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// routes lists every route of the site.
func (s *server) routes(app *fiber.App) {
	app.Use(recover.New())
	app.Use(s.logRequests)
	app.Use(s.securityHeaders)

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/static/*", s.staticAsset)
	app.Get("/", s.negotiateLanguage)
	app.Get("/robots.txt", s.robots)
	app.Get("/sitemap.xml", s.sitemapIndex)
	app.Get("/sitemaps/:page<int>.xml", s.sitemapPage)
	api := app.Group("/api/v1")
	api.Get("/search", s.apiSearch)
	api.Get("/suggest", s.apiSuggest)

	site := app.Group("/:lang", s.withLanguage)
	site.Get("/", s.homeShow)
	site.Get("/search", s.catalogueSearch)
	site.Get("/about", s.pageShow("about"))
	site.Get("/publish", s.pageShow("publish"))
	site.Get("/organisations/:slug", s.organisationShow)
	site.Get("/:kinds", s.catalogueBrowse)
	site.Get("/:kinds/:slug", s.catalogueShow)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
