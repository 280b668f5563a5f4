package catalogue

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Change is a row of the search outbox: entry EntryID changed (was saved or
// deleted). It is written in the same transaction as the change, so the
// search index can never miss one; the indexer removes rows once applied.
type Change struct {
	ID        uint `gorm:"primaryKey"`
	EntryID   uint `gorm:"not null;index"`
	CreatedAt time.Time
}

// TableName keeps the outbox's purpose in its name.
func (Change) TableName() string { return "search_outbox" }

// recordChange queues entry id for the search index inside tx.
func recordChange(tx *gorm.DB, entryID uint) error {
	return tx.Create(&Change{EntryID: entryID}).Error
}

// notifyChanged wakes whoever waits on Changes, without blocking.
func (s *Store) notifyChanged() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// Changes receives a value after a committed write queued search changes.
// It is a hint for waking the indexer early; the outbox is the truth.
func (s *Store) Changes() <-chan struct{} { return s.changed }

// PendingChanges returns up to limit outbox rows, oldest first.
func (s *Store) PendingChanges(ctx context.Context, limit int) ([]Change, error) {
	var out []Change
	if err := s.r.WithContext(ctx).Order("id").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: pending changes: %w", err)
	}
	return out, nil
}

// AckChanges removes outbox rows up to and including id, once applied.
func (s *Store) AckChanges(ctx context.Context, upTo uint) error {
	if err := s.w.WithContext(ctx).Where("id <= ?", upTo).Delete(&Change{}).Error; err != nil {
		return fmt.Errorf("catalogue: ack changes: %w", err)
	}
	return nil
}

// SearchMiss counts a query that found nothing, for curators.
type SearchMiss struct {
	ID        uint   `gorm:"primaryKey"`
	Query     string `gorm:"size:512;not null;uniqueIndex:idx_search_misses_query_lang"`
	Lang      string `gorm:"size:8;not null;uniqueIndex:idx_search_misses_query_lang"`
	Count     int64  `gorm:"not null"`
	FirstSeen time.Time
	LastSeen  time.Time `gorm:"index"`
}

// RecordSearchMiss counts one more search for query in lang that found
// nothing. The query is stored as typed, trimmed and lower-cased.
func (s *Store) RecordSearchMiss(ctx context.Context, query, lang string, at time.Time) error {
	db := s.w.WithContext(ctx)
	res := db.Model(&SearchMiss{}).Where("query = ? AND lang = ?", query, lang).
		Updates(map[string]any{"count": gorm.Expr("count + 1"), "last_seen": at})
	if res.Error == nil && res.RowsAffected == 0 {
		res = db.Create(&SearchMiss{Query: query, Lang: lang, Count: 1, FirstSeen: at, LastSeen: at})
	}
	if res.Error != nil {
		return fmt.Errorf("catalogue: record search miss: %w", res.Error)
	}
	return nil
}

// SearchMisses lists the most frequent queries that found nothing.
func (s *Store) SearchMisses(ctx context.Context, limit int) ([]SearchMiss, error) {
	var out []SearchMiss
	err := s.r.WithContext(ctx).Order("count DESC, last_seen DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: search misses: %w", err)
	}
	return out, nil
}
