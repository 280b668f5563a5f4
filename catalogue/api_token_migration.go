package catalogue

import (
	"time"

	"gorm.io/gorm"
)

// Schema v7, added by 2026112506_api_tokens: personal API tokens, kept as
// the SHA-256 of their secret.
type apiTokenV7 struct {
	ID         uint   `gorm:"primaryKey"`
	UserID     uint   `gorm:"not null;index"`
	User       userV3 `gorm:"constraint:OnDelete:CASCADE"`
	Name       string `gorm:"size:100;not null"`
	Scope      string `gorm:"size:8;not null"`
	Hash       string `gorm:"size:64;not null;uniqueIndex"`
	Hint       string `gorm:"size:16;not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (apiTokenV7) TableName() string { return "api_tokens" }

func migrateAPITokens(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&apiTokenV7{})
}
