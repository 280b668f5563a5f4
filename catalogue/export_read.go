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
// when an entry is published, unpublished or edited (the number of public
// entries or the latest update changes), so that an export built from an
// older state can be told apart.
func (s *Store) PublicVersion(ctx context.Context) (string, error) {
	var row struct {
		N      int64
		Latest string
	}
	err := s.r.WithContext(ctx).Model(&Entry{}).Select("COUNT(*) AS n, COALESCE(MAX(updated_at), '') AS latest").
		Where("state IN ?", PublicStates).Scan(&row).Error
	if err != nil {
		return "", fmt.Errorf("catalogue: public version: %w", err)
	}
	return fmt.Sprintf("%d@%s", row.N, row.Latest), nil
}
