package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/app"
	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/content"
	"interophub/search"
)

// demo is a data folder with the demo catalogue loaded and its search
// index built, made once per test binary: each test starts from a copy
// (building the index is what takes the time), with the courses and the UI
// strings, which no test changes, shared.
var demo struct {
	once    sync.Once
	dir     string
	courses *content.Courses
	tr      *i18n.Catalog
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demo.dir != "" {
		os.RemoveAll(demo.dir)
	}
	os.Exit(code)
}

// buildDemo makes the demo data folder.
func buildDemo() error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "interophub-app-test-")
	if err != nil {
		return err
	}
	demo.dir = dir
	courses, errs := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), i18n.Languages)
	if len(errs) > 0 {
		return fmt.Errorf("courses: %v", errs)
	}
	demo.courses = courses
	if demo.tr, err = i18n.New(); err != nil {
		return err
	}
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.LoadDemo(ctx, content.Catalogue()); err != nil {
		return err
	}
	index, _, err := search.Open(dir, nil, courses)
	if err != nil {
		return err
	}
	defer index.Close()
	return index.Rebuild(ctx, store, 0, nil)
}

// newApp builds the real application on a fresh data folder holding the
// demo catalogue. Options change the app's dependencies before it is built.
func newApp(t testing.TB, options ...func(*app.Deps)) (*fiber.App, *catalogue.Store) {
	t.Helper()
	demo.once.Do(func() { demo.err = buildDemo() })
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(demo.dir)); err != nil {
		t.Fatal(err)
	}
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	index, needs, err := search.Open(dir, nil, demo.courses)
	if err != nil || needs {
		t.Fatalf("the demo index: needs a rebuild %v, %v", needs, err)
	}
	t.Cleanup(func() { _ = index.Close() })
	deps := app.Deps{Courses: demo.courses, Translations: demo.tr,
		Catalogue: store, Search: index, Accounts: store, Workflow: store, Follows: store, Attachments: store, Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})), BaseURL: "http://hub.test",
		Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) },
	}
	for _, o := range options {
		o(&deps)
	}
	web, err := app.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	return web, store
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t testing.TB, web *fiber.App, target string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := web.Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(body)}
}

func mustContain(t testing.TB, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

// testLog sends the app's warnings and errors to the test log.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// emptyIndex is a search index that has never been built.
func emptyIndex(t testing.TB) *search.Index {
	t.Helper()
	ix, _, err := search.Open(t.TempDir(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}
