package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
	"interophub/content"
)

// Learning keeps learners' enrolments, progress and certificates.
type Learning interface {
	Enrol(ctx context.Context, userID uint, course, lang string, now time.Time) error
	RecordLesson(ctx context.Context, userID uint, course, lesson string, percent int, passed bool, now time.Time) error
	Progress(ctx context.Context, userID uint, course string) (*catalogue.Enrolment, map[string]catalogue.LessonProgress, error)
	CompleteCourse(ctx context.Context, userID uint, course, lang, name string, now time.Time) (*catalogue.Certificate, error)
	CertificateByID(ctx context.Context, id string) (*catalogue.Certificate, error)
	CertificateOf(ctx context.Context, userID uint, course string) (*catalogue.Certificate, error)
	Enrolments(ctx context.Context, userID uint) ([]catalogue.Enrolment, error)
}

var _ Learning = (*catalogue.Store)(nil)

// courseProgress is a signed-in learner's progress as the pages show it.
type courseProgress struct {
	Enrolled    bool
	Done        int // lessons completed (read, and quiz passed when there is one)
	Total       int
	Resume      string // the first lesson not completed
	Certificate *catalogue.Certificate
	Lessons     map[string]catalogue.LessonProgress
	// Anonymous is set for progress kept in the browser's cookie.
	Anonymous bool
}

// Complete reports whether a lesson counts as completed.
func (p *courseProgress) Complete(name string) bool {
	lp, ok := p.Lessons[name]
	return ok && lp.DoneAt != nil && (lp.QuizPercent < 0 || lp.QuizPassed)
}

// progressOf loads the learner's progress in a course: from the account
// when signed in (issuing the certificate when every lesson is completed),
// from the signed progress cookie otherwise; nil when there is none.
func (s *server) progressOf(c *fiber.Ctx, course *content.Course) (*courseProgress, error) {
	u := s.user(c)
	if u == nil {
		lessons := s.readAnonProgress(c).lessons(course.Slug)
		if len(lessons) == 0 {
			return nil, nil
		}
		p := &courseProgress{Enrolled: true, Anonymous: true, Lessons: lessons}
		p.count(course)
		return p, nil
	}
	ctx := c.UserContext()
	enrolment, lessons, err := s.learning.Progress(ctx, u.ID, course.Slug)
	if err != nil {
		return nil, err
	}
	p := &courseProgress{Enrolled: enrolment != nil, Lessons: lessons}
	p.count(course)
	switch {
	case enrolment != nil && enrolment.CompletedAt != nil:
		// Issued before: a read, not a write transaction on every page.
		p.Certificate, err = s.learning.CertificateOf(ctx, u.ID, course.Slug)
	case p.Enrolled && p.Done == p.Total:
		p.Certificate, err = s.learning.CompleteCourse(ctx, u.ID, course.Slug, s.locale(c).Lang, u.Name, s.now())
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// count works out the lessons completed and the one to resume at.
func (p *courseProgress) count(course *content.Course) {
	p.Total = len(course.Lessons)
	for _, l := range course.Lessons {
		done := p.Complete(l.Name)
		if quiz := l.Texts["en"].Quiz; quiz != nil && !p.Lessons[l.Name].QuizPassed {
			done = false
		}
		if done {
			p.Done++
		} else if p.Resume == "" {
			p.Resume = l.Name
		}
	}
}

// courseEnrol enrols the signed-in user and opens the first lesson.
func (s *server) courseEnrol(c *fiber.Ctx) error {
	course, ok := s.courses.Course(c.Params("slug"))
	if !ok {
		return fiber.ErrNotFound
	}
	loc := s.locale(c)
	if err := s.learning.Enrol(c.UserContext(), s.user(c).ID, course.Slug, loc.Lang, s.now()); err != nil {
		return err
	}
	return c.Redirect("/"+loc.Lang+"/courses/"+course.Slug+"/"+course.Lessons[0].Name, fiber.StatusSeeOther)
}

// courseLessonDone marks a lesson without a quiz as completed and goes on
// to the next one.
func (s *server) courseLessonDone(c *fiber.Ctx) error {
	course, ok := s.courses.Course(c.Params("slug"))
	if !ok {
		return fiber.ErrNotFound
	}
	lesson, ok := course.Lesson(c.Params("lesson"))
	if !ok {
		return fiber.ErrNotFound
	}
	loc := s.locale(c)
	if u := s.user(c); u != nil {
		if err := s.learning.Enrol(c.UserContext(), u.ID, course.Slug, loc.Lang, s.now()); err != nil {
			return err
		}
		if err := s.learning.RecordLesson(c.UserContext(), u.ID, course.Slug, lesson.Name, -1, false, s.now()); err != nil {
			return err
		}
	} else {
		s.recordAnon(c, course.Slug, lesson.Name, -1, false)
	}
	next := "/" + loc.Lang + "/courses/" + course.Slug
	if lesson.Number < len(course.Lessons) {
		next += "/" + course.Lessons[lesson.Number].Name
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// certificateView is a certificate's public page.
type certificateView struct {
	Certificate *catalogue.Certificate
	CourseTitle string
}

// certificateShow is the public verification page of a certificate.
func (s *server) certificateShow(c *fiber.Ctx) error {
	cert, err := s.learning.CertificateByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	loc := s.i18n.Locale(cert.Lang)
	if l := s.i18n.Locale(c.Query("lang")); l != nil {
		loc = l
	}
	c.Locals(outsidePrefixKey, true)
	c.Locals(localeKey, loc)
	title := cert.Course
	if course, ok := s.courses.Course(cert.Course); ok {
		title = course.TitleIn(loc.Lang)
	}
	p := s.newPage(c, loc.Tr("certificate.title"), certificateView{Certificate: cert, CourseTitle: title})
	return s.render(c, fiber.StatusOK, "certificate", p)
}

// learningRow is a course on the "My learning" page.
type learningRow struct {
	Course   *content.Course
	Progress *courseProgress
}

// learningShow is "My learning": the user's courses, progress and
// certificates.
func (s *server) learningShow(c *fiber.Ctx) error {
	u := s.user(c)
	enrolments, err := s.learning.Enrolments(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	var rows []learningRow
	for _, e := range enrolments {
		course, ok := s.courses.Course(e.Course)
		if !ok {
			continue
		}
		p, err := s.progressOf(c, course)
		if err != nil {
			return err
		}
		rows = append(rows, learningRow{Course: course, Progress: p})
	}
	page := s.newPage(c, s.locale(c).Tr("learning.title"), rows)
	return s.render(c, fiber.StatusOK, "learning", page)
}
