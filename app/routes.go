package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/gofiber/fiber/v2/middleware/recover"
	"interophub/catalogue"
)

// routes lists every route of the site.
func (s *server) routes(app *fiber.App) {
	app.Use(recover.New())
	app.Use(s.logRequests)
	app.Use(s.securityHeaders)
	app.Use(apiPrefix, s.apiGuard) // JSON errors and CORS for the whole API
	app.Use(s.limitBody)
	app.Use(s.loadUser)
	// Unsubscribe links are authorised by their signature, not a session:
	// mail programs post to them without cookies (RFC 8058), so they come
	// before the CSRF check.
	app.All("/unsubscribe/:id<int>/:sig", s.unsubscribe)
	app.Use(s.checkCSRF)

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/static/*", s.staticAsset)
	app.Get("/", s.negotiateLanguage)
	app.Get("/robots.txt", s.robots)
	app.Get("/certificates/:id", s.certificateShow)
	app.Get("/sitemap.xml", s.sitemapIndex)
	app.Get("/sitemaps/:page<int>.xml", s.sitemapPage)
	app.Get("/attachments/:name", s.attachmentShow)
	app.Get("/catalogue.:ext", s.catalogueRDF)
	for _, kind := range catalogue.Kinds {
		app.Get("/"+kind.Plural()+"/:slug", s.entryURI(kind))
	}
	api := app.Group("/api/v1")
	api.Get("/search", s.apiSearch)
	api.Get("/suggest", s.apiSuggest)
	api.Get("/openapi.json", s.apiOpenAPI)
	api.Get("/entries", s.apiEntries)
	api.Get("/entries/:slug", s.apiEntry)
	api.Get("/organisations", s.apiOrganisations)
	api.Get("/organisations/:slug", s.apiOrganisation)
	api.Get("/vocabularies", s.apiVocabularies)
	api.Get("/vocabularies/:scheme", s.apiVocabulary)
	apiWriter := []fiber.Handler{s.apiBearer(catalogue.ScopeWrite), s.apiWriteLimit()}
	api.Post("/entries", append(apiWriter, s.apiEntryCreate)...)
	api.Put("/entries/:slug", append(apiWriter, s.apiEntryEdit)...)
	api.Post("/entries/:slug/state", append(apiWriter, s.apiEntryTransition)...)
	api.Use(s.apiNoRoute)

	site := app.Group("/:lang", s.withLanguage)
	site.Get("/", s.homeShow)
	site.Get("/search", s.catalogueSearch)
	site.Get("/feed.atom", s.latestFeed)
	site.Get("/search.atom", s.searchFeed)
	site.Get("/about", s.pageShow("about"))
	site.Get("/publish", s.pageShow("publish"))
	site.Get("/organisations/:slug", s.organisationShow)

	site.All("/account/register", append(s.signInLimits("register"), s.accountRegister)...)
	site.All("/account/confirm", append(s.signInLimits("confirm"), s.accountConfirm)...)
	site.Post("/account/confirm/resend", append(s.signInLimits("resend"), s.accountResend)...)
	site.All("/signin", append(s.signInLimits("signin"), s.accountSignIn)...)
	site.Post("/signout", s.accountSignOut)
	site.All("/account/reset", append(s.signInLimits("reset"), s.accountResetRequest)...)
	site.All("/account/reset/new", append(s.signInLimits("newpassword"), s.accountReset)...)
	member := []fiber.Handler{s.requireRole(catalogue.RoleLearner), s.postLimit()}
	site.All("/account", append(member, s.accountProfile)...)
	site.Post("/account/password", append(member, s.accountPassword)...)
	site.All("/account/tokens", append(member, s.accountTokens)...)
	site.Post("/account/tokens/:id<int>/revoke", append(member, s.accountTokenRevoke)...)
	site.Post("/follow", append(member, s.followSave)...)
	contributor := []fiber.Handler{s.requireRole(catalogue.RoleContributor), s.postLimit()}
	site.Get("/contribute", append(contributor, s.contributeList)...)
	site.All("/contribute/new", append(contributor, s.contributeNew)...)
	site.Get("/contribute/:slug", append(contributor, s.contributeShow)...)
	site.All("/contribute/:slug/edit", append(contributor, s.contributeEdit)...)
	site.Get("/contribute/:slug/preview", append(contributor, s.contributePreview)...)
	site.Post("/contribute/:slug/state", append(contributor, s.contributeTransition)...)
	site.Get("/contribute/:slug/history", append(contributor, s.contributeHistory)...)
	site.Post("/contribute/:slug/restore", append(contributor, s.contributeRestore)...)
	site.Post("/contribute/:slug/attachments", append(contributor, s.attachmentUpload)...)
	site.Post("/contribute/:slug/attachments/:id<int>/delete", append(contributor, s.attachmentDelete)...)
	moderator := []fiber.Handler{s.requireRole(catalogue.RoleModerator), s.postLimit()}
	site.Get("/moderation", append(moderator, s.moderationQueue)...)
	site.Get("/moderation/misses", append(moderator, s.moderationMisses)...)
	site.All("/moderation/revisions/:id<int>", append(moderator, s.moderationRevision)...)
	site.Post("/contribute/:slug/detach", append(moderator, s.contributeDetach)...)
	admin := site.Group("/admin", s.requireRole(catalogue.RoleAdmin), s.postLimit())
	admin.Get("/users", s.adminUsers)
	admin.All("/users/:id<int>", s.adminUser)
	admin.Get("/mail", s.adminMail)
	admin.All("/harvest", s.adminHarvest)
	admin.All("/harvest/:id<int>", s.adminHarvestSource)
	admin.Get("/harvest/runs/:id<int>", s.adminHarvestRun)

	site.Post("/courses/:slug/enrol", append(member, s.courseEnrol)...)
	site.Get("/courses/:slug/:lesson", s.courseLesson)
	site.Post("/courses/:slug/:lesson", s.courseLesson)
	site.Post("/courses/:slug/:lesson/done", s.courseLessonDone)
	site.Get("/learning", append(member, s.learningShow)...)
	site.Get("/solutions/:slug/publiccode.yml", s.solutionPubliccode)
	site.Get("/:kinds", s.catalogueBrowse)
	site.Get("/:kinds/:slug", s.catalogueShow)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
