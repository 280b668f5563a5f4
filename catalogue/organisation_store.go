package catalogue

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SaveOrganisation creates the organisation or, when its slug exists,
// updates it; descriptions are upserted per language.
func (s *Store) SaveOrganisation(ctx context.Context, o Organisation) (*Organisation, error) {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return saveOrganisation(tx, &o) })
	if err != nil {
		return nil, fmt.Errorf("catalogue: save organisation %q: %w", o.Slug, err)
	}
	return &o, nil
}

func saveOrganisation(tx *gorm.DB, o *Organisation) error {
	var problems []FieldError
	if !slugPattern.MatchString(o.Slug) {
		problems = append(problems, FieldError{"slug", "format"})
	}
	if strings.TrimSpace(o.Name) == "" {
		problems = append(problems, FieldError{"name", "required"})
	}
	if len(problems) > 0 {
		return &ValidationError{Fields: problems}
	}
	translations := o.Translations
	o.Translations = nil
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "slug"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "acronym", "type", "country", "website", "updated_at"}),
	}).Create(o).Error
	if err != nil {
		return err
	}
	if o.ID == 0 { // some drivers report no id on the update path
		if err := tx.Select("id").Where("slug = ?", o.Slug).Take(o).Error; err != nil {
			return err
		}
	}
	for i := range translations {
		translations[i].ID, translations[i].OrganisationID = 0, o.ID
	}
	if len(translations) > 0 {
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "organisation_id"}, {Name: "lang"}},
			DoUpdates: clause.AssignmentColumns([]string{"description"}),
		}).Create(&translations).Error
		if err != nil {
			return err
		}
	}
	o.Translations = translations
	return nil
}

// OrganisationBySlug loads an organisation with its descriptions.
func (s *Store) OrganisationBySlug(ctx context.Context, slug string) (*Organisation, error) {
	var o Organisation
	err := s.r.WithContext(ctx).Preload("Translations").Where("slug = ?", slug).Take(&o).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: organisation %q: %w", slug, notFound(err))
	}
	return &o, nil
}

// ReuseOf is an entry an organisation reuses, with the reuse record.
type ReuseOf struct {
	Entry *Entry
	Reuse Reuse
}

// ReusedBy lists the public entries an organisation reuses.
func (s *Store) ReusedBy(ctx context.Context, orgID uint, lang string) ([]ReuseOf, error) {
	var reuses []Reuse
	err := s.r.WithContext(ctx).
		Joins("JOIN entries e ON e.id = reuses.entry_id AND e.state IN ?", PublicStates).
		Where("reuses.organisation_id = ?", orgID).Order("reuses.since, reuses.id").Find(&reuses).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: reused by %d: %w", orgID, err)
	}
	ids := make([]uint, len(reuses))
	for i, r := range reuses {
		ids[i] = r.EntryID
	}
	entries, err := s.EntriesByIDs(ctx, ids, lang)
	if err != nil {
		return nil, err
	}
	byID := map[uint]*Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	out := make([]ReuseOf, 0, len(reuses))
	for _, r := range reuses {
		if e := byID[r.EntryID]; e != nil {
			out = append(out, ReuseOf{Entry: e, Reuse: r})
		}
	}
	return out, nil
}
