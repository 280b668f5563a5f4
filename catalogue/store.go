package catalogue

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Renderer turns user or editorial Markdown into safe HTML. The store calls
// it when a translation is saved, so pages never render Markdown per request.
type Renderer func(markdown string) (string, error)

// Options configure Open.
type Options struct {
	// Dir is the data folder; the database is Dir/hub.db.
	Dir string
	// Render renders Markdown fields when translations are saved.
	Render Renderer
	// ReadConns is the size of the read pool (default 4).
	ReadConns int
}

// Store is the catalogue's storage. Writes go through one connection, reads
// through a small pool. It is safe for concurrent use.
type Store struct {
	w, r    *gorm.DB
	dir     string // the data folder (opts.Dir)
	render  Renderer
	changed chan struct{} // see Changes
	hasher  *hasher
	queued  chan struct{} // see Queued

	vocabOnce sync.Once
	vocab     map[Scheme]map[string]Concept
	vocabErr  error
}

// Open opens (creating if needed) the database in opts.Dir, applies pending
// migrations and brings the vocabularies up to date.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Render == nil {
		return nil, errors.New("catalogue: open: a Markdown renderer is required")
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = 4
	}
	w, r, err := openSQLite(filepath.Join(opts.Dir, "hub.db"), opts.ReadConns)
	if err != nil {
		return nil, err
	}
	s := &Store{w: w, r: r, dir: opts.Dir, render: opts.Render, changed: make(chan struct{}, 1), hasher: newHasher(), queued: make(chan struct{}, 1)}
	if err := migrate(w.WithContext(ctx)); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.syncVocabularies(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the database connections.
func (s *Store) Close() error {
	var errs []error
	for _, db := range []*gorm.DB{s.r, s.w} {
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("catalogue: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var n int64
	if err := s.r.WithContext(ctx).Model(&Concept{}).Limit(1).Count(&n).Error; err != nil {
		return fmt.Errorf("catalogue: ping: %w", err)
	}
	return nil
}

// syncVocabularies inserts new concepts and updates the URI and label of
// existing ones, so a new release of a vocabulary reaches old databases.
func (s *Store) syncVocabularies(ctx context.Context) error {
	concepts, err := Vocabularies()
	if err != nil {
		return err
	}
	err = s.w.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "scheme"}, {Name: "code"}},
		DoUpdates: clause.AssignmentColumns([]string{"uri", "label"}),
	}).CreateInBatches(&concepts, 200).Error
	if err != nil {
		return fmt.Errorf("catalogue: sync vocabularies: %w", err)
	}
	return nil
}

// Concepts returns the vocabulary of one scheme, in code order.
func (s *Store) Concepts(ctx context.Context, scheme Scheme) ([]Concept, error) {
	var out []Concept
	if err := s.r.WithContext(ctx).Where("scheme = ?", scheme).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: concepts %s: %w", scheme, err)
	}
	sortConcepts(out)
	return out, nil
}

// concept looks a code up in the (immutable, loaded once) vocabulary cache.
func (s *Store) concept(ctx context.Context, scheme Scheme, code string) (Concept, bool, error) {
	s.vocabOnce.Do(func() {
		var all []Concept
		if err := s.r.WithContext(ctx).Find(&all).Error; err != nil {
			s.vocabErr = fmt.Errorf("catalogue: load vocabularies: %w", err)
			return
		}
		s.vocab = map[Scheme]map[string]Concept{}
		for _, c := range all {
			if s.vocab[c.Scheme] == nil {
				s.vocab[c.Scheme] = map[string]Concept{}
			}
			s.vocab[c.Scheme][c.Code] = c
		}
	})
	if s.vocabErr != nil {
		return Concept{}, false, s.vocabErr
	}
	c, ok := s.vocab[scheme][code]
	return c, ok, nil
}

// notFound maps GORM's missing-record error to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
