package catalogue

import (
	"context"
	"fmt"
	"time"
)

// Locator is where a public page lives and when it last changed: what a
// sitemap lists. Kind is empty for an organisation.
type Locator struct {
	Kind      Kind
	Slug      string
	UpdatedAt time.Time
}

// EntryLocators returns public entries in a stable order (oldest id first),
// at most limit of them after skipping offset.
func (s *Store) EntryLocators(ctx context.Context, offset, limit int) ([]Locator, error) {
	var out []Locator
	err := s.r.WithContext(ctx).Model(&Entry{}).Select("kind, slug, updated_at").
		Where("state IN ?", PublicStates).Order("id").Offset(offset).Limit(limit).
		Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: entry locators: %w", err)
	}
	return out, nil
}

// OrganisationLocators returns every organisation, by slug.
func (s *Store) OrganisationLocators(ctx context.Context) ([]Locator, error) {
	var out []Locator
	err := s.r.WithContext(ctx).Model(&Organisation{}).Select("slug, updated_at").
		Order("slug").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: organisation locators: %w", err)
	}
	return out, nil
}
