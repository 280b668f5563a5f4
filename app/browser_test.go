package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// browser drives the real app like a browser without JavaScript: it keeps
// cookies and posts forms with the CSRF token of the last page it read.
type browser struct {
	t       testing.TB
	web     *fiber.App
	cookies map[string]string
	csrf    string
	// Header is sent with every request (e.g. Accept-Language).
	Header http.Header
}

func newBrowser(t testing.TB, web *fiber.App) *browser {
	return &browser{t: t, web: web, cookies: map[string]string{}, Header: http.Header{}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends a request and records the cookies and CSRF token it gets back.
func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	for k, vs := range b.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	res, err := b.web.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(b.cookies, ck.Name)
		} else {
			b.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return response{res.StatusCode, res.Header, string(body)}
}

// get reads a page.
func (b *browser) get(target string) response {
	b.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, target, nil))
}

// post sends a form with the CSRF token of the last page read (unless the
// form sets _csrf itself).
func (b *browser) post(target string, form url.Values) response {
	b.t.Helper()
	if _, set := form["_csrf"]; !set {
		form = cloneValues(form)
		form.Set("_csrf", b.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// submit reads the page of a form, then posts it: what a person does.
func (b *browser) submit(page, action string, form url.Values) response {
	b.t.Helper()
	if r := b.get(page); r.status != http.StatusOK {
		b.t.Fatalf("GET %s: %d", page, r.status)
	}
	return b.post(action, form)
}

// signIn signs in through the sign-in form and fails the test otherwise.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	r := b.submit("/en/signin", "/en/signin", url.Values{"email": {email}, "password": {password}})
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("sign in %s: status %d\n%s", email, r.status, r.body)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// testPassword is the password of the accounts tests create.
const testPassword = "plain-Language-Services-2026"

// addUser creates a confirmed account with a role and organisations.
func addUser(t testing.TB, store *catalogue.Store, email string, role catalogue.Role, orgs ...string) *catalogue.User {
	t.Helper()
	ctx := context.Background()
	u, err := store.CreateUser(ctx, catalogue.NewUser{Email: email, Name: strings.Split(email, "@")[0], Password: testPassword, Role: role, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) > 0 {
		if err := store.UpdateAccess(ctx, u.ID, role, orgs, false, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return u
}
