package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"interophub/catalogue"
	"interophub/search"
)

// runningIndex is the search index of a running site with its background
// work: a rebuild when the index is missing, corrupt or outdated, and the
// outbox sync.
type runningIndex struct {
	*search.Index
	cancel context.CancelFunc
	wg     sync.WaitGroup
	log    *slog.Logger
}

// syncInterval is how often the outbox is checked when no write wakes it.
const syncInterval = 500 * time.Millisecond

// openIndex opens the search index in the data folder and starts its
// background work. Start-up never waits for indexing: a rebuild runs while
// the site serves (the search page says so until it is done).
func openIndex(ctx context.Context, dataDir string, store *catalogue.Store, lessons search.Lessons, logger *slog.Logger) (*runningIndex, error) {
	ix, needsRebuild, err := search.Open(dataDir, logger, lessons)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &runningIndex{Index: ix, cancel: cancel, log: logger}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if needsRebuild {
			total, err := publicEntries(ctx, store)
			if err == nil {
				err = ix.Rebuild(ctx, store, total, nil)
			}
			if err != nil && ctx.Err() == nil {
				logger.Error("rebuild the search index", "err", err)
			}
		}
		ix.Sync(ctx, store, store.Changes(), syncInterval)
	}()
	return r, nil
}

// close stops the background work and closes the index.
func (r *runningIndex) close() {
	r.cancel()
	r.wg.Wait()
	if err := r.Close(); err != nil {
		r.log.Error("close the search index", "err", err)
	}
}

func publicEntries(ctx context.Context, store *catalogue.Store) (int64, error) {
	counts, err := store.CountByKind(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, n := range counts {
		total += n
	}
	return total, nil
}

func parseReindex(args []string, stderr io.Writer) (string, error) {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr("HUB_DATA", "./data"), "data folder: database, index (env HUB_DATA)")
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "reindex: unexpected argument %q\n", fs.Arg(0))
		return "", fmt.Errorf("unexpected argument")
	}
	return *data, nil
}

// reindex rebuilds the index from the database, with a progress bar on a
// terminal and a progress line every few seconds otherwise. A running site
// must be stopped first: the index folder has one writer.
func reindex(ctx context.Context, dataDir string, out io.Writer, logger *slog.Logger) error {
	store, err := openStore(ctx, dataDir)
	if err != nil {
		return err
	}
	defer store.Close()
	ix, _, err := search.Open(dataDir, logger, loadCourses(logger))
	if err != nil {
		return err
	}
	defer ix.Close()
	total, err := publicEntries(ctx, store)
	if err != nil {
		return err
	}
	start := time.Now()
	var progress func(done, total int64)
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions64(total, progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription("indexing"), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("entries"),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(out) }))
		progress = func(done, _ int64) { _ = bar.Set64(done) }
	} else {
		last := time.Time{}
		progress = func(done, total int64) {
			if time.Since(last) >= 2*time.Second || done == total {
				last = time.Now()
				fmt.Fprintf(out, "indexed %d of %d entries (%d%%)\n", done, total, done*100/max(total, 1))
			}
		}
	}
	if err := ix.Rebuild(ctx, store, total, progress); err != nil {
		return err
	}
	// Changes queued while rebuilding (or before) are in the new index now.
	if _, err := ix.SyncOnce(ctx, store); err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(out, "rebuilt the search index: %d entries in %.1f s (%.0f entries/s)\n", total, elapsed.Seconds(), float64(total)/elapsed.Seconds())
	return nil
}
