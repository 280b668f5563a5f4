package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"interophub/app"
	"interophub/catalogue"
)

// apiClient sends API requests and checks every request and answer
// against the app's own OpenAPI document.
type apiClient struct {
	t     *testing.T
	web   *fiber.App
	check validator.Validator
}

func newAPIClient(t *testing.T, web *fiber.App) *apiClient {
	t.Helper()
	r := get(t, web, "/api/v1/openapi.json")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", r.status, r.header.Get("Content-Type"))
	}
	doc, err := libopenapi.NewDocument([]byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if doc.GetVersion() != "3.1.0" {
		t.Fatalf("OpenAPI version %s", doc.GetVersion())
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, problems := v.ValidateDocument(); !ok {
		for _, p := range problems {
			t.Errorf("openapi.json: %s: %s", p.Message, p.Reason)
		}
		t.FailNow()
	}
	return &apiClient{t: t, web: web, check: v}
}

// do sends a request (body: JSON-encoded unless a string or nil), checks
// request and response against the document when validate is set, and
// returns the answer.
// What do checks against the document.
const (
	checkNone     = iota
	checkResponse // the request is wrong on purpose
	checkBoth
)

func (a *apiClient) do(method, target, token string, body any, validate int, headers ...string) response {
	a.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			a.t.Fatal(err)
		}
	}
	newReq := func() *http.Request {
		var rd io.Reader
		if raw != nil {
			rd = bytes.NewReader(raw)
		}
		req := httptest.NewRequest(method, "http://hub.test"+target, rd)
		if raw != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return req
	}
	res, err := a.web.Test(newReq(), -1)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusNoContent && !strings.HasPrefix(ct, "application/json") {
		a.t.Errorf("%s %s: content type %q", method, target, ct)
	}
	if validate == checkBoth {
		if ok, errs := a.check.ValidateHttpRequest(newReq()); !ok {
			for _, e := range errs {
				a.t.Errorf("%s %s: request does not fit the document: %s: %s", method, target, e.Message, e.Reason)
			}
		}
	}
	if validate >= checkResponse {
		res.Body = io.NopCloser(bytes.NewReader(out))
		if ok, errs := a.check.ValidateHttpResponse(newReq(), res); !ok {
			for _, e := range errs {
				a.t.Errorf("%s %s: %d response does not fit the document: %s: %s %v", method, target, res.StatusCode, e.Message, e.Reason, e.SchemaValidationErrors)
			}
		}
	}
	return response{res.StatusCode, res.Header, string(out)}
}

func decode(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
}

type apiErr struct {
	Error struct {
		Code, Message string
		Fields        []struct{ Field, Code, Message string }
	} `json:"error"`
}

func errorCode(t *testing.T, r response) string {
	t.Helper()
	var e apiErr
	decode(t, r, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("error without code or message: %s", r.body)
	}
	return e.Error.Code
}

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

var tokenPattern = regexp.MustCompile(`value="(ih_[A-Za-z0-9_-]{43})"`)

// createToken creates a token on the account page, as a person does.
func createToken(t *testing.T, b *browser, name, scope string) string {
	t.Helper()
	r := b.submit("/en/account/tokens", "/en/account/tokens", url.Values{"name": {name}, "scope": {scope}})
	if r.status != http.StatusOK {
		t.Fatalf("create token: %d %s", r.status, r.body)
	}
	m := tokenPattern.FindStringSubmatch(r.body)
	if m == nil || !strings.Contains(r.body, "shown only this once") {
		t.Fatalf("no new token shown:\n%s", r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the secret may be cached: %q", r.header.Get("Cache-Control"))
	}
	return m[1]
}

func draftBody(title string) map[string]any {
	return map[string]any{
		"kind": "solution", "owner": "ama", "licence": "EUPL-1.2",
		"vocabularies": map[string][]string{"layer": {"IL4"}},
		"translations": []map[string]string{{"lang": "en", "title": title, "summary": "A summary of " + title + ".", "body": "Some *Markdown*."}},
		"releases":     []map[string]any{{"version": "1.0", "date": "2026-01-15"}},
	}
}

// TestOpenAPIMatchesRoutes walks the real app's routes: every /api/v1
// route is in the document and every operation of the document is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	web, _ := newApp(t)
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	r := get(t, web, "/api/v1/openapi.json")
	decode(t, r, &doc)
	param := regexp.MustCompile(`:([A-Za-z0-9_]+)(<[^>]*>)?\??`)
	routes := map[string]bool{}
	for _, rt := range web.GetRoutes(true) {
		if !strings.HasPrefix(rt.Path, "/api/v1/") || rt.Method == http.MethodHead || rt.Method == http.MethodOptions {
			continue
		}
		key := strings.ToLower(rt.Method) + " " + param.ReplaceAllString(rt.Path, "{$1}")
		routes[key] = true
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[method+" "+path] = true
		}
	}
	for k := range routes {
		if !documented[k] {
			t.Errorf("route %s is not in openapi.json", k)
		}
	}
	for k := range documented {
		if !routes[k] {
			t.Errorf("openapi.json names %s, which is no route", k)
		}
	}
	if len(routes) < 12 {
		t.Errorf("only %d API routes found: %v", len(routes), routes)
	}
}

// TestAPIReadContract checks every read route's answers against the document.
func TestAPIReadContract(t *testing.T) {
	web, _ := newApp(t)
	api := newAPIClient(t, web)

	// Walk every page of the listing.
	seen := map[string]bool{}
	next := "/api/v1/entries?limit=7&lang=de"
	var total int64
	for pages := 0; next != ""; pages++ {
		if pages > 50 {
			t.Fatal("the listing never ends")
		}
		r := api.do("GET", next, "", nil, checkBoth)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", next, r.status, r.body)
		}
		var page struct {
			Total   int64
			Entries []struct{ Slug, Kind, Title string }
			Next    *string
			NextURL *string `json:"next_url"`
		}
		decode(t, r, &page)
		total = page.Total
		for _, e := range page.Entries {
			if seen[e.Slug] {
				t.Errorf("%s listed twice", e.Slug)
			}
			seen[e.Slug] = true
		}
		next = ""
		if page.NextURL != nil {
			link := r.header.Get("Link")
			if !strings.Contains(link, `rel="next"`) || !strings.Contains(link, *page.NextURL) {
				t.Errorf("Link header %q for next %q", link, *page.NextURL)
			}
			next = strings.TrimPrefix(*page.NextURL, "http://hub.test")
		} else if r.header.Get("Link") != "" {
			t.Errorf("last page with a Link header")
		}
	}
	if int64(len(seen)) != total || total == 0 {
		t.Errorf("walked %d entries of %d", len(seen), total)
	}
	r := api.do("GET", "/api/v1/entries?kind=practice", "", nil, checkBoth)
	var practices struct{ Entries []struct{ Kind string } }
	decode(t, r, &practices)
	for _, e := range practices.Entries {
		if e.Kind != "practice" {
			t.Errorf("kind filter let through a %s", e.Kind)
		}
	}

	r = api.do("GET", "/api/v1/entries/x-road?lang=fr", "", nil, checkBoth)
	if r.status != http.StatusOK {
		t.Fatalf("entry: %d %s", r.status, r.body)
	}
	var e struct {
		Slug, Kind   string
		Owner        struct{ Slug, Name string }
		Translations []struct{ Lang, Title string }
		Vocabularies map[string][]struct{ Code, URI, Label string }
		Related      []string
		URLs         struct{ API, Page string }
	}
	decode(t, r, &e)
	if e.Slug != "x-road" || e.Owner.Slug == "" || len(e.Translations) == 0 || len(e.Vocabularies) == 0 ||
		e.URLs.API != "http://hub.test/api/v1/entries/x-road" || e.URLs.Page != "http://hub.test/fr/solutions/x-road" {
		t.Errorf("entry: %s", r.body)
	}
	for scheme, cs := range e.Vocabularies {
		for _, c := range cs {
			if c.Code == "" || c.URI == "" || c.Label == "" {
				t.Errorf("%s concept without code, URI or label: %+v", scheme, c)
			}
		}
	}

	r = api.do("GET", "/api/v1/organisations", "", nil, checkBoth)
	var orgs struct{ Organisations []struct{ Slug string } }
	decode(t, r, &orgs)
	if r.status != http.StatusOK || len(orgs.Organisations) == 0 {
		t.Fatalf("organisations: %d %s", r.status, r.body)
	}
	r = api.do("GET", "/api/v1/organisations/"+e.Owner.Slug, "", nil, checkBoth)
	if r.status != http.StatusOK || !strings.Contains(r.body, `"x-road"`) {
		t.Errorf("organisation %s: %d %s", e.Owner.Slug, r.status, r.body)
	}
	r = api.do("GET", "/api/v1/vocabularies?lang=de", "", nil, checkBoth)
	var vocabs struct {
		Vocabularies []struct {
			Scheme   string
			Concepts []struct{ Code, URI, Label string }
		}
	}
	decode(t, r, &vocabs)
	if len(vocabs.Vocabularies) != 8 {
		t.Errorf("vocabularies: %d", len(vocabs.Vocabularies))
	}
	for _, v := range vocabs.Vocabularies {
		if len(v.Concepts) == 0 {
			t.Errorf("vocabulary %s is empty", v.Scheme)
		}
	}
	r = api.do("GET", "/api/v1/vocabularies/country?lang=de", "", nil, checkBoth)
	mustContain(t, "countries in German", r.body, `"code":"DE"`, `"label":"Deutschland"`)
	api.do("GET", "/api/v1/search?q=x-road", "", nil, checkBoth)
	api.do("GET", "/api/v1/suggest?q=x-r", "", nil, checkBoth)

	for target, code := range map[string]string{
		"/api/v1/entries/no-such-entry":        "not_found",
		"/api/v1/organisations/no-such-org":    "not_found",
		"/api/v1/vocabularies/colours":         "not_found",
		"/api/v1/entries?kind=recipe":          "bad_kind",
		"/api/v1/entries?limit=1000":           "bad_limit",
		"/api/v1/entries?cursor=not-a-cursor!": "bad_cursor",
	} {
		r := api.do("GET", target, "", nil, checkResponse)
		if got := errorCode(t, r); got != code || r.status >= 500 {
			t.Errorf("%s: %d %s, want %s", target, r.status, got, code)
		}
	}
}

// TestAPITokenLifecycle creates a token on the account page, writes with
// it, revokes it and is refused.
func TestAPITokenLifecycle(t *testing.T) {
	web, store := newApp(t)
	api := newAPIClient(t, web)
	addUser(t, store, "ana@hub.test", catalogue.RoleContributor, "ama")
	ana := newBrowser(t, web)
	ana.signIn("ana@hub.test", testPassword)
	mustContain(t, "account page", ana.get("/en/account").body, `href="/en/account/tokens"`)

	token := createToken(t, ana, "Import script", "write")
	r := api.do("POST", "/api/v1/entries", token, draftBody("Token Test Service"), checkBoth)
	if r.status != http.StatusCreated || r.header.Get("Location") != "http://hub.test/api/v1/entries/token-test-service" {
		t.Fatalf("create: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	page := ana.get("/en/account/tokens")
	mustContain(t, "token list", page.body, "Import script", "2026-11-23", "Revoke")
	if strings.Contains(page.body, token) {
		t.Error("the secret is shown again")
	}
	// The drafts the API made are the contributor's, as the form's are.
	mustContain(t, "contribute list", ana.get("/en/contribute").body, "Token Test Service")

	m := regexp.MustCompile(`action="(/en/account/tokens/\d+/revoke)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no revoke form")
	}
	if r := ana.post(m[1], url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	mustContain(t, "after revoking", ana.get("/en/account/tokens?revoked=1").body, "The token is revoked", "Revoked on")
	r = api.do("POST", "/api/v1/entries", token, draftBody("After Revocation"), checkBoth)
	if r.status != http.StatusUnauthorized || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") || errorCode(t, r) != "invalid_token" {
		t.Errorf("revoked token: %d %q %s", r.status, r.header.Get("WWW-Authenticate"), r.body)
	}

	// Without the CSRF token, neither creating nor revoking works.
	if r := ana.post("/en/account/tokens", url.Values{"name": {"x"}, "scope": {"read"}, "_csrf": {"forged"}}); r.status != http.StatusForbidden {
		t.Errorf("token created without CSRF: %d", r.status)
	}
	// A token needs a name.
	r = ana.submit("/en/account/tokens", "/en/account/tokens", url.Values{"name": {"  "}, "scope": {"write"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Fill in this field") {
		t.Errorf("nameless token: %d", r.status)
	}
}

func TestAPITokenLimitAndStore(t *testing.T) {
	ctx := context.Background()
	web, store := newApp(t)
	u := addUser(t, store, "many@hub.test", catalogue.RoleLearner)
	for i := range catalogue.MaxAPITokens {
		if _, _, err := store.CreateToken(ctx, u.ID, "t"+itoa(uint(i)), catalogue.ScopeRead, testNow); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, web)
	b.signIn("many@hub.test", testPassword)
	r := b.submit("/en/account/tokens", "/en/account/tokens", url.Values{"name": {"one more"}, "scope": {"read"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "You already have 20 active tokens") {
		t.Errorf("21st token: %d", r.status)
	}
	// Blocked accounts' tokens stop working.
	_, secret, err := store.CreateToken(ctx, addUser(t, store, "blocked@hub.test", catalogue.RoleContributor, "ama").ID, "x", catalogue.ScopeWrite, testNow)
	if err == nil {
		var blocked *catalogue.User
		blocked, err = store.UserByEmail(ctx, "blocked@hub.test")
		if err == nil {
			err = store.UpdateAccess(ctx, blocked.ID, catalogue.RoleContributor, []string{"ama"}, true, testNow)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, web: web}
	if r := api.do("POST", "/api/v1/entries", secret, draftBody("Blocked"), checkNone); r.status != http.StatusUnauthorized {
		t.Errorf("blocked account's token: %d %s", r.status, r.body)
	}
}

// TestAPIScopes: read tokens cannot write, nor can missing or made-up ones.
func TestAPIScopes(t *testing.T) {
	web, store := newApp(t)
	api := newAPIClient(t, web)
	addUser(t, store, "ana@hub.test", catalogue.RoleContributor, "ama")
	ana := newBrowser(t, web)
	ana.signIn("ana@hub.test", testPassword)
	read := createToken(t, ana, "reader", "read")

	r := api.do("POST", "/api/v1/entries", read, draftBody("Read Only"), checkBoth)
	if r.status != http.StatusForbidden || errorCode(t, r) != "insufficient_scope" || !strings.Contains(r.header.Get("WWW-Authenticate"), "insufficient_scope") {
		t.Errorf("read token wrote: %d %s", r.status, r.body)
	}
	r = api.do("POST", "/api/v1/entries", "", draftBody("Nobody"), checkResponse)
	if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" || errorCode(t, r) != "unauthorized" {
		t.Errorf("no token: %d %s", r.status, r.body)
	}
	r = api.do("PUT", "/api/v1/entries/x-road", "ih_made-up", draftBody("Made up"), checkBoth)
	if r.status != http.StatusUnauthorized || errorCode(t, r) != "invalid_token" {
		t.Errorf("made-up token: %d %s", r.status, r.body)
	}
	// A read token may accompany reads.
	if r := api.do("GET", "/api/v1/entries/x-road", read, nil, checkBoth); r.status != http.StatusOK {
		t.Errorf("read with a read token: %d", r.status)
	}
	// A learner's write token writes nothing: the role decides.
	addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	lea := newBrowser(t, web)
	lea.signIn("lea@hub.test", testPassword)
	write := createToken(t, lea, "writer", "write")
	if r := api.do("POST", "/api/v1/entries", write, draftBody("Learner"), checkBoth); r.status != http.StatusForbidden {
		t.Errorf("learner created an entry: %d %s", r.status, r.body)
	}
}

// TestAPIWorkflow: a contributor creates and proposes through the API; the
// moderator's queue shows it; edits and transitions follow the web's rules.
func TestAPIWorkflow(t *testing.T) {
	web, store := newApp(t)
	api := newAPIClient(t, web)
	addUser(t, store, "ana@hub.test", catalogue.RoleContributor, "ama")
	addUser(t, store, "mod@hub.test", catalogue.RoleModerator)
	ana := newBrowser(t, web)
	ana.signIn("ana@hub.test", testPassword)
	token := createToken(t, ana, "ci", "write")

	// Validation problems come back together, in the asked language, with
	// the form's messages.
	bad := draftBody("")
	bad["translations"] = []map[string]string{{"lang": "en", "title": "", "summary": ""}}
	bad["vocabularies"] = map[string][]string{"theme": {"no-such-theme"}}
	bad["releases"] = []map[string]any{{"version": "1", "date": "15/01/2026"}}
	r := api.do("POST", "/api/v1/entries?lang=fr", token, bad, checkBoth)
	var verr apiErr
	decode(t, r, &verr)
	fields := map[string]string{}
	for _, f := range verr.Error.Fields {
		fields[f.Field] = f.Message
	}
	if r.status != http.StatusUnprocessableEntity || fields["translations.en.summary"] == "" || fields["releases.0.date"] == "" {
		t.Fatalf("invalid create: %d %s", r.status, r.body)
	}
	if !strings.Contains(fields["translations.en.summary"], "champ") {
		t.Errorf("message not in French: %q", fields["translations.en.summary"])
	}
	// Another organisation is not hers.
	other := draftBody("Not Mine")
	other["owner"] = "digst"
	if r := api.do("POST", "/api/v1/entries", token, other, checkBoth); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"owner"`) {
		t.Errorf("owner of another organisation: %d %s", r.status, r.body)
	}

	body := draftBody("Api Proposal Service")
	body["propose"] = true
	r = api.do("POST", "/api/v1/entries", token, body, checkBoth)
	var res struct {
		Slug, State string
		Pending     bool
	}
	decode(t, r, &res)
	if r.status != http.StatusCreated || res.Slug != "api-proposal-service" || res.State != "proposed" {
		t.Fatalf("create and propose: %d %s", r.status, r.body)
	}
	// Not public yet.
	if r := api.do("GET", "/api/v1/entries/api-proposal-service", "", nil, checkBoth); r.status != http.StatusNotFound {
		t.Errorf("a proposal is public: %d", r.status)
	}
	mod := newBrowser(t, web)
	mod.signIn("mod@hub.test", testPassword)
	mustContain(t, "moderation queue", mod.get("/en/moderation").body, "Api Proposal Service")

	// The contributor may not publish.
	r = api.do("POST", "/api/v1/entries/api-proposal-service/state", token, map[string]string{"to": "published"}, checkBoth)
	if r.status != http.StatusForbidden {
		t.Errorf("contributor published: %d %s", r.status, r.body)
	}
	r = api.do("POST", "/api/v1/entries/api-proposal-service/state", token, map[string]string{"to": "nowhere"}, checkResponse)
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown state: %d %s", r.status, r.body)
	}
	// The moderator publishes with the form.
	if err := store.Transition(context.Background(), "api-proposal-service", catalogue.StatePublished, mustUser(t, store, "mod@hub.test"), ""); err != nil {
		t.Fatal(err)
	}
	if r := api.do("GET", "/api/v1/entries/api-proposal-service", "", nil, checkBoth); r.status != http.StatusOK {
		t.Fatalf("published entry: %d", r.status)
	}
	// Her edit of the published entry waits for a moderator; the public
	// text stays.
	edit := draftBody("Api Proposal Service Renamed")
	delete(edit, "kind")
	r = api.do("PUT", "/api/v1/entries/api-proposal-service", token, edit, checkBoth)
	decode(t, r, &res)
	if r.status != http.StatusAccepted || !res.Pending || res.State != "published" {
		t.Fatalf("edit of a published entry: %d %s", r.status, r.body)
	}
	if r := api.do("GET", "/api/v1/entries/api-proposal-service", "", nil, checkBoth); strings.Contains(r.body, "Renamed") {
		t.Error("the pending revision is public")
	}
	mustContain(t, "moderation queue with the revision", mod.get("/en/moderation").body, "/en/moderation/revisions/")
	// Someone else's entry is not hers to edit.
	if r := api.do("PUT", "/api/v1/entries/x-road", token, edit, checkBoth); r.status != http.StatusForbidden {
		t.Errorf("edit of another organisation's entry: %d %s", r.status, r.body)
	}
	if r := api.do("PUT", "/api/v1/entries/no-such-entry", token, edit, checkBoth); r.status != http.StatusNotFound {
		t.Errorf("edit of a missing entry: %d %s", r.status, r.body)
	}
	// A draft's edit applies at once.
	r = api.do("POST", "/api/v1/entries", token, draftBody("Api Draft"), checkBoth)
	if r.status != http.StatusCreated {
		t.Fatalf("draft: %d %s", r.status, r.body)
	}
	r = api.do("PUT", "/api/v1/entries/api-draft", token, draftBody("Api Draft Two"), checkBoth)
	decode(t, r, &res)
	if r.status != http.StatusOK || res.Pending || res.State != "draft" {
		t.Errorf("draft edit: %d %s", r.status, r.body)
	}
	e, err := store.EntryForEdit(context.Background(), "api-draft")
	if err != nil || e.TitleIn("en") != "Api Draft Two" {
		t.Errorf("draft after edit: %v %+v", err, e)
	}
}

// TestAPICSRF: a bearer token without a session cookie needs no CSRF
// token, but a cookie-authenticated cross-site write is still refused.
func TestAPICSRF(t *testing.T) {
	web, store := newApp(t)
	addUser(t, store, "ana@hub.test", catalogue.RoleContributor, "ama")
	ana := newBrowser(t, web)
	ana.signIn("ana@hub.test", testPassword)
	token := createToken(t, ana, "ci", "write")

	post := func(withToken bool, title string, headers ...string) response {
		raw, _ := json.Marshal(draftBody(title))
		req := httptest.NewRequest("POST", "/api/v1/entries", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		if withToken {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return ana.do(req) // with the browser's session and CSRF cookies
	}
	for name, r := range map[string]response{
		"cookie, cross-site":    post(false, "Cross Site", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.test"),
		"cookie, no CSRF token": post(false, "No Token"),
	} {
		if r.status != http.StatusForbidden || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
		if r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: a write has CORS headers", name)
		}
	}
	if _, err := store.EntryForEdit(context.Background(), "cross-site"); err == nil {
		t.Error("the cross-site post created an entry")
	}
	// A bearer token is the authority even beside a session cookie (an
	// expired one, say): browsers never add it on their own.
	if r := post(true, "Both"); r.status != http.StatusCreated {
		t.Errorf("cookie and bearer: %d %s", r.status, r.body)
	}
	api := &apiClient{t: t, web: web}
	if r := api.do("POST", "/api/v1/entries", token, draftBody("Bearer Only"), checkNone); r.status != http.StatusCreated {
		t.Errorf("bearer without cookie: %d %s", r.status, r.body)
	}
}

func TestAPICORS(t *testing.T) {
	web, _ := newApp(t)
	api := &apiClient{t: t, web: web}
	r := api.do("GET", "/api/v1/entries", "", nil, checkNone, "Origin", "https://elsewhere.test")
	if r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("GET CORS: %v", r.header)
	}
	r = api.do("OPTIONS", "/api/v1/entries/x-road", "", nil, checkNone, "Origin", "https://elsewhere.test", "Access-Control-Request-Method", "GET")
	if r.status != http.StatusNoContent || r.header.Get("Access-Control-Allow-Origin") != "*" ||
		strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") || strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "PUT") {
		t.Errorf("preflight: %d %v", r.status, r.header)
	}
	r = api.do("POST", "/api/v1/entries", "", draftBody("x"), checkNone, "Origin", "https://elsewhere.test")
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a write answer has CORS headers: %v", r.header)
	}
}

func TestAPIErrorsAreJSON(t *testing.T) {
	web, store := newApp(t)
	api := newAPIClient(t, web)
	addUser(t, store, "ana@hub.test", catalogue.RoleContributor, "ama")
	ana := newBrowser(t, web)
	ana.signIn("ana@hub.test", testPassword)
	token := createToken(t, ana, "ci", "write")

	type call struct {
		method, target string
		body           any
		headers        []string
		status         int
		code           string
	}
	for _, c := range []call{
		{"GET", "/api/v1/nothing-here", nil, nil, 404, "not_found"},
		{"GET", "/api/v1", nil, nil, 404, "not_found"},
		{"DELETE", "/api/v1/entries/x-road", nil, nil, 405, "method_not_allowed"},
		{"PATCH", "/api/v1/entries", nil, nil, 405, "method_not_allowed"},
		{"POST", "/api/v1/entries", `{"kind": "solution",`, nil, 400, "bad_json"},
		{"POST", "/api/v1/entries", `{"kind": "solution", "colour": "blue"}`, nil, 400, "bad_json"},
		{"POST", "/api/v1/entries", `{} {}`, nil, 400, "bad_json"},
		{"POST", "/api/v1/entries", ``, nil, 400, "bad_json"},
		{"POST", "/api/v1/entries", `{"kind": "solution"}`, []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type"},
	} {
		r := api.do(c.method, c.target, token, c.body, checkNone, c.headers...)
		if r.status != c.status || errorCode(t, r) != c.code {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.target, r.status, r.body, c.status, c.code)
		}
		if c.status == 405 && !strings.Contains(r.header.Get("Allow"), "GET") {
			t.Errorf("%s %s: Allow %q", c.method, c.target, r.header.Get("Allow"))
		}
	}

	// An oversized body, through a real listener as a client sends it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = web.Listener(ln) }()
	t.Cleanup(func() { _ = web.Shutdown() })
	// The server refuses the body while reading it, before any route or
	// middleware runs: the app's error handler answers, in JSON for the API.
	r := sendOversized(t, ln.Addr().String(), "POST", "/api/v1/entries", 2*app.BodyLimit, "Content-Type", "application/json", "Authorization", "Bearer "+token)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if r.status != http.StatusRequestEntityTooLarge || json.Unmarshal([]byte(r.body), &e) != nil || e.Error.Code == "" {
		t.Errorf("oversized body: %d %s", r.status, r.body)
	}
}

// TestAPIRateLimit: an account's writes are limited (3 a minute here); the
// limit's answer is JSON too.
func TestAPIRateLimit(t *testing.T) {
	web, store := newApp(t, func(d *app.Deps) { d.Limits.Posts = 3 })
	addUser(t, store, "ana@hub.test", catalogue.RoleContributor, "ama")
	ana := newBrowser(t, web)
	ana.signIn("ana@hub.test", testPassword)
	token := createToken(t, ana, "ci", "write")
	api := &apiClient{t: t, web: web}
	var last response
	for i := range 4 {
		last = api.do("POST", "/api/v1/entries", token, draftBody("Limit "+itoa(uint(i))), checkNone)
	}
	if last.status != http.StatusTooManyRequests || errorCode(t, last) != "rate_limited" || last.header.Get("Retry-After") == "" {
		t.Errorf("rate limit: %d %s", last.status, last.body)
	}
}
