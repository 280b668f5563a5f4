package catalogue

import (
	"context"
	"fmt"
)

// PublicEntries loads public entries with everything that belongs to them,
// in id order after id after, at most limit: the pages of an export.
func (s *Store) PublicEntries(ctx context.Context, after uint, limit int) ([]*Entry, error) {
	var out []*Entry
	err := s.withEverything(ctx, PublicStates...).
		Where("id > ? AND state IN ?", after, PublicStates).Order("id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: public entries: %w", err)
	}
	for _, e := range out {
		sortConcepts(e.Concepts)
	}
	return out, nil
}

// PublicVersion identifies the state of the public catalogue: it changes
// with every applied change of an entry (each writes a revision), every
// state change (published, archived...), every organisation change and
// every entry published or unpublished, so that an export built from an
// older state can be told apart.
func (s *Store) PublicVersion(ctx context.Context) (string, error) {
	var row struct {
		N            int64
		Latest       string
		Revision     int64
		Transition   int64
		Organisation string
	}
	err := s.r.WithContext(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM entries WHERE state IN ?) AS n,
		(SELECT COALESCE(MAX(updated_at), '') FROM entries WHERE state IN ?) AS latest,
		(SELECT COALESCE(MAX(id), 0) FROM revisions) AS revision,
		(SELECT COALESCE(MAX(id), 0) FROM entry_transitions) AS transition,
		(SELECT COALESCE(MAX(updated_at), '') FROM organisations) AS organisation`,
		PublicStates, PublicStates).Scan(&row).Error
	if err != nil {
		return "", fmt.Errorf("catalogue: public version: %w", err)
	}
	return fmt.Sprintf("%d/%s/%d/%d/%s", row.N, row.Latest, row.Revision, row.Transition, row.Organisation), nil
}

// exportPage is how many entries AllPublicEntries reads at once.
const exportPage = 500

// AllPublicEntries loads every public entry with everything that belongs
// to it, a page at a time: a whole-catalogue export.
func (s *Store) AllPublicEntries(ctx context.Context) ([]*Entry, error) {
	var all []*Entry
	var after uint
	for {
		page, err := s.PublicEntries(ctx, after, exportPage)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < exportPage {
			return all, nil
		}
		after = page[len(page)-1].ID
	}
}
