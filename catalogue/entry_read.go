package catalogue

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// PublicStates are the states everybody may see.
var PublicStates = []State{StatePublished, StateNeedsUpdate}

// EntryBySlug loads a public entry of the given kind with everything that
// belongs to it.
func (s *Store) EntryBySlug(ctx context.Context, kind Kind, slug string) (*Entry, error) {
	var e Entry
	err := s.withEverything(ctx, PublicStates...).
		Where("kind = ? AND slug = ? AND state IN ?", kind, slug, PublicStates).
		Take(&e).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: entry %s/%s: %w", kind, slug, notFound(err))
	}
	sortConcepts(e.Concepts)
	return &e, nil
}

// withEverything reads entries with everything that belongs to them, as
// an entry's page shows it. related filters the related entries (public
// pages show only public ones).
func (s *Store) withEverything(ctx context.Context, related ...State) *gorm.DB {
	relatedIn := func(db *gorm.DB) *gorm.DB {
		if len(related) > 0 {
			return db.Where("state IN ?", related)
		}
		return db
	}
	return s.r.WithContext(ctx).
		Preload("Owner").Preload("Translations").Preload("Concepts").Preload("Keywords").
		Preload("Related", relatedIn).Preload("Related.Translations", listingTranslation).Preload("Contacts").
		Preload("Releases", func(db *gorm.DB) *gorm.DB { return db.Order("date DESC, id DESC") }).
		Preload("Releases.Distributions").Preload("Reuses").Preload("Reuses.Organisation").
		Preload("Practice")
}

// Sort orders a listing.
type Sort string

// Listing orders.
const (
	SortTitle   Sort = "title"   // A to Z in the page language
	SortUpdated Sort = "updated" // most recently updated first
)

// ListQuery selects public entries. Values of one filter combine with OR,
// different filters with AND.
type ListQuery struct {
	Kinds    []Kind              // empty: every kind
	Lang     string              // language of titles used to sort
	Concepts map[Scheme][]string // layer, principle, theme, country, language codes
	Licences []string
	Statuses []string
	Owner    string // organisation slug
	Featured bool
	Text     string // words that must appear in a title or summary
	Sort     Sort
	Cursor   string // from ListPage.Next
	Limit    int    // default 20, at most 100
}

// ListPage is one page of a listing.
type ListPage struct {
	Entries []*Entry
	Total   int64  // entries matching the query, all pages
	Next    string // cursor of the next page, empty on the last
}

type cursor struct {
	Title   string    `json:"t,omitempty"`
	Updated time.Time `json:"u,omitempty"`
	ID      uint      `json:"i"`
}

// ErrBadCursor is returned (wrapped) for a cursor the store did not issue.
var ErrBadCursor = fmt.Errorf("bad cursor: %w", ErrInvalid)

// sortTitle is the SQL of the title an entry sorts by: its title in the
// query's language, else in English, else its slug.
const sortTitle = "LOWER(COALESCE(tl.title, te.title, entries.slug))"

// ListEntries returns one page of public entries, with keyset pagination.
func (s *Store) ListEntries(ctx context.Context, q ListQuery) (*ListPage, error) {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 100)
	if q.Lang == "" {
		q.Lang = "en"
	}
	base := s.filtered(ctx, q)
	var total int64
	if err := base.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, fmt.Errorf("catalogue: list entries: %w", err)
	}

	var after cursor
	if q.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || json.Unmarshal(raw, &after) != nil || after.ID == 0 {
			return nil, fmt.Errorf("catalogue: list entries: %w", ErrBadCursor)
		}
	}
	page := base.Joins("LEFT JOIN translations tl ON tl.entry_id = entries.id AND tl.lang = ?", q.Lang).
		Joins("LEFT JOIN translations te ON te.entry_id = entries.id AND te.lang = ?", "en")
	switch q.Sort {
	case SortUpdated:
		if after.ID != 0 {
			page = page.Where("entries.updated_at < ? OR (entries.updated_at = ? AND entries.id < ?)", after.Updated, after.Updated, after.ID)
		}
		page = page.Order("entries.updated_at DESC, entries.id DESC")
	default:
		if after.ID != 0 {
			page = page.Where(sortTitle+" > ? OR ("+sortTitle+" = ? AND entries.id > ?)", after.Title, after.Title, after.ID)
		}
		page = page.Order(sortTitle + ", entries.id")
	}
	var rows []struct {
		ID        uint
		SortTitle string
		UpdatedAt time.Time
	}
	err := page.Select("entries.id, " + sortTitle + " AS sort_title, entries.updated_at").
		Limit(q.Limit + 1).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: list entries: %w", err)
	}
	out := &ListPage{Total: total}
	if len(rows) > q.Limit {
		last := rows[q.Limit-1]
		raw, _ := json.Marshal(cursor{Title: last.SortTitle, Updated: last.UpdatedAt, ID: last.ID})
		if q.Sort != SortUpdated {
			raw, _ = json.Marshal(cursor{Title: last.SortTitle, ID: last.ID})
		}
		out.Next = base64.RawURLEncoding.EncodeToString(raw)
		rows = rows[:q.Limit]
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	out.Entries, err = s.EntriesByIDs(ctx, ids, q.Lang)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// filtered is the listing's WHERE clause, shared by the count and the page.
func (s *Store) filtered(ctx context.Context, q ListQuery) *gorm.DB {
	db := s.r.WithContext(ctx).Model(&Entry{}).Where("entries.state IN ?", PublicStates)
	if len(q.Kinds) > 0 {
		db = db.Where("entries.kind IN ?", q.Kinds)
	}
	for _, scheme := range conceptSchemes {
		if codes := q.Concepts[scheme]; len(codes) > 0 {
			db = db.Where(`EXISTS (SELECT 1 FROM entry_concepts ec JOIN concepts c ON c.id = ec.concept_id
				WHERE ec.entry_id = entries.id AND c.scheme = ? AND c.code IN ?)`, scheme, codes)
		}
	}
	if len(q.Licences) > 0 {
		db = db.Where("entries.licence IN ?", q.Licences)
	}
	if len(q.Statuses) > 0 {
		db = db.Where("entries.status IN ?", q.Statuses)
	}
	if q.Owner != "" {
		db = db.Where("entries.owner_id IN (SELECT id FROM organisations WHERE slug = ?)", q.Owner)
	}
	if q.Featured {
		db = db.Where("entries.featured = ?", true)
	}
	for _, word := range strings.Fields(strings.ToLower(q.Text)) {
		pattern := "%" + escapeLike(word) + "%"
		db = db.Where(`EXISTS (SELECT 1 FROM translations t WHERE t.entry_id = entries.id
			AND (LOWER(t.title) LIKE ? ESCAPE '\' OR LOWER(t.summary) LIKE ? ESCAPE '\'))`, pattern, pattern)
	}
	return db
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// listingTranslation loads the part of translations a listing or a link
// shows: title and summary, not the bodies.
func listingTranslation(db *gorm.DB) *gorm.DB {
	return db.Select("id", "entry_id", "lang", "title", "summary")
}

// EntriesByIDs loads public entries for listing, keeping the order of ids: each
// with its owner and its title and summary in lang and in English (no
// bodies, no vocabularies: EntryBySlug has everything).
func (s *Store) EntriesByIDs(ctx context.Context, ids []uint, lang string) ([]*Entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var found []*Entry
	err := s.r.WithContext(ctx).Preload("Owner").
		Preload("Translations", listingTranslation, "lang IN ?", []string{lang, "en"}).
		Where("id IN ? AND state IN ?", ids, PublicStates).Find(&found).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: load entries: %w", err)
	}
	byID := make(map[uint]*Entry, len(found))
	for _, e := range found {
		byID[e.ID] = e
	}
	out := make([]*Entry, 0, len(ids))
	for _, id := range ids {
		if e, ok := byID[id]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// CountByKind counts public entries of each kind.
func (s *Store) CountByKind(ctx context.Context) (map[Kind]int64, error) {
	var rows []struct {
		Kind Kind
		N    int64
	}
	err := s.r.WithContext(ctx).Model(&Entry{}).Select("kind, COUNT(*) AS n").
		Where("state IN ?", PublicStates).Group("kind").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: count entries: %w", err)
	}
	out := make(map[Kind]int64, len(Kinds))
	for _, r := range rows {
		out[r.Kind] = r.N
	}
	return out, nil
}

// FilterValue is one value a listing can be filtered by, with the number of
// public entries of the kind that carry it.
type FilterValue struct {
	Code  string
	Label string // English label; the web layer translates by code
	Count int64
}

// Filter names the filters FilterOptions reports besides concept schemes.
const (
	FilterLicence = "licence"
	FilterStatus  = "status"
	FilterOwner   = "org"
)

// FilterOptions lists, per filter, the values public entries of the given
// kinds (all kinds when none) carry. Keys are scheme names plus
// FilterLicence, FilterStatus and FilterOwner.
func (s *Store) FilterOptions(ctx context.Context, kinds ...Kind) (map[string][]FilterValue, error) {
	out := map[string][]FilterValue{}
	db := s.r.WithContext(ctx)
	if len(kinds) == 0 {
		kinds = Kinds
	}

	var concepts []struct {
		Scheme Scheme
		Code   string
		Label  string
		N      int64
	}
	err := db.Table("entry_concepts ec").
		Select("c.scheme, c.code, c.label, COUNT(*) AS n").
		Joins("JOIN concepts c ON c.id = ec.concept_id").
		Joins("JOIN entries e ON e.id = ec.entry_id").
		Where("e.kind IN ? AND e.state IN ?", kinds, PublicStates).
		Group("c.scheme, c.code, c.label").Scan(&concepts).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: filter options: %w", err)
	}
	cs := make([]Concept, len(concepts))
	counts := map[uint]int64{}
	for i, c := range concepts {
		cs[i] = Concept{ID: uint(i), Scheme: c.Scheme, Code: c.Code, Label: c.Label}
		counts[uint(i)] = c.N
	}
	sortConcepts(cs)
	for _, c := range cs {
		out[string(c.Scheme)] = append(out[string(c.Scheme)], FilterValue{c.Code, c.Label, counts[c.ID]})
	}

	for _, col := range []struct{ key, column string }{{FilterLicence, "licence"}, {FilterStatus, "status"}} {
		var rows []struct {
			Code string
			N    int64
		}
		err := db.Model(&Entry{}).Select(col.column+" AS code, COUNT(*) AS n").
			Where("kind IN ? AND state IN ? AND "+col.column+" <> ''", kinds, PublicStates).
			Group(col.column).Order(col.column).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("catalogue: filter options: %w", err)
		}
		for _, r := range rows {
			c, _, _ := s.concept(ctx, Scheme(col.key), r.Code)
			out[col.key] = append(out[col.key], FilterValue{r.Code, c.Label, r.N})
		}
	}

	var owners []struct {
		Slug string
		Name string
		N    int64
	}
	err = db.Table("entries e").Select("o.slug, o.name, COUNT(*) AS n").
		Joins("JOIN organisations o ON o.id = e.owner_id").
		Where("e.kind IN ? AND e.state IN ?", kinds, PublicStates).
		Group("o.slug, o.name").Order("o.name").Scan(&owners).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: filter options: %w", err)
	}
	for _, o := range owners {
		out[FilterOwner] = append(out[FilterOwner], FilterValue{o.Slug, o.Name, o.N})
	}
	return out, nil
}
