package search

import (
	"context"
	"fmt"
	"time"
)

// syncBatch is how many outbox rows one pass applies.
const syncBatch = 500

// SyncOnce applies the changes waiting in the outbox to the index, in
// batches, until the outbox is empty. It reports how many it applied. A
// change is removed from the outbox only once the index has it on disk, so
// a crash loses nothing: the change is applied again at the next start.
func (ix *Index) SyncOnce(ctx context.Context, src Source) (int, error) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	idx, err := ix.current()
	if err != nil {
		return 0, nil // nothing to apply to yet: the first build reads the database
	}
	applied := 0
	for {
		changes, err := src.PendingChanges(ctx, syncBatch)
		if err != nil || len(changes) == 0 {
			return applied, err
		}
		seen := map[uint]bool{}
		var ids []uint
		for _, c := range changes {
			if !seen[c.EntryID] {
				seen[c.EntryID] = true
				ids = append(ids, c.EntryID)
			}
		}
		entries, err := src.IndexableEntries(ctx, ids)
		if err != nil {
			return applied, err
		}
		b := idx.NewBatch()
		public := map[uint]bool{}
		for _, e := range entries {
			public[e.ID] = true
			if err := b.Index(docID(e.ID), document(e, ix.lessons)); err != nil {
				return applied, fmt.Errorf("search: sync: %w", err)
			}
		}
		for _, id := range ids {
			if !public[id] {
				b.Delete(docID(id)) // deleted, or no longer public
			}
		}
		if err := idx.Batch(b); err != nil {
			return applied, fmt.Errorf("search: sync: %w", err)
		}
		ix.gen.Add(1)
		if err := src.AckChanges(ctx, changes[len(changes)-1].ID); err != nil {
			return applied, err
		}
		applied += len(changes)
	}
}

// Sync applies outbox changes until ctx ends: at once when wake fires
// (the store signals each write), and at least every interval otherwise.
func (ix *Index) Sync(ctx context.Context, src Source, wake <-chan struct{}, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := ix.SyncOnce(ctx, src); err != nil && ctx.Err() == nil {
			ix.log.Error("search index sync", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
	}
}
