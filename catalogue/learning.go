package catalogue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Enrolment is a learner taking a course.
type Enrolment struct {
	UserID      uint   `gorm:"primaryKey"`
	Course      string `gorm:"primaryKey;size:120"`
	Lang        string `gorm:"size:8;not null"`
	StartedAt   time.Time
	CompletedAt *time.Time
}

// LessonProgress is what a learner did in one lesson: read it, and their
// best quiz result.
type LessonProgress struct {
	UserID      uint   `gorm:"primaryKey"`
	Course      string `gorm:"primaryKey;size:120"`
	Lesson      string `gorm:"primaryKey;size:120"`
	DoneAt      *time.Time
	QuizPercent int // best result, -1 when never taken
	QuizPassed  bool
	UpdatedAt   time.Time
}

// TableName names the progress table.
func (LessonProgress) TableName() string { return "lesson_progress" }

// Certificate is the proof that a learner completed a course. ID is
// unguessable: the verification page is public.
type Certificate struct {
	ID       string `gorm:"primaryKey;size:32"`
	UserID   uint   `gorm:"not null;uniqueIndex:idx_certificates_user_course"`
	Course   string `gorm:"size:120;not null;uniqueIndex:idx_certificates_user_course"`
	Name     string `gorm:"size:200;not null"` // the learner's name when issued
	Lang     string `gorm:"size:8;not null"`
	IssuedAt time.Time
}

// Enrol starts (or resumes, in another language) a course.
func (s *Store) Enrol(ctx context.Context, userID uint, course, lang string, now time.Time) error {
	err := s.w.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "course"}},
		DoUpdates: clause.AssignmentColumns([]string{"lang"}),
	}).Create(&Enrolment{UserID: userID, Course: course, Lang: lang, StartedAt: now.UTC()}).Error
	if err != nil {
		return fmt.Errorf("catalogue: enrol in %s: %w", course, err)
	}
	return nil
}

// RecordLesson marks a lesson read and, when percent >= 0, records a quiz
// attempt: the best result is kept, and a passed quiz stays passed.
func (s *Store) RecordLesson(ctx context.Context, userID uint, course, lesson string, percent int, passed bool, now time.Time) error {
	now = now.UTC()
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p LessonProgress
		err := tx.Where("user_id = ? AND course = ? AND lesson = ?", userID, course, lesson).Take(&p).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			p = LessonProgress{UserID: userID, Course: course, Lesson: lesson, QuizPercent: -1}
		case err != nil:
			return err
		}
		if p.DoneAt == nil {
			p.DoneAt = &now
		}
		if percent > p.QuizPercent {
			p.QuizPercent = percent
		}
		p.QuizPassed = p.QuizPassed || passed
		p.UpdatedAt = now
		return tx.Save(&p).Error
	})
	if err != nil {
		return fmt.Errorf("catalogue: record lesson %s/%s: %w", course, lesson, err)
	}
	return nil
}

// Progress is a learner's progress in a course, by lesson name; the
// enrolment is nil when they have not enrolled.
func (s *Store) Progress(ctx context.Context, userID uint, course string) (*Enrolment, map[string]LessonProgress, error) {
	var e Enrolment
	err := s.r.WithContext(ctx).Where("user_id = ? AND course = ?", userID, course).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, map[string]LessonProgress{}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("catalogue: progress in %s: %w", course, err)
	}
	var rows []LessonProgress
	if err := s.r.WithContext(ctx).Where("user_id = ? AND course = ?", userID, course).Find(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("catalogue: progress in %s: %w", course, err)
	}
	out := make(map[string]LessonProgress, len(rows))
	for _, r := range rows {
		out[r.Lesson] = r
	}
	return &e, out, nil
}

// CompleteCourse marks the enrolment completed and issues the learner's
// certificate, once: a second call returns the same certificate.
func (s *Store) CompleteCourse(ctx context.Context, userID uint, course, lang, name string, now time.Time) (*Certificate, error) {
	now = now.UTC()
	var cert Certificate
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("user_id = ? AND course = ?", userID, course).Take(&cert).Error
		if err == nil {
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		cert = Certificate{ID: hex.EncodeToString(b), UserID: userID, Course: course, Name: name, Lang: lang, IssuedAt: now}
		if err := tx.Create(&cert).Error; err != nil {
			return err
		}
		return tx.Model(&Enrolment{}).Where("user_id = ? AND course = ? AND completed_at IS NULL", userID, course).
			Update("completed_at", now).Error
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: complete %s: %w", course, err)
	}
	return &cert, nil
}

// CertificateOf finds the certificate a learner received for a course.
func (s *Store) CertificateOf(ctx context.Context, userID uint, course string) (*Certificate, error) {
	var c Certificate
	if err := s.r.WithContext(ctx).Where("user_id = ? AND course = ?", userID, course).Take(&c).Error; err != nil {
		return nil, fmt.Errorf("catalogue: certificate: %w", notFound(err))
	}
	return &c, nil
}

// CertificateByID finds a certificate for its public verification page.
func (s *Store) CertificateByID(ctx context.Context, id string) (*Certificate, error) {
	var c Certificate
	if err := s.r.WithContext(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, fmt.Errorf("catalogue: certificate: %w", notFound(err))
	}
	return &c, nil
}

// Enrolments lists a learner's courses, newest first.
func (s *Store) Enrolments(ctx context.Context, userID uint) ([]Enrolment, error) {
	var es []Enrolment
	if err := s.r.WithContext(ctx).Where("user_id = ?", userID).Order("started_at DESC").Find(&es).Error; err != nil {
		return nil, fmt.Errorf("catalogue: enrolments: %w", err)
	}
	return es, nil
}
