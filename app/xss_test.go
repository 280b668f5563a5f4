package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"interophub/app"
	"interophub/catalogue"
	"interophub/search"
)

// TestHostileInputRendersInert checks the issue's "XSS payloads in every
// user field render inert (checked by parsing the HTML)". Through the real
// app (demo catalogue, forms posted with cookies and CSRF tokens) it types
// the payloads of testdata/xss.txt into:
//   - the account name (profile form; registration, refused and accepted);
//   - every field of the entry form: title, summary, body, problem,
//     solution, results and lessons (practices), keywords, homepage, two
//     contact rows (name, e-mail, address), two release rows (version,
//     date, notes, address; solutions), practice year,
//     the editor's note; accepted values (for the addresses and e-mails,
//     hostile ones the app accepts), and refused ones in every validated
//     field (addresses, e-mail, dates, year, related, slug, owner, status,
//     licence, vocabularies) for the 422 form and the preview;
//   - the comments of state changes (the moderator's request for changes,
//     publication) and of a revision's review;
//   - search queries, filters, sort and page (the page, raw and escaped, and
//     the API), sign-in destinations, paths, followed searches, the admin
//     user search.
//
// Every payload is in some entry's title, and in every unlimited text field
// of some entry. Then it reads back every page that shows them and passes
// it to assertInert: the entry form (preview, 422), the workflow page (as
// contributor and moderator, and its 409/422 re-renders), the preview page,
// the history with a revision diff, the moderation queue and the revision
// review, the contributor's list, the public entry page once published (and
// after an approved revision), the organisation page, browse lists and home,
// search results with highlights, the profile, the admin users list and
// user page, sign-in, registration and the 404 page; the API's JSON gets
// its own check (xssAPIInert).
//
// The words must be kept, not just made harmless: the workflow page's
// heading and the public page's title must read exactly the title typed,
// and the edit form must show back every text value saved, once parsed
// (so compared as text, entities decoded), with what the form and HTML
// normalise applied to what was typed (see xssShown).
func TestHostileInputRendersInert(t *testing.T) {
	payloads := xssPayloads(t)
	pages := 0
	ctx := context.Background()
	var index *search.Index
	web, store := newApp(t, func(d *app.Deps) {
		d.Limits = app.Limits{SignIn: 100_000, Posts: 100_000}
		index = d.Search.(*search.Index)
	})
	orgs, err := store.Organisations(ctx)
	if err != nil || len(orgs) == 0 {
		t.Fatalf("organisations: %v (%d)", err, len(orgs))
	}
	org := orgs[0].Slug
	contributorUser := addUser(t, store, "contributor@hub.test", catalogue.RoleContributor, org)
	moderatorUser := addUser(t, store, "moderator@hub.test", catalogue.RoleModerator)
	addUser(t, store, "admin@hub.test", catalogue.RoleAdmin)
	contributor, moderator, admin, visitor := newBrowser(t, web), newBrowser(t, web), newBrowser(t, web), newBrowser(t, web)
	for email, b := range map[string]*browser{"contributor@hub.test": contributor, "moderator@hub.test": moderator, "admin@hub.test": admin} {
		b.signIn(email, testPassword)
		b.get("/en/account") // the session's CSRF token
	}

	// check asserts a page's status and that it is inert.
	check := func(page string, r response, statuses ...int) *html.Node {
		t.Helper()
		pages++
		if !slices.Contains(statuses, r.status) {
			t.Errorf("%s: status %d, want %v\n%.2000s", page, r.status, statuses, r.body)
		}
		return assertInert(t, page, r.body)
	}
	// redirected asserts that a form was accepted.
	redirected := func(what string, r response) {
		t.Helper()
		if r.status != http.StatusSeeOther {
			t.Fatalf("%s: status %d, want 303\n%.3000s", what, r.status, r.body)
		}
	}

	// Every payload goes into a title (packed, at most 300 characters), one
	// entry per pack; the other fields take a window of payloads that moves
	// with the entry, so that over all entries every payload lands in every
	// unlimited text field too.
	titles := xssPack(payloads, " ", 300)
	entries := len(titles)
	width := (len(payloads) + entries - 1) / entries
	window := func(k, field int) []string {
		out := make([]string, width)
		for i := range out {
			out[i] = payloads[(k*width+field*7+i)%len(payloads)]
		}
		return out
	}
	// line is the payloads of a window that fit in limit characters.
	line := func(k, field, limit int) string { return xssPack(window(k, field), " ", limit)[0] }
	emails := xssEmails(t)

	// --- account names: the profile form, the admin pages, registration.
	names := xssPack(payloads, " ", 200)
	for i, name := range names {
		page := fmt.Sprintf("name pack %d", i)
		redirected(page+": save profile", contributor.post("/en/account", url.Values{"name": {name}, "lang": {"en"}, "digest": {"weekly"}}))
		doc := check(page+": profile", contributor.get("/en/account"), 200)
		xssWantText(t, page+": profile name field", xssAttr(xssByID(doc, "f-name"), "value"), name)
		if i%3 != 0 {
			continue // the pages below show the name the same way
		}
		check(page+": profile refused", contributor.post("/en/account", url.Values{"name": {name}, "lang": {name}, "digest": {name}}), 422)
		doc = check(page+": admin user", admin.get(fmt.Sprintf("/en/admin/users/%d", contributorUser.ID)), 200)
		xssWantText(t, page+": admin user heading", xssText(xssByID(doc, "page-title")), name)
		check(page+": admin search", admin.get("/en/admin/users?q="+url.QueryEscape(name)), 200)
		visitor.get("/en/account/register")
		check(page+": register refused", visitor.post("/en/account/register", url.Values{
			"name": {name}, "email": {name}, "password": {testPassword}, "password2": {name}, "accept": {"yes"}}), 422)
	}
	visitor.get("/en/account/register")
	check("register", visitor.post("/en/account/register", url.Values{"name": {names[0]}, "email": {"newcomer@hub.test"},
		"password": {testPassword}, "password2": {testPassword}, "accept": {"yes"}}), 200)
	redirected("moderator name", moderator.post("/en/account", url.Values{"name": {names[len(names)-1]}, "lang": {"en"}, "digest": {"daily"}}))
	redirected("contributor name", contributor.post("/en/account", url.Values{"name": {names[len(names)/2]}, "lang": {"en"}, "digest": {"weekly"}}))
	check("admin users", admin.get("/en/admin/users"), 200)

	// --- entries: the form (preview, refused, saved), the workflow pages.
	type entry struct {
		kind  catalogue.Kind
		slug  string
		title string
		form  url.Values
	}
	all := make([]entry, entries)
	// entryForm fills every field of the entry form of entry k with
	// payloads; shift gives a later edit other payloads. Fields the app
	// validates (addresses, e-mail, dates) get hostile values it accepts.
	entryForm := func(k, shift int, kind catalogue.Kind) url.Values {
		at := func(field int) []string { return window(k, field+shift) }
		v := url.Values{
			"tl": {"en"}, "kind": {string(kind)}, "owner": {org}, "action": {"save"},
			"title":    {titles[k]},
			"summary":  {line(k, 1+shift, 1000)},
			"body":     {strings.Join(at(2), "\n\n")},
			"keywords": {strings.Join(at(3), ", ")},
			"homepage": {"https://hub.test/" + strings.Join(at(4), " ")},
			"note":     {line(k, 5+shift, 2000)},
			// Two contact rows.
			"contact.0.name": {strings.Join(at(6), " ")}, "contact.0.email": {emails[k%len(emails)]},
			"contact.0.url":  {"https://hub.test/c?" + strings.Join(at(7), "&")},
			"contact.1.name": {strings.Join(at(8), " ")}, "contact.1.url": {"http://" + strings.Join(at(9), "")},
		}
		if shift > 0 {
			v.Set("title", titles[(k+shift)%entries])
		}
		switch kind {
		case catalogue.KindPractice:
			v.Set("problem", strings.Join(at(10), " "))         // inline, one paragraph
			v.Set("solution", strings.Join(at(11), "\n"))       // lines of one paragraph
			v.Set("results", "- "+strings.Join(at(12), "\n- ")) // a list
			v.Set("lessons", "> "+strings.Join(at(13), "\n> ")) // a quote
			v.Set("practice.country", "PT")                     // vocabularies: hostile values are refused (below)
			v.Set("practice.sector", "egovernment")
			v.Set("practice.year", "2024")
		case catalogue.KindSolution:
			v.Set("release.0.version", strings.Join(at(10), " "))
			v.Set("release.0.date", "2026-02-01")
			v.Set("release.0.url", "https://hub.test/dl/"+strings.Join(at(11), ""))
			v.Set("release.0.notes", strings.Join(at(12), "\n"))
			v.Set("release.1.version", strings.Join(at(13), " "))
			v.Set("release.1.date", "2025-01-01")
			v.Set("release.1.notes", strings.Join(at(14), " "))
		}
		// Fields with a length limit get as much as they accept.
		for name, max := range map[string]int{"homepage": 500, "contact.0.name": 200, "contact.0.url": 500,
			"contact.1.name": 200, "contact.1.url": 500, "release.0.version": 64, "release.0.url": 500,
			"release.0.notes": 2000, "release.1.version": 64, "release.1.notes": 2000} {
			if val, ok := v[name]; ok {
				v.Set(name, clipRunes(val[0], max))
			}
		}
		words := strings.Split(v.Get("keywords"), ", ")
		for i := range words {
			words[i] = clipRunes(words[i], 200)
		}
		v.Set("keywords", strings.Join(words, ", "))
		return v
	}
	// refused turns a form into one the app refuses: hostile values in the
	// fields it validates.
	refused := func(v url.Values, k int) url.Values {
		v = cloneValues(v)
		bad := func(field int) string { return strings.Join(window(k, 30+field), " ") }
		for i, name := range []string{"homepage", "contact.0.email", "contact.0.url", "contact.1.url", "related",
			"owner", "status", "licence", "practice.level", "practice.year", "release.0.date", "release.0.url", "slug",
			"practice.country", "practice.sector"} {
			v.Set(name, bad(i))
		}
		for i, name := range []string{"layer", "principle", "theme", "country", "language"} {
			v[name] = window(k, 50+i)
		}
		return v
	}

	kinds := []catalogue.Kind{catalogue.KindPractice, catalogue.KindSolution, catalogue.KindPractice, catalogue.KindSolution,
		catalogue.KindStandard, catalogue.KindPractice, catalogue.KindSolution, catalogue.KindCourse}
	for k := range all {
		kind := kinds[k%len(kinds)]
		e := entry{kind: kind, slug: fmt.Sprintf("xss-%d", k), title: titles[k]}
		e.form = entryForm(k, 0, kind)
		e.form.Set("slug", e.slug)
		all[k] = e
		page := fmt.Sprintf("entry %d (%s)", k, kind)

		// Every entry: the new-entry form, previewed with refused values,
		// then the saved entry's pages. One entry in three also goes
		// through the pages that show the same fields again (the refused
		// save, the edit form's preview and refusal, an unknown kind or
		// move): the test stays fast.
		more := k%3 == 0
		bad := refused(e.form, k)
		preview := cloneValues(bad)
		preview.Set("action", "preview")
		if k < len(kinds) {
			check(page+": new form", contributor.get("/en/contribute/new?kind="+string(kind)), 200)
		}
		check(page+": new preview", contributor.post("/en/contribute/new", preview), 200, 422)
		if more {
			check(page+": new refused", contributor.post("/en/contribute/new", bad), 422)
			badKind := cloneValues(bad)
			badKind.Set("kind", e.title)
			check(page+": new unknown kind", contributor.post("/en/contribute/new", badKind), 404)
		}
		redirected(page+": create", contributor.post("/en/contribute/new", e.form))

		base := "/en/contribute/" + e.slug
		doc := check(page+": workflow", contributor.get(base+"?saved=1"), 200)
		xssWantText(t, page+": workflow title", xssText(xssByID(doc, "page-title")), e.title)
		doc = check(page+": edit", contributor.get(base+"/edit"), 200)
		xssWantFormValues(t, page+": edit form", doc, e.form)
		if more {
			editPreview := cloneValues(e.form)
			editPreview.Set("action", "preview")
			check(page+": edit preview", contributor.post(base+"/edit", editPreview), 200)
			check(page+": edit refused", contributor.post(base+"/edit", refused(e.form, k+1)), 422)
			check(page+": unknown move", contributor.post(base+"/state", url.Values{"to": {e.title}, "comment": {line(k, 20, 2000)}}), 409)
		}
		if more {
			check(page+": preview page", contributor.get(base+"/preview"), 200)
		}
		redirected(page+": propose", contributor.post(base+"/state", url.Values{"to": {"proposed"}, "comment": {line(k, 21, 2000)}}))
	}

	check("moderation queue (proposals)", moderator.get("/en/moderation"), 200)
	check("contribute list", contributor.get("/en/contribute"), 200)
	for k, e := range all {
		page := fmt.Sprintf("entry %d (%s)", k, e.kind)
		base := "/en/contribute/" + e.slug
		if k%3 == 0 {
			check(page+": moderator workflow", moderator.get(base), 200)
		}
		if k == 0 {
			check(page+": changes without comment", moderator.post(base+"/state", url.Values{"to": {"changes_requested"}}), 422)
		}
		redirected(page+": request changes", moderator.post(base+"/state", url.Values{"to": {"changes_requested"}, "comment": {line(k, 22, 2000)}}))
		redirected(page+": back to draft", contributor.post(base+"/state", url.Values{"to": {"draft"}, "comment": {line(k, 23, 2000)}}))
		redirected(page+": propose again", contributor.post(base+"/state", url.Values{"to": {"proposed"}, "comment": {line(k, 24, 2000)}}))
		redirected(page+": publish", moderator.post(base+"/state", url.Values{"to": {"published"}, "comment": {line(k, 25, 2000)}}))
		doc := check(page+": public page", visitor.get("/en"+"/"+e.kind.Plural()+"/"+e.slug), 200)
		xssWantText(t, page+": public title", xssText(xssByID(doc, "entry-title")), e.title)
		// A contributor's change to a public entry waits for a moderator.
		edit := entryForm(k, 1, e.kind)
		redirected(page+": propose a revision", contributor.post(base+"/edit", edit))
	}

	check("moderation queue (revisions)", moderator.get("/en/moderation"), 200)
	for k, e := range all {
		page := fmt.Sprintf("entry %d (%s)", k, e.kind)
		base := "/en/contribute/" + e.slug
		stored, err := store.EntryForEdit(ctx, e.slug)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := store.PendingRevision(ctx, stored.ID)
		if err != nil {
			t.Fatalf("%s: pending revision: %v", page, err)
		}
		review := fmt.Sprintf("/en/moderation/revisions/%d", rev.ID)
		check(page+": revision review", moderator.get(review), 200)
		if k == 0 {
			check(page+": send back without comment", moderator.post(review, url.Values{"decision": {"changes"}}), 422)
		}
		decision := []string{"approve", "changes"}[k%2]
		redirected(page+": decide revision", moderator.post(review, url.Values{"decision": {decision}, "comment": {line(k, 26, 2000)}}))
		check(page+": history", contributor.get(base+"/history"), 200)
		if decision == "approve" {
			doc := check(page+": public page after review", visitor.get("/en"+"/"+e.kind.Plural()+"/"+e.slug), 200)
			xssWantText(t, page+": revised public title", xssText(xssByID(doc, "entry-title")), titles[(k+1)%entries])
		} else {
			check(page+": workflow after review", contributor.get(base), 200)
		}
	}

	// Queries, filters, sign-in destinations and paths: the payloads in
	// groups as long as a search query may be (searched before the hostile
	// entries are indexed: fewer hits, a faster test). A raw query reaches
	// the app with its quotes and angle brackets unescaped; the filters,
	// sort, page or cursor it carries are refused and shown back. Half the
	// groups go to the search page, the other half, in queries of up to 200
	// characters, to a browse list.
	queries := xssGroups(payloads, " ", search.MaxQueryLength)
	for i, group := range queries {
		page := fmt.Sprintf("query group %d", i)
		p := strings.Join(group, " ")
		q := url.QueryEscape(p)
		if i%2 == 0 {
			raw := xssRawQuery(p)
			doc := check(page+": search, raw query", visitor.get("/en/search?q="+raw+"&theme="+raw+"&sort="+raw+"&page="+raw), 400)
			xssWantText(t, page+": search field", xssAttr(xssByID(doc, "q"), "value"), p)
		} else {
			for _, b := range xssPack(group, " ", 200) {
				raw := xssRawQuery(b)
				doc := check(page+": browse, raw query", visitor.get("/en/solutions?q="+raw+"&layer="+raw+"&sort="+raw+"&after="+raw), 200, 400)
				xssWantText(t, page+": browse field", xssAttr(xssByID(doc, "q"), "value"), b)
			}
		}
		if i == 0 || i == len(queries)-1 {
			// Signed in, the page offers to follow the search.
			check(page+": search", contributor.get("/en/search?q="+q), 200)
			xssAPIInert(t, visitor, "/api/v1/search?q="+q)
		}
		xssAPIInert(t, visitor, "/api/v1/suggest?q="+q)
		check(page+": sign-in next", visitor.get("/en/signin?next="+url.QueryEscape("/"+p)), 200)
		check(page+": not found", visitor.get("/en/solutions/"+url.PathEscape(p)), 404)
	}

	// --- lists, organisation, search (pages and API).
	if _, err := index.SyncOnce(ctx, store); err != nil {
		t.Fatal(err)
	}
	check("contribute list", contributor.get("/en/contribute"), 200)
	check("moderation queue", moderator.get("/en/moderation"), 200)
	check("admin users", admin.get("/en/admin/users"), 200)
	check("moderator profile", moderator.get("/en/account"), 200)
	check("moderator as admin sees", admin.get(fmt.Sprintf("/en/admin/users/%d", moderatorUser.ID)), 200)
	check("organisation", visitor.get("/en/organisations/"+org), 200)
	for _, path := range []string{"/en/", "/en/practices", "/en/solutions", "/en/standards", "/en/courses", "/en/practices?page=2", "/en/solutions?sort=title"} {
		check("browse "+path, visitor.get(path), 200)
	}
	// Search results show the hostile titles and summaries with the
	// matched words highlighted (HTML built by package search).
	hits := 0
	for _, q := range []string{"alert", "javascript", "svg onload"} {
		for pageNo := 1; pageNo <= 3; pageNo++ {
			target := fmt.Sprintf("/en/search?q=%s&page=%d", url.QueryEscape(q), pageNo)
			if r := visitor.get(target); r.status == 200 || pageNo == 1 {
				check("search "+target, r, 200)
			}
		}
		hits += xssAPIInert(t, visitor, "/api/v1/search?size=50&q="+url.QueryEscape(q))
	}
	if hits < entries {
		t.Errorf("the API search found %d hits, want at least the %d hostile entries", hits, entries)
	}
	for i, p := range payloads[:10] {
		redirected(fmt.Sprintf("follow search %d", i), contributor.post("/en/follow", url.Values{"target": {"search"}, "value": {"q=" + url.QueryEscape(p)}}))
	}
	check("profile with follows", contributor.get("/en/account"), 200)
	check("admin access refused", admin.post(fmt.Sprintf("/en/admin/users/%d", contributorUser.ID),
		url.Values{"role": {"contributor"}, "org": payloads[:3]}), 422)
	t.Logf("%d payloads, %d entries, %d account names, %d pages checked", len(payloads), entries, len(names), pages)
}

// xssPayloads reads testdata/xss.txt: one payload a line, "#" comments,
// "go:" lines Go-quoted.
func xssPayloads(t testing.TB) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "xss.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		s := sc.Text()
		switch {
		case strings.HasPrefix(s, "#"):
			continue
		case strings.TrimSpace(s) == "":
			t.Fatalf("xss.txt:%d: blank line", n)
		case strings.HasPrefix(s, "go:"):
			if s, err = strconv.Unquote(s[3:]); err != nil {
				t.Fatalf("xss.txt:%d: %v", n, err)
			}
		}
		if seen[s] {
			t.Fatalf("xss.txt:%d: duplicate %q", n, s)
		}
		if utf8.RuneCountInString(s) > 300 {
			t.Fatalf("xss.txt:%d: longer than a title", n)
		}
		seen[s] = true
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 120 {
		t.Fatalf("xss.txt has %d payloads, want at least 120", len(out))
	}
	return out
}

// xssPack joins consecutive strings with sep into strings of at most limit
// characters (a longer string alone).
func xssPack(items []string, sep string, limit int) []string {
	var out []string
	for _, g := range xssGroups(items, sep, limit) {
		out = append(out, strings.Join(g, sep))
	}
	return out
}

// xssGroups groups consecutive strings so that each group joined with sep
// has at most limit characters (a longer string alone).
func xssGroups(items []string, sep string, limit int) [][]string {
	var out [][]string
	var cur []string
	n := 0
	for _, s := range items {
		size := utf8.RuneCountInString(s)
		if len(cur) > 0 && n+utf8.RuneCountInString(sep)+size > limit {
			out = append(out, cur)
			cur, n = nil, 0
		}
		if len(cur) > 0 {
			n += utf8.RuneCountInString(sep)
		}
		cur, n = append(cur, s), n+size
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// xssEmails are addresses the contact form accepts that still hold
// quotes, backticks and braces.
func xssEmails(t testing.TB) []string {
	t.Helper()
	out := []string{
		"o'neil+{{.}}@hub.test",
		"`-alert`1`-'@hub.test",
		"x'onmouseover='alert@hub.test",
		"javascript.alert=1/*@hub.test",
		"a&b=c?d|e~f#g@hub.test",
	}
	for _, e := range out {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			t.Fatalf("%q is not an address the form accepts: %v", e, err)
		}
	}
	return out
}

// xssRawQuery escapes only what a request line cannot carry (space, "%",
// "#", controls and non-ASCII bytes): quotes and angle brackets reach the
// app raw, as a hand-made request would send them.
func xssRawQuery(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '%' || c == '#' || c == '&' || c == '+' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// xssAPIInert checks a JSON answer of the API: JSON with nosniff, no raw
// angle bracket anywhere (a browser tricked into reading it as HTML finds
// no tag), and highlight fragments that are escaped text with <mark> only.
// It returns the number of hits.
func xssAPIInert(t testing.TB, b *browser, target string) int {
	t.Helper()
	r := b.get(target)
	if r.status != 200 && r.status != 400 {
		t.Errorf("%s: status %d", target, r.status)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", target, ct)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no X-Content-Type-Options: nosniff", target)
	}
	if strings.ContainsAny(r.body, "<>") {
		t.Errorf("%s: raw angle bracket in JSON: %.300s", target, r.body)
	}
	var res struct {
		Hits []struct {
			URL        string            `json:"url"`
			Highlights map[string]string `json:"highlights"`
		} `json:"hits"`
		Suggestions []struct {
			URL string `json:"url"`
		} `json:"suggestions"`
	}
	if err := json.Unmarshal([]byte(r.body), &res); err != nil {
		t.Errorf("%s: %v", target, err)
	}
	for _, h := range res.Hits {
		if !strings.HasPrefix(h.URL, "http://hub.test/") {
			t.Errorf("%s: hit URL %q", target, h.URL)
		}
		for field, frag := range h.Highlights {
			nodes, err := html.ParseFragment(strings.NewReader(frag), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
			if err != nil {
				t.Errorf("%s: %s highlight: %v", target, field, err)
			}
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode && (n.Data != "mark" || len(n.Attr) > 0) {
					t.Errorf("%s: %s highlight has %s", target, field, xssTag(n))
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			for _, n := range nodes {
				walk(n)
			}
		}
	}
	for _, s := range res.Suggestions {
		if !strings.HasPrefix(s.URL, "/") || strings.HasPrefix(s.URL, "//") {
			t.Errorf("%s: suggestion URL %q", target, s.URL)
		}
	}
	return len(res.Hits)
}

// assertInert parses a page of the site and fails on anything that could
// run script or load active content:
//   - a <script> other than the site's own (a .js file under /static/, no
//     "..", no inline text), any <style> element or style attribute
//     anywhere (the site's templates have none, so none may come from
//     user content);
//   - any attribute named on…;
//   - a URL attribute (href, src, action, formaction, xlink:href, data,
//     poster, srcset…) whose value, trimmed of ASCII whitespace and control
//     characters everywhere and lower-cased (as browsers read schemes),
//     starts with javascript:, vbscript: or data: — the site itself has no
//     data: URLs; and any srcdoc;
//   - <iframe>, <frame>, <object>, <embed>, <applet>, <base>, <portal>,
//     <plaintext>, any SVG or MathML element, <meta http-equiv>;
//   - a <form> whose action is not a path of this site ("/…", not "//…");
//   - a <link> other than the site's stylesheet and icon (under /static/)
//     and its canonical and alternate links (on http://hub.test/);
//   - a page cut short: the site's footer must still be there, not eaten
//     by an unclosed <textarea>, <title> or <plaintext>.
//
// It returns the parsed document.
func assertInert(t testing.TB, page, body string) *html.Node {
	t.Helper()
	doc, problems := inertProblems(body)
	for i, p := range problems {
		if i == 5 {
			t.Errorf("%s: … and %d more", page, len(problems)-i)
			break
		}
		t.Errorf("%s: %s", page, p)
	}
	return doc
}

// xssURLAttrs are the attributes whose value a browser may follow or load.
var xssURLAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true, "data": true,
	"poster": true, "background": true, "cite": true, "codebase": true, "dynsrc": true, "lowsrc": true,
	"longdesc": true, "usemap": true, "ping": true, "manifest": true, "icon": true, "archive": true,
	"classid": true, "profile": true, "to": true, "values": true, "from": true, "by": true,
}

// xssSiteScript is the address of one of the site's scripts: under /static/,
// no way out of it.
var xssSiteScript = regexp.MustCompile(`^/static/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.js$`)

// xssForbidden are elements that must never reach a page of the site.
var xssForbidden = map[string]bool{
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true, "applet": true,
	"base": true, "portal": true, "plaintext": true, "svg": true, "math": true, "style": true,
}

func inertProblems(body string) (*html.Node, []string) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil, []string{"parse: " + err.Error()}
	}
	var out []string
	bad := func(n *html.Node, why string) { out = append(out, why+": "+xssTag(n)) }
	footer := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Namespace == "svg" || n.Namespace == "math" {
				bad(n, "foreign ("+n.Namespace+") element")
			}
			if xssForbidden[n.Data] {
				bad(n, "forbidden element")
			}
			switch n.Data {
			case "script":
				if !xssSiteScript.MatchString(xssAttr(n, "src")) || strings.TrimSpace(xssText(n)) != "" {
					bad(n, "script")
				}
			case "meta":
				if xssHasAttr(n, "http-equiv") {
					bad(n, "meta http-equiv")
				}
			case "link":
				rel, href := strings.ToLower(strings.TrimSpace(xssAttr(n, "rel"))), xssAttr(n, "href")
				switch {
				case (rel == "stylesheet" || rel == "icon") && strings.HasPrefix(href, "/static/"):
				case (rel == "canonical" || rel == "alternate") && strings.HasPrefix(href, "http://hub.test/"):
				default:
					bad(n, "link")
				}
			case "form":
				if a := xssAttr(n, "action"); !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") || strings.HasPrefix(a, "/\\") {
					bad(n, "form posting off the site")
				}
			case "footer":
				if strings.Contains(xssAttr(n, "class"), "site-footer") {
					footer = true
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if a.Namespace != "" {
					key = a.Namespace + ":" + key
				}
				switch {
				case strings.HasPrefix(key, "on"):
					bad(n, "event handler "+key)
				case key == "style":
					bad(n, "style attribute")
				case key == "srcdoc":
					bad(n, "srcdoc")
				case key == "srcset" || key == "imagesrcset":
					for _, c := range strings.Split(a.Val, ",") {
						if xssDangerousURL(c) {
							bad(n, "dangerous URL in "+key)
						}
					}
				case xssURLAttrs[key] || strings.HasSuffix(key, ":href"):
					if xssDangerousURL(a.Val) {
						bad(n, "dangerous URL in "+key)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !footer {
		out = append(out, "the page is cut short: no site footer")
	}
	return doc, out
}

// xssDangerousURL reports whether a browser would run or render v as script
// or a document of its own: javascript:, vbscript: and data: URLs, however
// spaced, cased or sprinkled with control characters.
func xssDangerousURL(v string) bool {
	var b strings.Builder
	for _, r := range v {
		if r <= ' ' || r == 0x7f {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	for _, scheme := range []string{"javascript:", "vbscript:", "data:", "livescript:"} {
		if strings.HasPrefix(s, scheme) {
			return true
		}
	}
	return false
}

// xssTag shows an element's start tag, shortened, for failure messages.
func xssTag(n *html.Node) string {
	var b strings.Builder
	b.WriteString("<" + n.Data)
	for _, a := range n.Attr {
		fmt.Fprintf(&b, " %s=%q", a.Key, a.Val)
	}
	b.WriteString(">")
	if s := b.String(); len(s) > 300 {
		return s[:300] + "…"
	}
	return b.String()
}

func xssAttr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func xssHasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// xssText is the text content of n.
func xssText(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// xssByID finds the element with an id.
func xssByID(n *html.Node, id string) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && xssAttr(n, "id") == id {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if found := xssByID(c, id); found != nil {
			return found
		}
	}
	return nil
}

// xssShown is what a page shows of a typed value: the form trims it and turns
// CRLF into LF; the template turns NUL into U+FFFD; the parser turns CR into
// LF and invalid UTF-8 into U+FFFD.
func xssShown(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\r", "\n")
	// Each invalid byte is one U+FFFD, as browsers decode it (and as the
	// JSON of a revision stores it).
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		b.WriteRune(r) // utf8.RuneError for an invalid byte
		s = s[size:]
	}
	return b.String()
}

// xssWantText checks that a page shows what was typed, as text.
func xssWantText(t testing.TB, what, got, typed string) {
	t.Helper()
	if xssShown(got) != xssShown(typed) {
		t.Errorf("%s: the words typed are not kept\n got: %q\nwant: %q", what, xssShown(got), xssShown(typed))
	}
}

var xssRowIndex = regexp.MustCompile(`\.\d+\.`)

// xssWantFormValues checks that the edit form shows every text value saved
// (rows in any order: releases are listed newest first).
func xssWantFormValues(t testing.TB, what string, doc *html.Node, saved url.Values) {
	t.Helper()
	got := map[string][]string{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "input" || n.Data == "textarea") {
			name := xssRowIndex.ReplaceAllString(xssAttr(n, "name"), ".*.")
			v := xssAttr(n, "value")
			if n.Data == "textarea" {
				v = xssText(n)
			}
			got[name] = append(got[name], xssShown(v))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for name, vs := range saved {
		switch name {
		case "tl", "kind", "owner", "action", "note", "practice.country", "practice.sector", "slug":
			continue // not text inputs of the edit form
		}
		want := xssShown(vs[0])
		if name == "keywords" {
			want = strings.Join(xssSplitComma(vs[0]), ", ")
		}
		if !slices.Contains(got[xssRowIndex.ReplaceAllString(name, ".*.")], want) {
			t.Errorf("%s: %s: the words typed are not kept\nwant: %q\n got: %q", what, name, want, got[xssRowIndex.ReplaceAllString(name, ".*.")])
		}
	}
}

func xssSplitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = xssShown(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// TestInertCheckCatchesHostileMarkup makes sure assertInert is not blind:
// the payloads pasted raw into a page must trip it (all but the Markdown,
// entity and text-only ones, which are harmless as raw HTML), and the same
// payloads escaped must not.
func TestInertCheckCatchesHostileMarkup(t *testing.T) {
	page := func(body string) string {
		return `<!doctype html><html><head><title>t</title><link rel="stylesheet" href="/static/css/app.css"></head><body><main>` +
			body + `</main><footer class="site-footer"></footer><script src="/static/js/search.js" defer></script></body></html>`
	}
	if _, problems := inertProblems(page("<p>fine</p>")); len(problems) > 0 {
		t.Fatalf("a clean page fails: %v", problems)
	}
	caught := 0
	payloads := xssPayloads(t)
	for _, p := range payloads {
		if _, problems := inertProblems(page(p)); len(problems) > 0 {
			caught++
		}
		if _, problems := inertProblems(page(html.EscapeString(p))); len(problems) > 0 {
			t.Errorf("escaped %q fails: %v", p, problems)
		}
	}
	t.Logf("%d of %d payloads trip the check when pasted raw", caught, len(payloads))
	if caught < len(payloads)*2/3 {
		t.Errorf("only %d of %d raw payloads trip the check", caught, len(payloads))
	}
	for _, raw := range []string{
		`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>`,
		`<a href="&#1;javascript:alert(1)">x</a>`, `<iframe srcdoc="x"></iframe>`, `<svg><a xlink:href="javascript:alert(1)">x</a></svg>`,
		`<form action="//evil.test"></form>`, `<link rel="import" href="/static/x">`, `<meta http-equiv="refresh" content="0">`,
		`<p style="color:red">x</p>`, `<textarea>`, `<img srcset="x 1x, javascript:alert(1) 2x">`, `<base href="/">`,
		`<script src="/static/js/search.js">alert(1)</script>`, `<script src="/static/../evil.js"></script>`, `<object data="data:text/html,x"></object>`,
	} {
		if _, problems := inertProblems(page(raw)); len(problems) == 0 {
			t.Errorf("%s passes the check", raw)
		}
	}
}

// clipRunes cuts s to at most n characters, then trims the spaces the
// form would trim.
func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		s = string(r[:n])
	}
	return strings.TrimSpace(s)
}
