package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
)

// Learners who are not signed in keep their progress in a cookie, signed
// with the site's key so it cannot be forged; it is merged into their
// account when they sign in.

// anonProgress is the cookie's content: per "course/lesson", the best quiz
// percent (-1: read, no quiz taken) and whether the quiz was passed.
type anonProgress map[string]anonLesson

type anonLesson struct {
	Percent int  `json:"p"`
	Passed  bool `json:"ok,omitempty"`
}

// maxAnonLessons keeps the cookie well under browsers' 4 kB limit.
const maxAnonLessons = 40

// readAnonProgress reads and checks the progress cookie; a missing or
// tampered cookie is empty progress.
func (s *server) readAnonProgress(c *fiber.Ctx) anonProgress {
	raw := c.Cookies(s.cookieName("learning"))
	payload, sig, ok := strings.Cut(raw, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.signProgress(payload))) {
		return anonProgress{}
	}
	data, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return anonProgress{}
	}
	var p anonProgress
	if json.Unmarshal(data, &p) != nil || p == nil {
		return anonProgress{}
	}
	return p
}

func (s *server) signProgress(payload string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("learning:" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// recordAnon records a lesson in the cookie, keeping the best result.
func (s *server) recordAnon(c *fiber.Ctx, course, lesson string, percent int, passed bool) {
	p := s.readAnonProgress(c)
	key := course + "/" + lesson
	old, seen := p[key]
	if !seen && len(p) >= maxAnonLessons {
		return
	}
	if seen && old.Percent > percent {
		percent = old.Percent
	}
	p[key] = anonLesson{Percent: percent, Passed: passed || old.Passed}
	data, _ := json.Marshal(p)
	payload := base64.RawURLEncoding.EncodeToString(data)
	s.setCookie(c, "learning", payload+"."+s.signProgress(payload), 180*24*time.Hour)
}

// anonLessons converts the cookie's progress in one course to the form the
// pages use.
func (p anonProgress) lessons(course string) map[string]catalogue.LessonProgress {
	out := map[string]catalogue.LessonProgress{}
	for key, l := range p {
		c, lesson, ok := strings.Cut(key, "/")
		if !ok || c != course {
			continue
		}
		done := time.Time{}
		out[lesson] = catalogue.LessonProgress{Course: c, Lesson: lesson, DoneAt: &done, QuizPercent: l.Percent, QuizPassed: l.Passed}
	}
	return out
}

// mergeAnonProgress moves the cookie's progress into the account that
// just signed in, then clears the cookie.
func (s *server) mergeAnonProgress(c *fiber.Ctx, u *catalogue.User) error {
	p := s.readAnonProgress(c)
	if len(p) == 0 {
		return nil
	}
	ctx := c.UserContext()
	for key, l := range p {
		course, lesson, ok := strings.Cut(key, "/")
		if !ok || s.courses == nil {
			continue
		}
		if cs, found := s.courses.Course(course); !found {
			continue
		} else if _, found := cs.Lesson(lesson); !found {
			continue
		}
		if err := s.learning.Enrol(ctx, u.ID, course, s.locale(c).Lang, s.now()); err != nil {
			return err
		}
		if err := s.learning.RecordLesson(ctx, u.ID, course, lesson, l.Percent, l.Passed, s.now()); err != nil {
			return err
		}
	}
	s.setCookie(c, "learning", "", -1)
	return nil
}
