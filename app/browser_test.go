package app_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net"
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
	// base, when set, is the address of a real listener to talk to
	// instead of the app in memory.
	base string
	// raw sends posts through the listener on a connection of their own,
	// reading the answer while the body is still being written, as
	// browsers do: a server refusing a body on its announced length
	// answers and closes at once, which resets the connection under a
	// client still writing.
	raw bool
}

// noRedirects answers redirects as the app does, without following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

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
	var res *http.Response
	var err error
	switch {
	case b.raw && req.Method == http.MethodPost:
		res, err = rawRoundTrip(req)
	case b.base != "":
		res, err = noRedirects.Do(req)
	default:
		res, err = b.web.Test(req, -1)
	}
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
		b.csrf = html.UnescapeString(m[1])
	}
	return response{res.StatusCode, res.Header, string(body)}
}

// get reads a page.
func (b *browser) get(target string) response {
	b.t.Helper()
	return b.do(b.request(http.MethodGet, target, nil))
}

// post sends a form with the CSRF token of the last page read (unless the
// form sets _csrf itself).
func (b *browser) post(target string, form url.Values) response {
	b.t.Helper()
	if _, set := form["_csrf"]; !set {
		form = cloneValues(form)
		form.Set("_csrf", b.csrf)
	}
	req := b.request(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// request builds a request for the app in memory or the listener.
func (b *browser) request(method, target string, body io.Reader) *http.Request {
	b.t.Helper()
	if b.base != "" {
		req, err := http.NewRequest(method, b.base+target, body)
		if err != nil {
			b.t.Fatal(err)
		}
		return req
	}
	return httptest.NewRequest(method, target, body)
}

// rawRoundTrip writes req on a new connection while reading the answer.
func rawRoundTrip(req *http.Request) (*http.Response, error) {
	conn, err := net.Dial("tcp", req.URL.Host)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	req.Close = true
	go func() { _ = req.Write(conn) }() // fails once the server has answered and closed
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, nil
}

// upload posts a file as the upload form does, with the last CSRF token
// read unless withCSRF is false.
func (b *browser) upload(target, fileName string, data []byte, withCSRF bool) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if withCSRF {
		if err := mw.WriteField("_csrf", b.csrf); err != nil {
			b.t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		b.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	req := b.request(http.MethodPost, target, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
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

// sendOversized sends, over a real connection to addr, a request that
// announces a body of contentLength bytes and sends only its start, then
// reads the answer: a server that refuses the size answers at once
// (a client writing the whole body could see its connection reset first).
func sendOversized(t testing.TB, addr, method, target string, contentLength int, headers ...string) response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: hub.test\r\nContent-Length: %d\r\n", method, target, contentLength)
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	b.WriteString("\r\n" + strings.Repeat("a", 1024))
	if _, err := conn.Write([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(body)}
}
