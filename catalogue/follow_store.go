package catalogue

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxSavedSearchLength bounds a followed search's query string.
const MaxSavedSearchLength = 1000

// Follow subscribes the user to target. Following twice is not an error: the
// existing follow is returned. The value must name something that exists
// (an entry or organisation slug, a kind) or be a search query string with
// at least one criterion; bad input gives a *ValidationError. A search's
// query string is stored normalised (see NormaliseSavedSearch), so the same
// search typed in another order is the same follow.
func (s *Store) Follow(ctx context.Context, userID uint, target FollowTarget, value string) (*Follow, error) {
	f := Follow{UserID: userID, Target: target}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if f.Value, err = validateFollow(tx, target, value); err != nil {
			return err
		}
		if err := tx.Select("id").Take(&User{}, userID).Error; err != nil {
			return fmt.Errorf("user %d: %w", userID, notFound(err))
		}
		err = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&f).Error
		if err != nil {
			return err
		}
		return tx.Where("user_id = ? AND target = ? AND value = ?", userID, target, f.Value).Take(&f).Error
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: follow %s %q: %w", target, value, err)
	}
	return &f, nil
}

// validateFollow checks a follow's target and value and returns the value
// to store.
func validateFollow(tx *gorm.DB, target FollowTarget, value string) (string, error) {
	value = strings.TrimSpace(value)
	invalid := func(problem string) error {
		return &ValidationError{Fields: []FieldError{{"value", problem}}}
	}
	if value == "" {
		return "", invalid("required")
	}
	exists := func(model any, where ...any) (string, error) {
		q := tx.Model(model).Select("id").Where("slug = ?", value)
		if len(where) > 0 {
			q = q.Where(where[0], where[1:]...)
		}
		err := q.Take(&struct{ ID uint }{}).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return "", invalid("unknown")
		case err != nil:
			return "", err
		}
		return value, nil
	}
	switch target {
	case FollowEntry:
		// Only public entries: the answer must not tell a draft exists.
		return exists(&Entry{}, "state IN ?", PublicStates)
	case FollowOrganisation:
		return exists(&Organisation{})
	case FollowKind:
		if !Kind(value).Valid() {
			return "", invalid("unknown")
		}
		return value, nil
	case FollowSearch:
		if len(value) > MaxSavedSearchLength {
			return "", invalid("too_long")
		}
		norm, err := NormaliseSavedSearch(value)
		if err != nil {
			return "", invalid("format")
		}
		switch {
		case norm == "":
			return "", invalid("required")
		case len(norm) > MaxSavedSearchLength:
			return "", invalid("too_long")
		}
		return norm, nil
	default:
		return "", &ValidationError{Fields: []FieldError{{"target", "unknown"}}}
	}
}

// Unfollow removes one of the user's follows; ErrNotFound when the user has
// no follow with that id (someone else's follow is not theirs to remove).
func (s *Store) Unfollow(ctx context.Context, userID, followID uint) error {
	res := s.w.WithContext(ctx).Where("id = ? AND user_id = ?", followID, userID).Delete(&Follow{})
	if res.Error != nil {
		return fmt.Errorf("catalogue: unfollow %d: %w", followID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("catalogue: unfollow %d: %w", followID, ErrNotFound)
	}
	return nil
}

// UnfollowAll removes every follow of the user (the "unsubscribe from
// everything" link). Notifications already queued still go out.
func (s *Store) UnfollowAll(ctx context.Context, userID uint) error {
	if err := s.w.WithContext(ctx).Where("user_id = ?", userID).Delete(&Follow{}).Error; err != nil {
		return fmt.Errorf("catalogue: unfollow all of user %d: %w", userID, err)
	}
	return nil
}

// Follows lists the user's follows, oldest first.
func (s *Store) Follows(ctx context.Context, userID uint) ([]Follow, error) {
	var out []Follow
	if err := s.r.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: follows of user %d: %w", userID, err)
	}
	return out, nil
}

// FollowByID loads one follow, for an unsubscribe link.
func (s *Store) FollowByID(ctx context.Context, id uint) (*Follow, error) {
	var f Follow
	if err := s.r.WithContext(ctx).Take(&f, id).Error; err != nil {
		return nil, fmt.Errorf("catalogue: follow %d: %w", id, notFound(err))
	}
	return &f, nil
}

// IsFollowing reports whether the user follows target. A search's query
// string is compared in its normalised form.
func (s *Store) IsFollowing(ctx context.Context, userID uint, target FollowTarget, value string) (bool, error) {
	value = strings.TrimSpace(value)
	if target == FollowSearch {
		norm, err := NormaliseSavedSearch(value)
		if err != nil {
			return false, nil
		}
		value = norm
	}
	var n int64
	err := s.r.WithContext(ctx).Model(&Follow{}).
		Where("user_id = ? AND target = ? AND value = ?", userID, target, value).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("catalogue: is following: %w", err)
	}
	return n > 0, nil
}

// NormaliseSavedSearch reduces a search page's query string to what a
// saved search keeps: the text (q) and the filters, without empty values,
// paging or sorting, in a stable order ("country=EE&kind=solution&q=identity").
// An empty result means the query has no criterion at all.
func NormaliseSavedSearch(query string) (string, error) {
	values, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return "", fmt.Errorf("catalogue: saved search %q: %w", query, err)
	}
	out := url.Values{}
	for _, name := range append([]string{"q"}, SavedSearchFilters...) {
		for _, v := range values[name] {
			if v = strings.TrimSpace(v); v != "" && !containsString(out[name], v) {
				out.Add(name, v)
			}
		}
	}
	return out.Encode(), nil
}
