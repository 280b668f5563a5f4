package catalogue

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// These reads feed the search index (package search), which is derived from
// the database and rebuilt from it at any time.

// PublicEntryIDs returns the ids of public entries after id after, in id
// order, at most limit of them: the pages of a full index rebuild.
func (s *Store) PublicEntryIDs(ctx context.Context, after uint, limit int) ([]uint, error) {
	var ids []uint
	err := s.r.WithContext(ctx).Model(&Entry{}).Where("id > ? AND state IN ?", after, PublicStates).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: public entry ids: %w", err)
	}
	return ids, nil
}

// IndexableEntries loads the public entries among ids with what the search
// index needs: owner, every translation's text (Markdown, not HTML),
// vocabularies and keywords. Ids of entries that are gone or not public are
// simply absent from the result.
func (s *Store) IndexableEntries(ctx context.Context, ids []uint) ([]*Entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []*Entry
	err := s.r.WithContext(ctx).Preload("Owner").Preload("Concepts").Preload("Keywords").
		Preload("Translations", func(db *gorm.DB) *gorm.DB {
			return db.Select("id", "entry_id", "lang", "title", "summary", "body", "problem", "solution", "results", "lessons")
		}).
		Where("id IN ? AND state IN ?", ids, PublicStates).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: indexable entries: %w", err)
	}
	return out, nil
}

// KnownValue reports whether value is a value the filter called name can
// take: a kind, a vocabulary code (layer, principle, theme, country,
// language, licence, status) or an organisation's slug.
func (s *Store) KnownValue(ctx context.Context, name, value string) (bool, error) {
	switch name {
	case "kind":
		return Kind(value).Valid(), nil
	case "org":
		var n int64
		if err := s.r.WithContext(ctx).Model(&Organisation{}).Where("slug = ?", value).Count(&n).Error; err != nil {
			return false, fmt.Errorf("catalogue: known value: %w", err)
		}
		return n > 0, nil
	}
	_, ok, err := s.concept(ctx, Scheme(name), value)
	return ok, err
}

// OrganisationNames maps organisation slugs to names.
func (s *Store) OrganisationNames(ctx context.Context, slugs []string) (map[string]string, error) {
	out := make(map[string]string, len(slugs))
	if len(slugs) == 0 {
		return out, nil
	}
	var rows []struct{ Slug, Name string }
	err := s.r.WithContext(ctx).Model(&Organisation{}).Select("slug, name").Where("slug IN ?", slugs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: organisation names: %w", err)
	}
	for _, r := range rows {
		out[r.Slug] = r.Name
	}
	return out, nil
}
