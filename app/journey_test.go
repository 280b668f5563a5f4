package app_test

import (
	"context"
	"html"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"interophub/app"
	"interophub/catalogue"
	"interophub/notify"
	"interophub/search"
)

// inbox is a real SMTP server on 127.0.0.1 that keeps what it receives.
type inbox struct {
	mu   sync.Mutex
	msgs []delivered
	port int
}

type delivered struct {
	To, Subject, Text, MessageID string
}

func startInbox(t *testing.T) *inbox {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in := &inbox{port: l.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &inboxSession{in: in}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return in
}

// to returns the messages received for one address.
func (in *inbox) to(addr string) []delivered {
	in.mu.Lock()
	defer in.mu.Unlock()
	var out []delivered
	for _, m := range in.msgs {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

type inboxSession struct {
	in *inbox
	to []string
}

func (s *inboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *inboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *inboxSession) Reset()        { s.to = nil }
func (s *inboxSession) Logout() error { return nil }
func (s *inboxSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	s.in.mu.Lock()
	defer s.in.mu.Unlock()
	for _, to := range s.to {
		s.in.msgs = append(s.in.msgs, delivered{To: to, Subject: subject, Text: string(text), MessageID: msg.Header.Get("Message-Id")})
	}
	return nil
}

// mailWorker is the site's notification worker delivering to a real SMTP
// server on 127.0.0.1, whose inbox the test reads.
func mailWorker(t *testing.T, store *catalogue.Store) (*inbox, *notify.Worker) {
	t.Helper()
	mailbox := startInbox(t)
	key, err := store.Secret(context.Background(), "unsubscribe")
	if err != nil {
		t.Fatal(err)
	}
	composer, err := app.NewMailComposer(nil, "http://hub.test", key)
	if err != nil {
		t.Fatal(err)
	}
	sender, err := notify.NewSMTPSender(notify.SMTPConfig{Host: "127.0.0.1", Port: mailbox.port, TLS: "none", From: "hub@hub.test"})
	if err != nil {
		t.Fatal(err)
	}
	return mailbox, &notify.Worker{Store: store, Sender: sender, Composer: composer}
}

var linkPattern = regexp.MustCompile(`http://hub\.test/\S+`)

// TestContributorJourney is the journey through the real app and a
// real SMTP server: register, confirm from the mail, get the contributor
// role from an administrator, propose a good practice, have changes
// requested, resubmit, get it published; it is found by search and its
// organisation's follower receives exactly one mail about it.
func TestContributorJourney(t *testing.T) {
	ctx := context.Background()
	var index *search.Index
	web, store := newApp(t, func(d *app.Deps) { index = d.Search.(*search.Index) })
	mailbox, worker := mailWorker(t, store)
	deliver := func() {
		t.Helper()
		if err := worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	const org = "ama" // owns practices in the demo catalogue
	addUser(t, store, "admin@hub.test", catalogue.RoleAdmin)
	addUser(t, store, "moderator@hub.test", catalogue.RoleModerator)
	addUser(t, store, "follower@hub.test", catalogue.RoleLearner)

	// A follower follows the organisation.
	follower := newBrowser(t, web)
	follower.signIn("follower@hub.test", testPassword)
	if r := follower.submit("/en/organisations/"+org, "/en/follow", url.Values{"target": {"organisation"}, "value": {org}, "next": {"/en/organisations/" + org}}); r.status != http.StatusSeeOther {
		t.Fatalf("follow: %d %s", r.status, r.body)
	}
	mustContain(t, "organisation page of a follower", follower.get("/en/organisations/"+org).body, "Following – stop following")

	// Register and confirm from the mail.
	ana := newBrowser(t, web)
	r := ana.submit("/en/account/register", "/en/account/register", url.Values{
		"name": {"Ana Ferreira"}, "email": {"Ana@Example.PT"}, "password": {"interoperable-services-2026"},
		"password2": {"interoperable-services-2026"}, "accept": {"yes"},
	})
	if r.status != http.StatusOK || !strings.Contains(r.body, "Check your e-mail") {
		t.Fatalf("register: %d\n%s", r.status, r.body)
	}
	deliver()
	mails := mailbox.to("ana@example.pt")
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "Confirm your e-mail address") {
		t.Fatalf("confirmation mails: %+v", mails)
	}
	confirm := linkPattern.FindString(mails[0].Text)
	if !strings.Contains(confirm, "/en/account/confirm?token=") {
		t.Fatalf("no confirmation link in %q", mails[0].Text)
	}
	// Opening the link (as a mail scanner would) confirms nothing yet;
	// the button does.
	link := strings.TrimPrefix(confirm, "http://hub.test")
	for range 2 {
		if r := ana.get(link); r.status != http.StatusOK || !strings.Contains(r.body, "Confirm my address") {
			t.Fatalf("confirmation page: %d %s", r.status, r.body)
		}
	}
	token := strings.TrimPrefix(link, "/en/account/confirm?token=")
	if r := ana.post("/en/account/confirm", url.Values{"token": {token}}); r.status != http.StatusOK || !strings.Contains(r.body, "Your address is confirmed") {
		t.Fatalf("confirm: %d %s", r.status, r.body)
	}
	if r := ana.post("/en/account/confirm", url.Values{"token": {token}}); r.status != http.StatusBadRequest {
		t.Fatalf("a used link confirmed again: %d", r.status)
	}
	ana.signIn("ana@example.pt", "interoperable-services-2026")
	if r := ana.get("/en/contribute"); r.status != http.StatusForbidden {
		t.Fatalf("a learner opened the contribution pages: %d", r.status)
	}

	// An administrator makes her a contributor of the organisation.
	admin := newBrowser(t, web)
	admin.signIn("admin@hub.test", testPassword)
	u, err := store.UserByEmail(ctx, "ana@example.pt")
	if err != nil {
		t.Fatal(err)
	}
	page := "/en/admin/users/" + itoa(u.ID)
	if r := admin.submit(page, page, url.Values{"role": {"contributor"}, "org": {org}}); r.status != http.StatusSeeOther {
		t.Fatalf("admin grants role: %d %s", r.status, r.body)
	}

	// She proposes a good practice.
	practice := url.Values{
		"kind": {"practice"}, "tl": {"en"}, "action": {"save"}, "owner": {org},
		"title":    {"Lisbon's one-stop digital counter"},
		"summary":  {"A municipal counter where citizens use every digital service with help."},
		"problem":  {"Citizens without a computer could not use online services."},
		"solution": {"Staffed counters in every parish with assisted access to zephyrine services."},
		"layer":    {"IL4"}, "country": {"PT"}, "practice.level": {"local"}, "practice.year": {"2021"},
	}
	r = ana.submit("/en/contribute/new?kind=practice", "/en/contribute/new", practice)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create practice: %d\n%s", r.status, r.body)
	}
	slug := "lisbon-s-one-stop-digital-counter"
	if loc := r.header.Get("Location"); !strings.Contains(loc, "/en/contribute/"+slug) {
		t.Fatalf("created at %q", loc)
	}
	transition := func(b *browser, to, comment string) response {
		t.Helper()
		return b.submit("/en/contribute/"+slug, "/en/contribute/"+slug+"/state", url.Values{"to": {to}, "comment": {comment}})
	}
	if r := transition(ana, "proposed", ""); r.status != http.StatusSeeOther {
		t.Fatalf("propose: %d %s", r.status, r.body)
	}

	// The moderator asks for changes; a comment is required.
	mod := newBrowser(t, web)
	mod.signIn("moderator@hub.test", testPassword)
	mustContain(t, "moderation queue", mod.get("/en/moderation").body, "Lisbon&#39;s one-stop digital counter")
	if r := transition(mod, "changes_requested", ""); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Fill in this field.") {
		t.Fatalf("changes without a comment: %d", r.status)
	}
	if r := transition(mod, "changes_requested", "Please add the results."); r.status != http.StatusSeeOther {
		t.Fatalf("request changes: %d %s", r.status, r.body)
	}
	deliver()
	mails = mailbox.to("ana@example.pt")
	if len(mails) != 2 || !strings.Contains(mails[1].Text, "Please add the results.") {
		t.Fatalf("author's mails after changes were requested: %+v", mails)
	}

	// She edits (back to draft) and proposes again; it is published.
	practice.Set("results", "Thousands of citizens served each month.")
	if r := ana.submit("/en/contribute/"+slug+"/edit", "/en/contribute/"+slug+"/edit", practice); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	mustContain(t, "workflow page after the edit", ana.get("/en/contribute/"+slug).body, "Draft")
	if r := transition(ana, "proposed", ""); r.status != http.StatusSeeOther {
		t.Fatalf("propose again: %d", r.status)
	}
	if r := transition(ana, "published", ""); r.status != http.StatusForbidden {
		t.Fatalf("a contributor published: %d", r.status)
	}
	if r := transition(mod, "published", "Thank you."); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}

	// It is public, and searchable once the index has synced.
	mustContain(t, "public page", get(t, web, "/en/practices/"+slug).body, "Thousands of citizens served each month.")
	if _, err := index.SyncOnce(ctx, store); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "search", get(t, web, "/en/search?q=zephyrine").body, "/en/practices/"+slug)

	// The follower gets exactly one mail, about the publication.
	deliver()
	deliver()
	got := mailbox.to("follower@hub.test")
	if len(got) != 1 || !strings.Contains(got[0].Subject, "Published: Lisbon's one-stop digital counter") {
		t.Fatalf("follower's mails: %+v", got)
	}
	unsub := regexp.MustCompile(`http://hub\.test/unsubscribe/\S+`).FindString(got[0].Text)
	if unsub == "" {
		t.Fatalf("no unsubscribe link in %q", got[0].Text)
	}
	// The history shows the whole workflow.
	hist := mod.get("/en/contribute/" + slug + "/history").body
	mustContain(t, "history", hist, "Please add the results.", "Changes requested", "Published", "Ana Ferreira", "moderator")

	// One click on the unsubscribe link (a mail program's POST, no cookies).
	req, _ := http.NewRequest(http.MethodPost, strings.TrimPrefix(unsub, "http://hub.test"), strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := web.Test(req, -1)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %v %v", res.StatusCode, err)
	}
	if follows, _ := store.Follows(ctx, mustUser(t, store, "follower@hub.test").ID); len(follows) != 0 {
		t.Fatalf("still following after unsubscribing: %+v", follows)
	}
}

func mustUser(t testing.TB, store *catalogue.Store, email string) *catalogue.User {
	t.Helper()
	u, err := store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// TestRevisionOfAPublishedEntry: a contributor's edit to a published entry
// (which someone else created) waits for a moderator while the page keeps
// the published text; the moderator sends it back, the contributor is told
// by mail with the comment, proposes again and it is validated.
func TestRevisionOfAPublishedEntry(t *testing.T) {
	ctx := context.Background()
	web, store := newApp(t)
	mailbox, worker := mailWorker(t, store)
	addUser(t, store, "rui@hub.test", catalogue.RoleContributor, "ama")
	addUser(t, store, "moderator@hub.test", catalogue.RoleModerator)
	rui, mod := newBrowser(t, web), newBrowser(t, web)
	rui.signIn("rui@hub.test", testPassword)
	mod.signIn("moderator@hub.test", testPassword)

	// Rui changes the English title of Citizen Spots.
	edit := "/en/contribute/citizen-spots/edit"
	form := rui.get(edit)
	if form.status != http.StatusOK || !strings.Contains(form.body, "Your changes will be proposed to the moderators") {
		t.Fatalf("edit form of a published entry: %d", form.status)
	}
	values := formValues(t, form.body)
	values.Set("title", "Citizen Spots: assisted digital services in Portugal")
	values.Set("note", "A clearer title")
	values.Set("action", "save")
	if r := rui.post(edit, values); r.status != http.StatusSeeOther {
		t.Fatalf("propose a change: %d\n%s", r.status, r.body)
	}
	if page := get(t, web, "/en/practices/citizen-spots").body; strings.Contains(page, "assisted digital services in Portugal") {
		t.Fatal("the proposed title went online before a moderator validated it")
	}
	queue := mod.get("/en/moderation").body
	review := regexp.MustCompile(`/en/moderation/revisions/\d+`).FindString(queue)
	if review == "" {
		t.Fatalf("the proposal is not in the moderation queue:\n%s", queue)
	}
	page := mod.get(review)
	mustContain(t, "review", page.body, "assisted digital services in Portugal", "A clearer title")
	if r := mod.post(review, url.Values{"decision": {"changes"}, "comment": {"Keep the Portuguese name in the title."}}); r.status != http.StatusSeeOther {
		t.Fatalf("send back: %d", r.status)
	}
	if err := worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	mails := mailbox.to("rui@hub.test")
	if len(mails) != 1 || !strings.Contains(mails[0].Text, "Keep the Portuguese name in the title.") ||
		!strings.Contains(mails[0].Subject, "Changes requested for your proposal") {
		t.Fatalf("the author of the revision was not told: %+v", mails)
	}

	// He opens the form again: it holds his proposal, not the published
	// text, with the moderator's comment; he proposes again and the
	// moderator validates; the page changes.
	again := rui.get(edit)
	mustContain(t, "edit form after changes were requested", again.body,
		`value="Citizen Spots: assisted digital services in Portugal"`, "Keep the Portuguese name in the title.")
	values = formValues(t, again.body)
	values.Set("title", "Citizen Spots (Espaços Cidadão): assisted digital services")
	values.Set("action", "save")
	if r := rui.post(edit, values); r.status != http.StatusSeeOther {
		t.Fatalf("propose again: %d", r.status)
	}
	review = regexp.MustCompile(`/en/moderation/revisions/\d+`).FindString(mod.get("/en/moderation").body)
	mod.get(review)
	if r := mod.post(review, url.Values{"decision": {"approve"}}); r.status != http.StatusSeeOther {
		t.Fatalf("validate: %d", r.status)
	}
	mustContain(t, "public page", get(t, web, "/en/practices/citizen-spots").body, "Citizen Spots (Espaços Cidadão): assisted digital services")
	if err := worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if mails := mailbox.to("rui@hub.test"); len(mails) != 2 || !strings.Contains(mails[1].Subject, "are online") {
		t.Fatalf("the author was not told of the validation: %+v", mails)
	}
	hist := mod.get("/en/contribute/citizen-spots/history").body
	mustContain(t, "history", hist, "Keep the Portuguese name in the title.", "rui")
}

var (
	inputPattern    = regexp.MustCompile(`<input[^>]*\bname="([^"]+)"[^>]*>`)
	valuePattern    = regexp.MustCompile(`\bvalue="([^"]*)"`)
	textareaPattern = regexp.MustCompile(`(?s)<textarea[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectPattern   = regexp.MustCompile(`(?s)<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>`)
	selectedPattern = regexp.MustCompile(`<option value="([^"]*)"[^>]*\bselected`)
)

// formValues reads the values a form on the page would send as it is:
// text inputs, checked boxes, text areas and selected options.
func formValues(t testing.TB, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range inputPattern.FindAllStringSubmatch(page, -1) {
		tag, name := m[0], html.UnescapeString(m[1])
		if strings.Contains(tag, `type="submit"`) || (strings.Contains(tag, `type="checkbox"`) || strings.Contains(tag, `type="radio"`)) && !strings.Contains(tag, " checked") {
			continue
		}
		if val := valuePattern.FindStringSubmatch(tag); val != nil {
			v.Add(name, html.UnescapeString(val[1]))
		}
	}
	for _, m := range textareaPattern.FindAllStringSubmatch(page, -1) {
		v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	for _, m := range selectPattern.FindAllStringSubmatch(page, -1) {
		for _, o := range selectedPattern.FindAllStringSubmatch(m[2], -1) {
			v.Add(html.UnescapeString(m[1]), html.UnescapeString(o[1]))
		}
	}
	return v
}

// TestEditorKeepsAndAddsReuses: the form of a solution shows who reuses it
// (prefilled), a moderator adds an organisation and marks it featured, and
// the public page lists it; a contributor's form has no featured box.
func TestEditorKeepsAndAddsReuses(t *testing.T) {
	web, store := newApp(t)
	addUser(t, store, "moderator@hub.test", catalogue.RoleModerator)
	addUser(t, store, "ria@hub.test", catalogue.RoleContributor, ownerOf(t, store, "x-road"))
	mod := newBrowser(t, web)
	mod.signIn("moderator@hub.test", testPassword)
	edit := "/en/contribute/x-road/edit"
	page := mod.get(edit)
	values := formValues(t, page.body)
	if values.Get("reuse.0.org") == "" || !strings.Contains(page.body, `name="featured"`) {
		t.Fatalf("the form lacks the recorded reuse or the featured box: reuse.0.org=%q", values.Get("reuse.0.org"))
	}
	n := 0
	for values.Get("reuse."+strconv.Itoa(n)+".org") != "" {
		n++
	}
	row := "reuse." + strconv.Itoa(n) + "."
	values.Set(row+"org", "ama")
	values.Set(row+"since", "2019")
	values.Set(row+"note", "Studied for the Portuguese interoperability platform.")
	values.Set("action", "save")
	if r := mod.post(edit, values); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	public := get(t, web, "/en/solutions/x-road").body
	mustContain(t, "public page", public, "Agency for Administrative Modernisation", "Studied for the Portuguese interoperability platform.")
	if after := formValues(t, mod.get(edit).body); after.Get("reuse.0.org") != values.Get("reuse.0.org") {
		t.Fatalf("the first reuse changed from %q to %q", values.Get("reuse.0.org"), after.Get("reuse.0.org"))
	}
	ria := newBrowser(t, web)
	ria.signIn("ria@hub.test", testPassword)
	if strings.Contains(ria.get(edit).body, `name="featured"`) {
		t.Fatal("a contributor is offered the featured box")
	}
}
