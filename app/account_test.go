package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"interophub/app"
	"interophub/catalogue"
)

func TestSessionCookieFlags(t *testing.T) {
	for _, tt := range []struct {
		base, name string
		secure     bool
	}{
		{"http://hub.test", "session", false},
		{"https://hub.example.eu", "__Host-session", true},
	} {
		t.Run(tt.base, func(t *testing.T) {
			web, store := newApp(t, func(d *app.Deps) { d.BaseURL = tt.base })
			addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
			b := newBrowser(t, web)
			b.get("/en/signin")
			old := "stale-session-from-before"
			b.cookies[tt.name] = old
			r := b.post("/en/signin", url.Values{"email": {"lea@hub.test"}, "password": {testPassword}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("sign in: %d", r.status)
			}
			var found bool
			for _, line := range r.header.Values("Set-Cookie") {
				if !strings.HasPrefix(line, tt.name+"=") {
					continue
				}
				found = true
				value := strings.SplitN(strings.TrimPrefix(line, tt.name+"="), ";", 2)[0]
				if len(value) < 43 || value == old {
					t.Errorf("session id %q: want a new 32-byte token", value)
				}
				for _, want := range []string{"httponly", "samesite=lax", "path=/"} {
					if !strings.Contains(strings.ToLower(line), want) {
						t.Errorf("cookie %q lacks %s", line, want)
					}
				}
				if strings.Contains(line, "; secure") != tt.secure {
					t.Errorf("cookie %q: Secure should be %v", line, tt.secure)
				}
			}
			if !found {
				t.Fatalf("no %s cookie in %v", tt.name, r.header.Values("Set-Cookie"))
			}
			if r := b.get("/en/account"); r.status != http.StatusOK || !strings.Contains(r.body, "lea@hub.test") {
				t.Fatalf("account page after sign-in: %d", r.status)
			}
			// Signing out ends the session on the server, not only in the browser.
			token := b.cookies[tt.name]
			b.post("/en/signout", url.Values{})
			b.cookies[tt.name] = token
			if r := b.get("/en/account"); r.status != http.StatusSeeOther {
				t.Fatalf("account page with a signed-out session: %d", r.status)
			}
		})
	}
}

func TestSessionTimeouts(t *testing.T) {
	ctx := context.Background()
	_, store := newApp(t)
	u := addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	start := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	token, err := store.CreateSession(ctx, u.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	// Active every few hours: alive until the absolute limit.
	at := start
	for at.Sub(start) < app.SessionMaxAge-app.SessionIdle {
		at = at.Add(app.SessionIdle - time.Hour)
		if _, err := store.SessionUser(ctx, token, at, app.SessionIdle, app.SessionMaxAge); err != nil {
			t.Fatalf("active session ended at %v: %v", at.Sub(start), err)
		}
	}
	if _, err := store.SessionUser(ctx, token, start.Add(app.SessionMaxAge+time.Minute), app.SessionIdle, app.SessionMaxAge); err == nil {
		t.Fatal("a session outlived the absolute timeout")
	}
	idle, _ := store.CreateSession(ctx, u.ID, start)
	if _, err := store.SessionUser(ctx, idle, start.Add(app.SessionIdle+time.Minute), app.SessionIdle, app.SessionMaxAge); err == nil {
		t.Fatal("an idle session stayed open")
	}
}

func TestFormsNeedTheCSRFToken(t *testing.T) {
	web, store := newApp(t)
	addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	b := newBrowser(t, web)
	b.signIn("lea@hub.test", testPassword)
	for _, tt := range []struct {
		name string
		form url.Values
		head map[string]string
	}{
		{"no token", url.Values{"_csrf": {""}}, nil},
		{"wrong token", url.Values{"_csrf": {"forged"}}, nil},
		{"cross-site", url.Values{}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := cloneValues(tt.form)
			form.Set("name", "Changed by another site")
			form.Set("lang", "en")
			form.Set("digest", "daily")
			if _, set := form["_csrf"]; !set {
				b.get("/en/account")
				form.Set("_csrf", b.csrf)
			}
			for k, v := range tt.head {
				b.Header.Set(k, v)
			}
			r := b.post("/en/account", form)
			b.Header = http.Header{}
			if r.status != http.StatusForbidden || !strings.Contains(r.body, "You cannot do this here") {
				t.Fatalf("status %d", r.status)
			}
		})
	}
	if u := mustUser(t, store, "lea@hub.test"); u.Name != "lea" {
		t.Fatalf("a forged form changed the name to %q", u.Name)
	}
	// The same form with the token works.
	if r := b.submit("/en/account", "/en/account", url.Values{"name": {"Lea"}, "lang": {"fr"}, "digest": {"weekly"}}); r.status != http.StatusSeeOther {
		t.Fatalf("genuine form: %d", r.status)
	}
}

func TestSignInRateLimit(t *testing.T) {
	web, store := newApp(t)
	addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	b := newBrowser(t, web)
	b.get("/de/signin")
	for i := 1; i <= 5; i++ {
		r := b.post("/de/signin", url.Values{"email": {"lea@hub.test"}, "password": {"wrong password " + itoa(uint(i))}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("try %d: %d", i, r.status)
		}
	}
	r := b.post("/de/signin", url.Values{"email": {"lea@hub.test"}, "password": {testPassword}})
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("6th try in a minute: %d", r.status)
	}
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	mustContain(t, "429 page in German", r.body, `lang="de"`, "Zu viele Anfragen")
}

func TestRegistrationChecks(t *testing.T) {
	web, store := newApp(t)
	b := newBrowser(t, web)
	r := b.submit("/fr/account/register", "/fr/account/register", url.Values{
		"name": {"Élodie"}, "email": {"elodie@example"}, "password": {"password123"}, "password2": {"password124"},
	})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad registration: %d", r.status)
	}
	// What was typed is kept (but not the passwords), problems are in French.
	mustContain(t, "form", r.body, `value="Élodie"`, `value="elodie@example"`, `aria-invalid="true"`)
	if strings.Contains(r.body, "password123") {
		t.Error("the password was written back into the page")
	}
	for _, pw := range []string{"password", "12345678", "iloveyou", "Qwertyuiop"} {
		if p := catalogue.CheckPassword(pw, "x@y.eu"); p != "common" && p != "too_short" {
			t.Errorf("CheckPassword(%q) = %q", pw, p)
		}
	}
	if n := catalogue.CommonPasswordCount(); n < 10000 {
		t.Errorf("the common password list has %d entries", n)
	}
	// The honeypot: a bot that fills every field gets the usual answer and no account.
	r = b.submit("/en/account/register", "/en/account/register", url.Values{
		"name": {"Bot"}, "email": {"bot@spam.test"}, "password": {"a-long-unusual-pass"}, "password2": {"a-long-unusual-pass"},
		"accept": {"yes"}, "website": {"http://spam.test"},
	})
	if r.status != http.StatusOK {
		t.Fatalf("honeypot: %d", r.status)
	}
	if _, err := store.UserByEmail(context.Background(), "bot@spam.test"); err == nil {
		t.Error("the honeypot let a bot register")
	}
}

func TestPagesByRole(t *testing.T) {
	web, store := newApp(t)
	browsers := map[string]*browser{"anonymous": newBrowser(t, web)}
	for _, role := range catalogue.Roles {
		addUser(t, store, string(role)+"@hub.test", role, "ama")
		b := newBrowser(t, web)
		b.signIn(string(role)+"@hub.test", testPassword)
		browsers[string(role)] = b
	}
	// 303 = sent to sign in, 403 = refused.
	table := []struct {
		path string
		want map[string]int
	}{
		{"/en/account", map[string]int{"anonymous": 303, "learner": 200, "contributor": 200, "moderator": 200, "admin": 200}},
		{"/en/contribute", map[string]int{"anonymous": 303, "learner": 403, "contributor": 200, "moderator": 200, "admin": 200}},
		{"/en/contribute/new?kind=practice", map[string]int{"anonymous": 303, "learner": 403, "contributor": 200, "moderator": 200, "admin": 200}},
		{"/en/contribute/citizen-spots", map[string]int{"anonymous": 303, "learner": 403, "contributor": 200, "moderator": 200, "admin": 200}},
		{"/en/contribute/x-road/edit", map[string]int{"anonymous": 303, "learner": 403, "contributor": 403, "moderator": 200, "admin": 200}},
		{"/en/contribute/citizen-spots/history", map[string]int{"anonymous": 303, "learner": 403, "contributor": 200, "moderator": 200, "admin": 200}},
		{"/en/moderation", map[string]int{"anonymous": 303, "learner": 403, "contributor": 403, "moderator": 200, "admin": 200}},
		{"/en/moderation/misses", map[string]int{"anonymous": 303, "learner": 403, "contributor": 403, "moderator": 200, "admin": 200}},
		{"/en/admin/users", map[string]int{"anonymous": 303, "learner": 403, "contributor": 403, "moderator": 403, "admin": 200}},
		{"/en/admin/mail", map[string]int{"anonymous": 303, "learner": 403, "contributor": 403, "moderator": 403, "admin": 200}},
	}
	for _, row := range table {
		for who, want := range row.want {
			if r := browsers[who].get(row.path); r.status != want {
				t.Errorf("%s as %s: %d, want %d", row.path, who, r.status, want)
			}
		}
	}
}

func TestSafeNext(t *testing.T) {
	web, store := newApp(t, func(d *app.Deps) { d.Limits = app.Limits{SignIn: 100, Posts: 100} })
	addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	for next, want := range map[string]string{
		"/en/solutions/x-road?tab=1":         "/en/solutions/x-road?tab=1",
		"//evil.test/":                       "/en/account",
		"/\\evil.test":                       "/en/account",
		"/\t/evil.test/":                     "/en/account",
		"/\r\nSet-Cookie: injected=1":        "/en/account",
		"https://evil.test/":                 "/en/account",
		"javascript:alert(1)":                "/en/account",
		"/en/%0d%0aSet-Cookie:%20injected=1": "/en/%0d%0aSet-Cookie:%20injected=1",
	} {
		b := newBrowser(t, web)
		b.get("/en/signin")
		r := b.post("/en/signin", url.Values{"email": {"lea@hub.test"}, "password": {testPassword}, "next": {next}})
		if got := r.header.Get("Location"); r.status != http.StatusSeeOther || got != want {
			t.Errorf("next %q: %d Location %q, want %q", next, r.status, got, want)
		}
		if r.header.Get("Set-Cookie") != "" && strings.Contains(strings.Join(r.header.Values("Set-Cookie"), ";"), "injected") {
			t.Errorf("next %q injected a header", next)
		}
	}
}

// TestRateLimitBehindAProxy: behind a trusted reverse proxy each client is
// counted by its own address from X-Forwarded-For.
func TestRateLimitBehindAProxy(t *testing.T) {
	web, _ := newApp(t, func(d *app.Deps) { d.TrustedProxies = []string{"0.0.0.0"} })
	try := func(client string, i int) int {
		b := newBrowser(t, web)
		b.Header.Set("X-Forwarded-For", client)
		b.get("/en/signin")
		return b.post("/en/signin", url.Values{"email": {"someone" + itoa(uint(i)) + "@hub.test"}, "password": {"wrong-password"}}).status
	}
	for i := range 5 {
		if got := try("198.51.100.7", i); got != http.StatusUnprocessableEntity {
			t.Fatalf("try %d: %d", i+1, got)
		}
	}
	if got := try("198.51.100.7", 6); got != http.StatusTooManyRequests {
		t.Fatalf("6th try from one client: %d", got)
	}
	if got := try("203.0.113.9", 7); got != http.StatusUnprocessableEntity {
		t.Fatalf("another client behind the same proxy: %d", got)
	}
}

// TestAdminConfirmsAnAddress: without a mail server, an administrator can
// confirm a registered address so its owner can sign in.
func TestAdminConfirmsAnAddress(t *testing.T) {
	web, store := newApp(t)
	addUser(t, store, "admin@hub.test", catalogue.RoleAdmin)
	visitor := newBrowser(t, web)
	visitor.submit("/en/account/register", "/en/account/register", url.Values{
		"name": {"Jana"}, "email": {"jana@example.cz"}, "password": {"zelena-louka-2026"}, "password2": {"zelena-louka-2026"}, "accept": {"yes"},
	})
	if r := visitor.submit("/en/signin", "/en/signin", url.Values{"email": {"jana@example.cz"}, "password": {"zelena-louka-2026"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("an unconfirmed account signed in: %d", r.status)
	}
	admin := newBrowser(t, web)
	admin.signIn("admin@hub.test", testPassword)
	page := "/en/admin/users/" + itoa(mustUser(t, store, "jana@example.cz").ID)
	if r := admin.submit(page, page, url.Values{"role": {"learner"}, "confirm": {"yes"}}); r.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", r.status)
	}
	visitor.signIn("jana@example.cz", "zelena-louka-2026")
}
