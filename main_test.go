package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"interophub/content"
	"interophub/notify"
	"interophub/search"
)

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"serve", "--no-such-flag"}, 2, "flag provided but not defined"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "--contact-email", "editors at example"}, 2, `is not an e-mail address`},
		{[]string{"help"}, 0, "Usage: interophub"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		if code := run(tt.args, strings.NewReader(""), &out, &errOut); code != tt.code {
			t.Errorf("%v: exit %d, want %d", tt.args, code, tt.code)
		}
		if !strings.Contains(out.String()+errOut.String(), tt.out) {
			t.Errorf("%v: output %q lacks %q", tt.args, out.String()+errOut.String(), tt.out)
		}
	}
}

func TestServeFlagsAndEnvironment(t *testing.T) {
	t.Setenv("HUB_ADDR", "127.0.0.1:9999")
	t.Setenv("HUB_DATA", "/srv/hub")
	t.Setenv("HUB_CONTACT_EMAIL", "editors@hub.example.eu")
	t.Setenv("HUB_SMTP_HOST", "smtp.example.eu")
	t.Setenv("HUB_SMTP_PASSWORD", "from-the-environment-only")
	cfg, err := parseServe([]string{"--base-url", "https://hub.example.eu", "--smtp-port", "465", "--smtp-tls", "tls"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := serveConfig{Addr: "127.0.0.1:9999", Data: "/srv/hub", BaseURL: "https://hub.example.eu", Contact: "editors@hub.example.eu",
		Mail: mailConfig{SMTP: notify.SMTPConfig{Host: "smtp.example.eu", Port: 465, TLS: "tls", Password: "from-the-environment-only",
			From: "Interop Hub <noreply@localhost>"}}}
	if cfg != want {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}
}

// TestServeStartsAndStopsGracefully runs the real serve command on a free
// port with a fresh data folder: it loads the demo, answers pages, and
// returns cleanly when its context is cancelled (as on SIGTERM).
func TestServeStartsAndStopsGracefully(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cfg := serveConfig{Addr: addr, Data: t.TempDir(), BaseURL: "http://" + addr}
	go func() { done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))) }()

	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/", nil)
	req.Header.Set("Accept-Language", "pt-PT,pt;q=0.9")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/pt/" {
		t.Errorf("/ = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = client.Get("http://" + addr + "/pt/solutions/x-road")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "X-Road") {
		t.Errorf("x-road page: %d", res.StatusCode)
	}

	// The search index is built in the background; once ready, it finds.
	deadline = time.Now().Add(30 * time.Second)
	for {
		res, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the search index did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	res, err = client.Get("http://" + addr + "/en/search?q=xroad")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "/en/solutions/x-road") {
		t.Errorf("search for xroad: %d", res.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	out := logs.String()
	for _, want := range []string{"loaded the demo catalogue", "search index rebuilt", "msg=request method=GET path=/pt/solutions/x-road status=200", "shutting down"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
}

// TestReindex runs the reindex command on a data folder with the demo
// catalogue: progress lines (not a terminal), a summary, and an index that
// the next start finds usable.
func TestReindex(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	store, err := openStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadDemo(ctx, content.Catalogue()); err != nil {
		t.Fatal(err)
	}
	store.Close()

	var out, errOut bytes.Buffer
	if code := run([]string{"reindex", "--data", dir}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"indexed 64 of 64 entries (100%)", "rebuilt the search index: 64 entries in"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, errOut.String())
		}
	}
	ix, needs, err := search.Open(dir, nil, loadCourses(slog.New(slog.DiscardHandler)))
	if err != nil || needs {
		t.Fatalf("after reindex: needs rebuild %v, err %v", needs, err)
	}
	defer ix.Close()
	res, err := ix.Search(ctx, search.Request{Text: "x-road"})
	if err != nil || res.Total == 0 {
		t.Errorf("search after reindex: %v, %v", res, err)
	}
	if code := run([]string{"reindex", "extra"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("reindex with an argument: exit %d, want 2", code)
	}
	// While the index is open (as by a running site), reindex stops at once
	// with a clear message instead of waiting on the lock.
	errOut.Reset()
	if code := run([]string{"reindex", "--data", dir}, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "in use by another process") {
		t.Errorf("reindex beside an open index: exit %d, %s", code, errOut.String())
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestBenchSmall runs the bench command end to end on a small corpus and
// checks its JSON report has every documented figure.
func TestBenchSmall(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"bench", "--items", "300", "--queries", "5", "--json", "--in-process"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var res struct {
		Items int `json:"items"`
		Index struct {
			DocsPerSec float64 `json:"docs_per_sec"`
			SizeBytes  int64   `json:"size_bytes"`
		} `json:"index"`
		ColdStartMS float64                       `json:"cold_start_ms"`
		Classes     map[string]map[string]float64 `json:"classes"`
		HTTP        map[string]float64            `json:"http"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if res.Items != 300 || res.Index.DocsPerSec <= 0 || res.Index.SizeBytes <= 0 || res.ColdStartMS <= 0 {
		t.Errorf("report: %s", out.String())
	}
	for _, class := range []string{"term", "phrase", "typo", "filtered", "faceted", "browse", "suggest"} {
		c := res.Classes[class]
		for _, k := range []string{"p50_ms", "p95_ms", "p99_ms", "qps", "baseline_p50_ms", "baseline_p99_ms", "ratio_p99"} {
			if _, ok := c[k]; !ok || c["qps"] <= 0 {
				t.Errorf("class %s lacks %s: %v", class, k, c)
			}
		}
	}
	if res.HTTP["requests_per_sec"] <= 0 || res.HTTP["concurrency"] != 8 {
		t.Errorf("http: %v", res.HTTP)
	}
	if code := run([]string{"bench", "--items", "0"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("--items 0: exit %d, want 2", code)
	}
}

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	args := []string{"user", "add", "--data", dir, "--email", "Admin@Example.EU", "--name", "Ada Admin", "--role", "admin", "--password-stdin"}
	if code := run(args, strings.NewReader("a-very-long-steward-passphrase\n"), &out, &errOut); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "created Ada Admin <admin@example.eu> (admin)") {
		t.Fatalf("output %q", out.String())
	}
	store, err := openStore(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	u, err := store.Authenticate(context.Background(), "admin@example.eu", "a-very-long-steward-passphrase")
	store.Close()
	if err != nil || u.Role != "admin" || !u.Confirmed() {
		t.Fatalf("the new admin cannot sign in: %v %+v", err, u)
	}
	for _, tt := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"common password", []string{"user", "add", "--data", dir, "--email", "b@example.eu", "--name", "B", "--password-stdin"}, "password1\n", 1, "most common"},
		{"taken address", []string{"user", "add", "--data", dir, "--email", "admin@example.eu", "--name", "C", "--password-stdin"}, "another-long-passphrase\n", 1, "already exists"},
		{"unknown role", []string{"user", "add", "--data", dir, "--email", "d@example.eu", "--name", "D", "--role", "king"}, "", 2, "--role"},
		{"missing email", []string{"user", "add", "--data", dir, "--name", "E"}, "", 2, "--email is required"},
		{"no subcommand", []string{"user"}, "", 2, "Usage"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tt.args, strings.NewReader(tt.stdin), &out, &errOut); code != tt.code || !strings.Contains(errOut.String(), tt.want) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut.String(), tt.want)
			}
		})
	}
}

func TestCoursesReport(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"courses"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("courses: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"introduction-to-interoperability (", "01 why-interoperability", "complete in "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if code := run([]string{"courses", "extra"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("an extra argument: exit %d", code)
	}
	// A refused course is listed with its file and line; the report goes on.
	var report bytes.Buffer
	courses, errs := content.LoadCourses(fstest.MapFS{
		"broken/course.yaml": {Data: []byte("level: beginner\nduration: 5\npass_mark: 50\ntitle:\n  en: Broken\n")},
		"broken/01-a.en.md":  {Data: []byte("no front matter\n")},
	}, content.NewMarkdown(), []string{"en"})
	writeCoursesReport(&report, courses)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "broken/01-a.en.md:1: no front matter") || strings.Contains(report.String(), "broken (") {
		t.Errorf("errors %v, report %q", errs, report.String())
	}
}
