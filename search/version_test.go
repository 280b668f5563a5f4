package search

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestOldMappingVersionIsRebuiltWhileServing: an index written with another
// mapping version is reported for rebuilding, and keeps answering until
// the new one is swapped in.
func TestOldMappingVersionIsRebuiltWhileServing(t *testing.T) {
	dir := t.TempDir()
	idx, err := newIndex(filepath.Join(dir, "index"), false)
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

	ix, needs, err := Open(dir, nil)
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
