package search_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"interophub/catalogue"
	"interophub/content"
	"interophub/search"
)

// TestEditsAreSearchableWithinASecond runs the real sync loop: a saved
// edit is found within a second, a deleted entry disappears, and the
// outbox is empty afterwards.
func TestEditsAreSearchableWithinASecond(t *testing.T) {
	f := newFixture(t)
	// The demo load queued every entry; apply that first, so the clock
	// below times one edit in a steady state.
	if _, err := f.index.SyncOnce(context.Background(), f.store); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.index.Sync(ctx, f.store, f.store.Changes(), 500*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()

	demo, err := catalogue.ReadDemo(content.Catalogue())
	if err != nil {
		t.Fatal(err)
	}
	var in catalogue.EntryInput
	for _, e := range demo.Entries {
		if e.Slug == "x-road" {
			in = e
		}
	}
	for i := range in.Translations {
		if in.Translations[i].Lang == "en" {
			in.Translations[i].Summary += " Now with zebrafish telemetry."
		}
	}
	saved := time.Now()
	if _, err := f.store.SaveEntry(ctx, in); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "the edit", func() bool {
		return slices.Equal(f.top(t, search.Request{Text: "zebrafish telemetry"}, 5), []string{"x-road"})
	})
	t.Logf("edit searchable after %v", time.Since(saved))

	if err := f.store.DeleteEntry(ctx, "gov-uk-verify"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "the deletion", func() bool {
		for _, slug := range f.top(t, search.Request{Text: "gov.uk verify"}, 50) {
			if slug == "gov-uk-verify" {
				return false
			}
		}
		return true
	})
	waitFor(t, time.Second, "an empty outbox", func() bool {
		pending, err := f.store.PendingChanges(ctx, 10)
		return err == nil && len(pending) == 0
	})
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s not visible within %v", what, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestUnusableIndexIsRebuilt: a corrupt index folder, or one built with
// another mapping version, is reported for rebuilding, and the rebuild
// replaces it with a working one.
func TestUnusableIndexIsRebuilt(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	ctx := context.Background()

	// corrupt: the folder holds garbage
	if err := os.MkdirAll(filepath.Join(dir, "index"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index", "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, needs, err := search.Open(dir, nil, nil)
	if err != nil || !needs {
		t.Fatalf("corrupt index: needs rebuild %v, err %v", needs, err)
	}
	if err := ix.Rebuild(ctx, f.store, 0, nil); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, search.Request{})
	if err != nil || res.Total != len(f.ids) {
		t.Fatalf("after rebuild: %v entries, err %v; want %d", res, err, len(f.ids))
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// reopened as it is: nothing to do
	ix, needs, err = search.Open(dir, nil, nil)
	if err != nil || needs {
		t.Fatalf("good index: needs rebuild %v, err %v", needs, err)
	}
	ix.Close()
}
