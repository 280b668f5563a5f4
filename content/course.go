package content

import (
	"fmt"
	"slices"
)

// Course is a course folder (content/courses/<slug>/, format in its
// README.md), loaded and rendered.
type Course struct {
	Slug          string
	Level         string
	Duration      int // minutes
	Layers        []string
	Prerequisites []string
	PassMark      int               // percent
	Title         map[string]string // by language; English always there
	Summary       map[string]string
	Lessons       []*Lesson // in order
}

// Lesson is one lesson of a course, in the languages it is written in.
type Lesson struct {
	Number int
	Name   string                 // the lesson's address below the course
	Texts  map[string]*LessonText // by language; English always there
}

// LessonText is a lesson in one language, rendered once at load.
type LessonText struct {
	Lang     string
	Title    string
	Duration int // minutes
	HTML     string
	Text     string // HTML's plain text, for the search index
	TOC      []Heading
	Quiz     *Quiz // nil when the lesson has none in this language
}

// Quiz is a lesson's questions.
type Quiz struct {
	Questions []Question
}

// Question is one quiz question: single choice unless Multiple.
type Question struct {
	Text     string
	Multiple bool
	Answers  []Answer
}

// Answer is a possible answer with the explanation shown after submitting.
type Answer struct {
	Text        string
	Correct     bool
	Explanation string
}

// Levels are the levels a course can have.
var Levels = []string{"beginner", "intermediate", "advanced"}

// TitleIn is the course's title in lang, or English.
func (c *Course) TitleIn(lang string) string { return inLang(c.Title, lang) }

// SummaryIn is the course's summary in lang, or English.
func (c *Course) SummaryIn(lang string) string { return inLang(c.Summary, lang) }

// Lesson finds a lesson by name.
func (c *Course) Lesson(name string) (*Lesson, bool) {
	for _, l := range c.Lessons {
		if l.Name == name {
			return l, true
		}
	}
	return nil, false
}

// Text is the lesson in lang, falling back to English; the boolean is
// false when lang itself is missing.
func (l *Lesson) Text(lang string) (*LessonText, bool) {
	if t, ok := l.Texts[lang]; ok {
		return t, true
	}
	return l.Texts["en"], false
}

// Languages lists the languages the lesson is written in, sorted.
func (l *Lesson) Languages() []string {
	out := make([]string, 0, len(l.Texts))
	for lang := range l.Texts {
		out = append(out, lang)
	}
	slices.Sort(out)
	return out
}

func inLang(m map[string]string, lang string) string {
	if v, ok := m[lang]; ok && v != "" {
		return v
	}
	return m["en"]
}

// LoadError is a problem in a course's files: which file, which line (0
// when it is about the whole file) and why.
type LoadError struct {
	File   string
	Line   int
	Reason string
}

func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return e.File + ": " + e.Reason
}

// QuizResult is a scored attempt at a quiz.
type QuizResult struct {
	Correct []bool // per question
	Score   int    // correct answers
	Percent int
	Passed  bool
}

// Score marks an attempt: chosen holds, per question, the indexes of the
// answers chosen. A question is right when exactly its correct answers are
// chosen. passMark is the percent needed.
func (q *Quiz) Score(chosen [][]int, passMark int) QuizResult {
	r := QuizResult{Correct: make([]bool, len(q.Questions))}
	for i, question := range q.Questions {
		var picked []int
		if i < len(chosen) {
			picked = chosen[i]
		}
		right := true
		for j, a := range question.Answers {
			if a.Correct != slices.Contains(picked, j) {
				right = false
			}
		}
		for _, j := range picked {
			if j < 0 || j >= len(question.Answers) {
				right = false
			}
		}
		if right && len(picked) > 0 {
			r.Correct[i] = true
			r.Score++
		}
	}
	if n := len(q.Questions); n > 0 {
		r.Percent = r.Score * 100 / n
	}
	r.Passed = r.Percent >= passMark
	return r
}
