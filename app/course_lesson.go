package app

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
	"interophub/content"
)

// syllabusLine is a lesson as a course's page lists it.
type syllabusLine struct {
	Number   int
	Name     string
	Title    string
	Duration int
	Fallback bool // not in the page's language
}

// courseView is what a course's entry page adds: its syllabus.
type courseView struct {
	Course    *content.Course
	Lessons   []syllabusLine
	Languages []string // languages every lesson exists in
	Progress  *courseProgress
	CSRF      string
}

// courseSyllabus is the syllabus of a course entry, or nil when the
// entry has no lessons loaded.
func (s *server) courseSyllabus(e *catalogue.Entry, lang string) *courseView {
	if s.courses == nil || e.Kind != catalogue.KindCourse {
		return nil
	}
	c, ok := s.courses.Course(e.Slug)
	if !ok {
		return nil
	}
	v := &courseView{Course: c}
	complete := map[string]int{}
	for _, l := range c.Lessons {
		t, found := l.Text(lang)
		v.Lessons = append(v.Lessons, syllabusLine{Number: l.Number, Name: l.Name, Title: t.Title, Duration: t.Duration, Fallback: !found})
		for _, code := range l.Languages() {
			complete[code]++
		}
	}
	for code, n := range complete {
		if n == len(c.Lessons) {
			v.Languages = append(v.Languages, code)
		}
	}
	slices.Sort(v.Languages)
	return v
}

// lessonView is a lesson's page.
type lessonView struct {
	Course   *content.Course
	Entry    *catalogue.Entry
	Lesson   *content.Lesson
	Text     *content.LessonText
	HTML     template.HTML
	Fallback bool
	Number   int
	Total    int
	Prev     *syllabusLine
	Next     *syllabusLine
	// In says, for each UI language, whether the lesson is written in it.
	In map[string]bool
	// Quiz is the lesson's quiz as the page shows it; Result is set after
	// the quiz was submitted.
	Quiz   []quizQuestion
	Result *content.QuizResult
	CSRF   string
	// Progress is the signed-in learner's (nil when signed out).
	Progress *courseProgress
}

// quizQuestion is a quiz question with what the learner chose.
type quizQuestion struct {
	N        int
	Question content.Question
	Chosen   []bool // per answer
	Correct  bool   // after submitting
}

// Checked reports whether answer j was chosen.
func (q quizQuestion) Checked(j int) bool { return j < len(q.Chosen) && q.Chosen[j] }

// courseLesson shows one lesson of a course in the page's language, or in
// English (saying so) when it is not translated yet.
func (s *server) courseLesson(c *fiber.Ctx) error {
	if s.courses == nil {
		return fiber.ErrNotFound
	}
	loc := s.locale(c)
	e, err := s.cat.EntryBySlug(c.UserContext(), catalogue.KindCourse, c.Params("slug"))
	if err != nil {
		return err
	}
	course, ok := s.courses.Course(e.Slug)
	if !ok {
		return fiber.ErrNotFound
	}
	lesson, ok := course.Lesson(c.Params("lesson"))
	if !ok {
		return fiber.ErrNotFound
	}
	text, found := lesson.Text(loc.Lang)
	v := lessonView{
		Course: course, Entry: e, Lesson: lesson, Text: text, Fallback: !found,
		HTML:   template.HTML(text.HTML), // rendered and sanitised once, at load
		Number: lesson.Number, Total: len(course.Lessons), In: map[string]bool{},
	}
	for _, code := range lesson.Languages() {
		v.In[code] = true
	}
	// A lesson translated without its quiz takes the English one, so the
	// lesson can still be completed.
	quiz := text.Quiz
	if quiz == nil {
		quiz = lesson.Texts["en"].Quiz
	}
	if quiz != nil {
		v.CSRF = s.csrfToken(c)
		chosen := make([][]int, len(quiz.Questions))
		for i, q := range quiz.Questions {
			qq := quizQuestion{N: i + 1, Question: q, Chosen: make([]bool, len(q.Answers))}
			if c.Method() == fiber.MethodPost {
				for _, raw := range postedValues(c, "q"+strconv.Itoa(i)) {
					if j, err := strconv.Atoi(raw); err == nil && j >= 0 && j < len(q.Answers) {
						qq.Chosen[j] = true
						chosen[i] = append(chosen[i], j)
					}
				}
			}
			v.Quiz = append(v.Quiz, qq)
		}
		if c.Method() == fiber.MethodPost {
			r := quiz.Score(chosen, course.PassMark)
			v.Result = &r
			for i := range v.Quiz {
				v.Quiz[i].Correct = r.Correct[i]
			}
			if u := s.user(c); u != nil {
				ctx := c.UserContext()
				if err := s.learning.Enrol(ctx, u.ID, course.Slug, loc.Lang, s.now()); err != nil {
					return err
				}
				if err := s.learning.RecordLesson(ctx, u.ID, course.Slug, lesson.Name, r.Percent, r.Passed, s.now()); err != nil {
					return err
				}
			} else {
				s.recordAnon(c, course.Slug, lesson.Name, r.Percent, r.Passed)
			}
		}
	}
	syllabus := s.courseSyllabus(e, loc.Lang)
	if i := lesson.Number - 1; i > 0 {
		v.Prev = &syllabus.Lessons[i-1]
	}
	if i := lesson.Number - 1; i+1 < len(syllabus.Lessons) {
		v.Next = &syllabus.Lessons[i+1]
	}
	if v.Progress, err = s.progressOf(c, course); err != nil {
		return err
	}
	p := s.newPage(c, text.Title+" – "+course.TitleIn(loc.Lang), v)
	p.Nav = "/courses"
	return s.render(c, fiber.StatusOK, "lesson", p)
}

// postedValues returns every posted value of a form field.
func postedValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}
