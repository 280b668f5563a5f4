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
