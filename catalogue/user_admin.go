package catalogue

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Users lists accounts whose name or address contains q, newest first.
func (s *Store) Users(ctx context.Context, q string, limit, offset int) ([]User, int64, error) {
	db := s.r.WithContext(ctx).Model(&User{})
	if q != "" {
		like := "%" + escapeLike(q) + "%"
		db = db.Where("name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\'", like, like)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("catalogue: users: %w", err)
	}
	var out []User
	if err := db.Preload("Organisations").Order("id DESC").Limit(limit).Offset(offset).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("catalogue: users: %w", err)
	}
	return out, total, nil
}

// UpdateAccess sets a user's role, organisations (by slug) and whether the
// account is blocked; blocking signs every browser of the account out.
func (s *Store) UpdateAccess(ctx context.Context, userID uint, role Role, orgSlugs []string, blocked bool, now time.Time) error {
	now = now.UTC()
	if !role.Valid() {
		return &ValidationError{Fields: []FieldError{{"role", "unknown"}}}
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		var orgs []Organisation
		if len(orgSlugs) > 0 {
			if err := tx.Select("id").Where("slug IN ?", orgSlugs).Find(&orgs).Error; err != nil {
				return err
			}
			if len(orgs) != len(orgSlugs) {
				return &ValidationError{Fields: []FieldError{{"organisations", "unknown"}}}
			}
		}
		ids := make([]uint, len(orgs))
		for i, o := range orgs {
			ids[i] = o.ID
		}
		if err := replaceMemberships(tx, userID, ids); err != nil {
			return err
		}
		updates := map[string]any{"role": role, "updated_at": now}
		switch {
		case blocked && u.BlockedAt == nil:
			updates["blocked_at"] = now
			if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
				return err
			}
		case !blocked:
			updates["blocked_at"] = nil
		}
		return tx.Model(&User{}).Where("id = ?", userID).Updates(updates).Error
	})
	if err != nil {
		return fmt.Errorf("catalogue: update access of user %d: %w", userID, err)
	}
	return nil
}

func replaceMemberships(tx *gorm.DB, userID uint, orgIDs []uint) error {
	if err := tx.Exec("DELETE FROM memberships WHERE user_id = ?", userID).Error; err != nil {
		return err
	}
	for _, id := range orgIDs {
		if err := tx.Exec("INSERT INTO memberships (user_id, organisation_id) VALUES (?, ?)", userID, id).Error; err != nil {
			return err
		}
	}
	return nil
}

// Organisations lists every organisation by name.
func (s *Store) Organisations(ctx context.Context) ([]Organisation, error) {
	var out []Organisation
	if err := s.r.WithContext(ctx).Order("name").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: organisations: %w", err)
	}
	return out, nil
}

// ConfirmUser marks an account's address as confirmed by an administrator
// (who checked it another way, when the confirmation mail cannot reach
// the user).
func (s *Store) ConfirmUser(ctx context.Context, userID uint, now time.Time) error {
	err := s.w.WithContext(ctx).Model(&User{}).Where("id = ? AND confirmed_at IS NULL", userID).
		Update("confirmed_at", now.UTC()).Error
	if err != nil {
		return fmt.Errorf("catalogue: confirm user %d: %w", userID, err)
	}
	return nil
}
