package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolterrors "go.etcd.io/bbolt/errors"

	"interophub/catalogue"
)

// Source is the database the index is derived from.
type Source interface {
	PublicEntryIDs(ctx context.Context, after uint, limit int) ([]uint, error)
	IndexableEntries(ctx context.Context, ids []uint) ([]*catalogue.Entry, error)
	PendingChanges(ctx context.Context, limit int) ([]catalogue.Change, error)
	AckChanges(ctx context.Context, upTo uint) error
}

// ErrNotReady is returned while the first index is still being built.
var ErrNotReady = errors.New("search: the index is being built")

const versionKey = "mapping_version"

// Index is the full-text index in the data folder. It is safe for
// concurrent use; searches keep working while the index is rebuilt beside
// the current one and swapped in.
type Index struct {
	dir     string // the data folder; the index lives in dir/index
	log     *slog.Logger
	lessons Lessons // may be nil
	version string  // the mapping version and the lessons' fingerprint

	mu  sync.RWMutex
	idx bleve.Index // nil until a first index exists

	writeMu sync.Mutex // one writer: the syncer or a rebuild
	gen     atomic.Uint64
	cache   facetCache

	building atomic.Bool
	progress atomic.Int64 // entries indexed by the running rebuild
	total    atomic.Int64 // entries the running rebuild will index
}

// Progress reports a running rebuild: entries done and to do; done and
// total are 0 when none runs.
func (ix *Index) Progress() (done, total int64, running bool) {
	return ix.progress.Load(), ix.total.Load(), ix.building.Load()
}

// Open opens the index in dir/index. It reports whether the index must be
// rebuilt from the database: it is missing, cannot be opened, or was built
// with another mapping version or other lessons. lessons, when not nil, are
// the courses' lessons indexed with their entries. Open never blocks on
// indexing.
func Open(dir string, log *slog.Logger, lessons Lessons) (ix *Index, needsRebuild bool, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ix = &Index{dir: dir, log: log, lessons: lessons, version: MappingVersion}
	if lessons != nil {
		ix.version += "+" + lessons.Fingerprint()
	}
	path := filepath.Join(dir, "index")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return ix, true, nil
	}
	idx, err := openExisting(path)
	if errors.Is(err, ErrInUse) {
		return nil, false, err
	}
	if err != nil {
		log.Warn("search index unusable, it will be rebuilt", "err", err)
		return ix, true, nil
	}
	v, err := idx.GetInternal([]byte(versionKey))
	if err != nil || string(v) != ix.version {
		log.Warn("search index has another mapping version or other lessons, it will be rebuilt", "have", string(v), "want", ix.version)
		// Keep serving the old index until the new one is ready.
		ix.idx = idx
		return ix, true, nil
	}
	ix.idx = idx
	return ix, false, nil
}

// ErrInUse is returned when another process has the index open: one
// process at a time may use the data folder's index.
var ErrInUse = errors.New("search: the index is in use by another process (is the site running? stop it first)")

// openExisting opens the index folder at path, failing fast when another
// process holds it.
func openExisting(path string) (bleve.Index, error) {
	// unsafe_batch is set off explicitly: Bleve stores the creation config in
	// the folder, and a rebuilt index was created with unsafe batches, which
	// would let the outbox be acknowledged before a batch is on disk.
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "2s", "unsafe_batch": false})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrInUse
	}
	return idx, err
}

// Close closes the index.
func (ix *Index) Close() error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return nil
	}
	err := ix.idx.Close()
	ix.idx = nil
	return err
}

// current returns the index to search, or ErrNotReady.
func (ix *Index) current() (bleve.Index, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrNotReady
	}
	return ix.idx, nil
}

// Ready reports whether the index answers: ErrNotReady before a first
// index exists, or the error reading it.
func (ix *Index) Ready() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return ErrNotReady
	}
	_, err := ix.idx.DocCount()
	return err
}

func newIndex(path, version string, bulk bool) (bleve.Index, error) {
	m, err := buildMapping()
	if err != nil {
		return nil, err
	}
	cfg := map[string]any{}
	if bulk {
		// A rebuild does not wait for each batch to reach the disk; it waits
		// once, for the last, before the folder is swapped in.
		cfg["unsafe_batch"] = true
	}
	idx, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, cfg)
	if err != nil {
		return nil, err
	}
	if err := idx.SetInternal([]byte(versionKey), []byte(version)); err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}

// rebuildBatch is how many entries a rebuild reads and indexes at once.
const rebuildBatch = 1000

// persistEvery is how many rebuild batches may be in memory, unpersisted.
const persistEvery = 8

// Rebuild indexes every public entry of src into a new folder, then swaps it
// in for the current index. progress, when not nil, is called after each
// batch. Searches keep using the old index meanwhile; changes queued in the
// outbox during the rebuild are applied afterwards by Sync.
func (ix *Index) Rebuild(ctx context.Context, src Source, total int64, progress func(done, total int64)) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.building.Store(true)
	ix.progress.Store(0)
	ix.total.Store(total)
	defer func() { ix.building.Store(false); ix.progress.Store(0); ix.total.Store(0) }()

	start := time.Now()
	tmp := filepath.Join(ix.dir, fmt.Sprintf("index.new-%d", start.UnixNano()))
	idx, err := newIndex(tmp, ix.version, true)
	if err != nil {
		return fmt.Errorf("search: rebuild: %w", err)
	}
	fail := func(err error) error {
		idx.Close()
		os.RemoveAll(tmp)
		return fmt.Errorf("search: rebuild: %w", err)
	}
	// The database is read one batch ahead of the indexing.
	type loaded struct {
		entries []*catalogue.Entry
		err     error
	}
	batches := make(chan loaded, 2)
	loadCtx, stopLoading := context.WithCancel(ctx)
	defer stopLoading()
	go func() {
		defer close(batches)
		var after uint
		for {
			ids, err := src.PublicEntryIDs(loadCtx, after, rebuildBatch)
			if err != nil || len(ids) == 0 {
				if err != nil {
					batches <- loaded{err: err}
				}
				return
			}
			after = ids[len(ids)-1]
			entries, err := src.IndexableEntries(loadCtx, ids)
			select {
			case batches <- loaded{entries, err}:
			case <-loadCtx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var done int64
	batchNo := 0
	for l := range batches {
		if l.err != nil {
			return fail(l.err)
		}
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		b := idx.NewBatch()
		for _, e := range l.entries {
			if err := b.Index(docID(e.ID), document(e, ix.lessons)); err != nil {
				return fail(err)
			}
		}
		// Now and then wait for the disk to catch up, so that unpersisted
		// segments do not pile up in memory.
		batchNo++
		var persisted chan error
		if batchNo%persistEvery == 0 {
			persisted = make(chan error, 1)
			b.SetPersistedCallback(func(err error) { persisted <- err })
		}
		if err := idx.Batch(b); err != nil {
			return fail(err)
		}
		if persisted != nil {
			if err := <-persisted; err != nil {
				return fail(err)
			}
		}
		done += int64(len(l.entries))
		ix.progress.Store(done)
		if progress != nil {
			progress(done, max(total, done))
		}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	// Wait until everything is on disk: the persister reports a batch once
	// a snapshot holding it, and so every batch before it, is persisted.
	last := idx.NewBatch()
	last.SetInternal([]byte(versionKey), []byte(ix.version))
	persisted := make(chan error, 1)
	last.SetPersistedCallback(func(err error) { persisted <- err })
	if err := idx.Batch(last); err != nil {
		return fail(err)
	}
	if err := <-persisted; err != nil {
		return fail(err)
	}
	if err := idx.Close(); err != nil {
		return fail(err)
	}
	if err := ix.swap(tmp); err != nil {
		return fmt.Errorf("search: rebuild: %w", err)
	}
	ix.log.Info("search index rebuilt", "entries", done, "ms", time.Since(start).Milliseconds())
	return nil
}

// swap replaces dir/index with the complete index in folder tmp.
func (ix *Index) swap(tmp string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	path := filepath.Join(ix.dir, "index")
	if ix.idx != nil {
		if err := ix.idx.Close(); err != nil {
			ix.log.Warn("close the old search index", "err", err)
		}
		ix.idx = nil
	}
	old := path + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	os.RemoveAll(old)
	idx, err := openExisting(path)
	if err != nil {
		return err
	}
	ix.idx = idx
	ix.gen.Add(1)
	return nil
}
