package app_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/png"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// attSignIn signs email in through the sign-in form.
func attSignIn(t testing.TB, web *fiber.App, email string) *browser {
	t.Helper()
	b := newBrowser(t, web)
	b.signIn(email, testPassword)
	return b
}

func pngFile(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const pdfFile = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

var attachmentLink = regexp.MustCompile(`<a href="(/attachments/[0-9a-f]{32}\.[a-z]+)">([^<]*)</a>`)

// attachmentLinks maps the file names listed on a page to their addresses.
func attachmentLinks(body string) map[string]string {
	out := map[string]string{}
	for _, m := range attachmentLink.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[2])] = m[1]
	}
	return out
}

// ownerOf is the slug of the organisation owning a demo solution.
func ownerOf(t testing.TB, store *catalogue.Store, slug string) string {
	t.Helper()
	e, err := store.EntryBySlug(context.Background(), catalogue.KindSolution, slug)
	if err != nil || e.Owner == nil {
		t.Fatalf("entry %s: %v", slug, err)
	}
	return e.Owner.Slug
}

func TestAttachmentUploadListDownload(t *testing.T) {
	web, store := newApp(t)
	owner := ownerOf(t, store, "x-road")
	addUser(t, store, "editor@hub.test", catalogue.RoleModerator, owner)
	editor := attSignIn(t, web, "editor@hub.test")
	pngData := pngFile(t)

	editor.get("/en/contribute/x-road")
	const pdfName = "Plan d’action 2026.pdf"
	for _, f := range []struct {
		name string
		data []byte
	}{{"diagram.png", pngData}, {pdfName, []byte(pdfFile)}} {
		r := editor.upload("/en/contribute/x-road/attachments", f.name, f.data, true)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/en/contribute/x-road?saved=1" {
			t.Fatalf("upload %s: %d %s\n%s", f.name, r.status, r.header.Get("Location"), r.body)
		}
	}

	r := editor.get("/en/contribute/x-road?saved=1")
	mustContain(t, "workflow page", r.body, `enctype="multipart/form-data"`, `name="file" type="file"`, "PNG, 1\u00a0KB", "PDF, 1\u00a0KB")
	links := attachmentLinks(r.body)
	if len(links) != 2 || links["diagram.png"] == "" || links[pdfName] == "" {
		t.Fatalf("listed attachments: %v", links)
	}

	// Downloads, by anybody: the entry is public.
	guest := newBrowser(t, web)
	img := guest.get(links["diagram.png"])
	if img.status != http.StatusOK || img.body != string(pngData) {
		t.Fatalf("png: %d, %d bytes", img.status, len(img.body))
	}
	doc := guest.get(links[pdfName])
	if doc.status != http.StatusOK || doc.body != pdfFile {
		t.Fatalf("pdf: %d %q", doc.status, doc.body)
	}
	for _, tt := range []struct {
		name string
		r    response
		want map[string]string
	}{
		{"png", img, map[string]string{
			"Content-Type":        "image/png",
			"Content-Disposition": "inline; filename*=UTF-8''diagram.png",
		}},
		{"pdf", doc, map[string]string{
			"Content-Type":        "application/pdf",
			"Content-Disposition": "attachment; filename*=UTF-8''Plan%20d%E2%80%99action%202026.pdf",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.want["X-Content-Type-Options"] = "nosniff"
			tt.want["Content-Security-Policy"] = "default-src 'none'; sandbox"
			tt.want["Cache-Control"] = "private, max-age=3600"
			for k, v := range tt.want {
				if got := tt.r.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}

	// The public page lists them, without the form.
	pub := guest.get("/en/solutions/x-road")
	if got := attachmentLinks(pub.body); len(got) != 2 {
		t.Errorf("public page lists %v", got)
	}
	if strings.Contains(pub.body, `enctype="multipart/form-data"`) {
		t.Error("public page has the upload form")
	}

	// Removing one.
	editor.get("/en/contribute/x-road")
	id := regexp.MustCompile(`/contribute/x-road/attachments/(\d+)/delete`).FindAllStringSubmatch(editor.get("/en/contribute/x-road").body, -1)
	if len(id) != 2 {
		t.Fatalf("%d delete buttons", len(id))
	}
	if r := editor.post("/en/contribute/x-road/attachments/"+id[0][1]+"/delete", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.status)
	}
	if got := attachmentLinks(editor.get("/en/contribute/x-road").body); len(got) != 1 || got[pdfName] == "" {
		t.Errorf("after delete: %v", got)
	}
	if r := guest.get(links["diagram.png"]); r.status != http.StatusNotFound {
		t.Errorf("deleted file: %d", r.status)
	}
	if r := editor.post("/en/contribute/x-road/attachments/"+id[0][1]+"/delete", url.Values{}); r.status != http.StatusNotFound {
		t.Errorf("deleting again: %d", r.status)
	}
}

func TestAttachmentDisguisedHTMLIsRefused(t *testing.T) {
	web, store := newApp(t)
	owner := ownerOf(t, store, "x-road")
	addUser(t, store, "editor@hub.test", catalogue.RoleModerator, owner)
	editor := attSignIn(t, web, "editor@hub.test")
	fr := locales(t).Locale("fr")

	editor.get("/fr/contribute/x-road")
	r := editor.upload("/fr/contribute/x-road/attachments", "rapport.pdf", []byte("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"), true)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	body := html.UnescapeString(r.body)
	mustContain(t, "field error", body,
		`<p class="field-error" id="f-file-error"><span class="visually-hidden">`+fr.Tr("form.error.prefix")+`</span>`+fr.Tr("form.problem.type")+`</p>`,
		`aria-invalid="true" aria-describedby="f-file-hint f-file-error"`)
	if list, err := store.Attachments(context.Background(), mustEntryID(t, store, "x-road")); err != nil || len(list) != 0 {
		t.Errorf("stored: %v %v", list, err)
	}

	r = editor.upload("/fr/contribute/x-road/attachments", "", nil, true)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("no file: status %d, want 422", r.status)
	}
	mustContain(t, "no file", html.UnescapeString(r.body), fr.Tr("attachment.file.missing"))
}

func mustEntryID(t testing.TB, store *catalogue.Store, slug string) uint {
	t.Helper()
	e, err := store.EntryForEdit(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func TestAttachmentUploadIsRefused(t *testing.T) {
	web, store := newApp(t)
	owner := ownerOf(t, store, "x-road")
	addUser(t, store, "editor@hub.test", catalogue.RoleModerator, owner)
	addUser(t, store, "contributor@hub.test", catalogue.RoleContributor, owner)
	addUser(t, store, "learner@hub.test", catalogue.RoleLearner)
	pngData := pngFile(t)

	editor := attSignIn(t, web, "editor@hub.test")
	editor.get("/en/contribute/x-road")
	if r := editor.upload("/en/contribute/x-road/attachments", "a.png", pngData, false); r.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", r.status)
	}
	// Files of a published entry are public at once: its contributors
	// cannot change them, only moderators.
	contributor := attSignIn(t, web, "contributor@hub.test")
	if r := contributor.get("/en/contribute/x-road"); !strings.Contains(r.body, "only moderators can add or remove them") || strings.Contains(r.body, `name="file"`) {
		t.Errorf("a contributor of a published entry is offered the upload form")
	}
	if r := contributor.upload("/en/contribute/x-road/attachments", "a.png", pngData, true); r.status != http.StatusForbidden {
		t.Errorf("a contributor of a published entry: %d, want 403", r.status)
	}
	learner := attSignIn(t, web, "learner@hub.test")
	learner.get("/en/account")
	if learner.csrf == "" {
		t.Fatal("no CSRF token on the account page")
	}
	if r := learner.upload("/en/contribute/x-road/attachments", "a.png", pngData, true); r.status != http.StatusForbidden {
		t.Errorf("a learner: %d, want 403", r.status)
	}
	if list, _ := store.Attachments(context.Background(), mustEntryID(t, store, "x-road")); len(list) != 0 {
		t.Errorf("%d attachments stored", len(list))
	}
	if r := newBrowser(t, web).get("/attachments/0123456789abcdef0123456789abcdef.png"); r.status != http.StatusNotFound {
		t.Errorf("unknown attachment: %d", r.status)
	}
}

func TestAttachmentOfADraftIsPrivate(t *testing.T) {
	web, store := newApp(t)
	ctx := context.Background()
	owner := ownerOf(t, store, "x-road")
	orgs, err := store.Organisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := ""
	for _, o := range orgs {
		if o.Slug != owner {
			other = o.Slug
			break
		}
	}
	author := addUser(t, store, "editor@hub.test", catalogue.RoleContributor, owner)
	addUser(t, store, "outsider@hub.test", catalogue.RoleContributor, other)
	addUser(t, store, "moderator@hub.test", catalogue.RoleModerator)
	_, err = store.CreateEntry(ctx, catalogue.EntryInput{
		Kind: catalogue.KindSolution, Slug: "att-draft", Owner: owner, Licence: "MIT",
		Concepts:     map[catalogue.Scheme][]string{catalogue.SchemeLayer: {"IL3"}},
		Translations: []catalogue.Translation{{Lang: "en", Title: "A draft with files", Summary: "Not public yet."}},
	}, author, "")
	if err != nil {
		t.Fatal(err)
	}

	editor := attSignIn(t, web, "editor@hub.test")
	editor.get("/en/contribute/att-draft")
	if r := editor.upload("/en/contribute/att-draft/attachments", "notes.txt", []byte("Draft notes.\n"), true); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.status)
	}
	links := attachmentLinks(editor.get("/en/contribute/att-draft").body)
	file := links["notes.txt"]
	if file == "" {
		t.Fatalf("not listed: %v", links)
	}
	if r := editor.get(file); r.status != http.StatusOK || r.header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		r.header.Get("Content-Disposition") != "attachment; filename*=UTF-8''notes.txt" {
		t.Errorf("the editor: %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
	}
	if r := attSignIn(t, web, "moderator@hub.test").get(file); r.status != http.StatusOK {
		t.Errorf("a moderator: %d", r.status)
	}
	if r := newBrowser(t, web).get(file); r.status != http.StatusNotFound {
		t.Errorf("anonymous: %d, want 404", r.status)
	}
	if other != "" {
		if r := attSignIn(t, web, "outsider@hub.test").get(file); r.status != http.StatusNotFound {
			t.Errorf("a contributor of another organisation: %d, want 404", r.status)
		}
	}
}

// TestAttachmentTooLarge uploads through a real listener: an 11 MiB file,
// which the server refuses on its length before any handler runs, and one
// byte more than the limit, which the upload route refuses itself.
func TestAttachmentTooLarge(t *testing.T) {
	web, store := newApp(t)
	owner := ownerOf(t, store, "x-road")
	addUser(t, store, "editor@hub.test", catalogue.RoleModerator, owner)
	editor := attSignIn(t, web, "editor@hub.test")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = web.Listener(ln) }()
	t.Cleanup(func() { _ = web.Shutdown() })
	editor.base = "http://" + ln.Addr().String()
	fr := locales(t).Locale("fr")

	if r := editor.get("/fr/contribute/x-road"); r.status != http.StatusOK {
		t.Fatalf("workflow page through the listener: %d", r.status)
	}
	big := bytes.Repeat([]byte("a,b\n"), 11<<20/4)
	editor.raw = true
	r := editor.upload("/fr/contribute/x-road/attachments", "big.csv", big, true)
	editor.raw = false
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("11 MiB: status %d, want 413", r.status)
	}
	mustContain(t, "413 page", html.UnescapeString(r.body), fr.Tr("error.413.title"), fr.Tr("error.413.text"))

	editor.get("/fr/contribute/x-road")
	r = editor.upload("/fr/contribute/x-road/attachments", "big.csv", big[:catalogue.MaxAttachment+1], true)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("10 MiB + 1: status %d, want 413", r.status)
	}
	mustContain(t, "field error", html.UnescapeString(r.body), `id="f-file-error"`, fr.Tr("form.problem.too_large"))

	editor.get("/fr/contribute/x-road")
	if r := editor.upload("/fr/contribute/x-road/attachments", "big.csv", big[:catalogue.MaxAttachment], true); r.status != http.StatusSeeOther {
		t.Fatalf("exactly 10 MiB: status %d, want 303", r.status)
	}

	// Other routes keep the 1 MiB limit.
	if r := sendOversized(t, ln.Addr().String(), "POST", "/fr/contribute/x-road/state", 2<<20, "Content-Type", "application/x-www-form-urlencoded"); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB form to another route: %d, want 413", r.status)
	}
}
