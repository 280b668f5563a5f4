package catalogue

import "time"

// Organisation owns entries and reuses them.
type Organisation struct {
	ID           uint   `gorm:"primaryKey"`
	Slug         string `gorm:"size:120;not null;uniqueIndex"`
	Name         string `gorm:"size:300;not null"`
	Acronym      string `gorm:"size:32"`
	Type         string `gorm:"size:64"` // owner type code (owner_type.rdf)
	Country      string `gorm:"size:8"`  // ISO 3166-1 alpha-2, EU or INT
	Website      string `gorm:"size:500"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Translations []OrganisationTranslation
}

// OrganisationTranslation is an organisation's description in one language.
type OrganisationTranslation struct {
	ID             uint   `gorm:"primaryKey"`
	OrganisationID uint   `gorm:"not null;uniqueIndex:idx_org_translations_org_lang"`
	Lang           string `gorm:"size:8;not null;uniqueIndex:idx_org_translations_org_lang"`
	Description    string `gorm:"size:2000"`
}

// Description returns the description in lang, falling back to English. The
// boolean is false when lang itself is missing.
func (o *Organisation) Description(lang string) (string, bool) {
	var fallback string
	for _, t := range o.Translations {
		if t.Lang == lang {
			return t.Description, true
		}
		if t.Lang == "en" {
			fallback = t.Description
		}
	}
	return fallback, false
}
