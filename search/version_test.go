package search

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"interophub/catalogue"
)

// TestOldMappingVersionIsRebuiltWhileServing: an index written with another
// mapping version is reported for rebuilding, and keeps answering until
// the new one is swapped in.
func TestOldMappingVersionIsRebuiltWhileServing(t *testing.T) {
	dir := t.TempDir()
	idx, err := newIndex(filepath.Join(dir, "index"), "0", false)
	if err != nil {
		t.Fatal(err)
	}
	b := idx.NewBatch()
	if err := b.Index("1", map[string]any{"kind": "solution", fieldTerms: "x-road"}); err != nil {
		t.Fatal(err)
	}
	b.SetInternal([]byte(versionKey), []byte("0"))
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}

	ix, needs, err := Open(dir, nil, nil)
	if err != nil || !needs {
		t.Fatalf("old version: needs rebuild %v, err %v", needs, err)
	}
	defer ix.Close()
	if err := ix.Ready(); err != nil {
		t.Errorf("the old index should keep serving until rebuilt: %v", err)
	}
	res, err := ix.Search(context.Background(), Request{})
	if err != nil || res.Total != 1 {
		t.Errorf("old index: %v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index")); err != nil {
		t.Error(err)
	}
}

// fakeLessons are course lessons with a given fingerprint.
type fakeLessons string

func (f fakeLessons) LessonTexts(string) map[string][]string { return nil }
func (f fakeLessons) Fingerprint() string                    { return string(f) }

// TestOtherLessonsAreRebuilt: an index built with other lesson texts is
// rebuilt; with the same ones it is not.
func TestOtherLessonsAreRebuilt(t *testing.T) {
	dir := t.TempDir()
	ix, needs, err := Open(dir, nil, fakeLessons("a"))
	if err != nil || !needs {
		t.Fatalf("new index: needs %v, %v", needs, err)
	}
	if err := ix.Rebuild(context.Background(), emptySource{}, 0, nil); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	for lessons, want := range map[fakeLessons]bool{"a": false, "b": true} {
		ix, needs, err := Open(dir, nil, lessons)
		if err != nil || needs != want {
			t.Errorf("lessons %q: needs rebuild %v, want %v (%v)", lessons, needs, want, err)
		}
		ix.Close()
	}
}

// emptySource is a database without entries.
type emptySource struct{}

func (emptySource) PublicEntryIDs(context.Context, uint, int) ([]uint, error) { return nil, nil }
func (emptySource) IndexableEntries(context.Context, []uint) ([]*catalogue.Entry, error) {
	return nil, nil
}
func (emptySource) PendingChanges(context.Context, int) ([]catalogue.Change, error) { return nil, nil }
func (emptySource) AckChanges(context.Context, uint) error                          { return nil }
