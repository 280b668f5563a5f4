package content_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"interophub/content"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var testLanguages = []string{"en", "fr", "de", "vi"}

func loadSample(t *testing.T) *content.Courses {
	t.Helper()
	cs, errs := content.LoadCourses(os.DirFS("testdata/courses"), content.NewMarkdown(), testLanguages)
	if len(errs) > 0 {
		t.Fatalf("load: %v", errs)
	}
	return cs
}

// TestLessonRendering compares a lesson's rendered HTML with its golden
// file (go test ./content -run TestLessonRendering -update rewrites it).
func TestLessonRendering(t *testing.T) {
	c, ok := loadSample(t).Course("sample-course")
	if !ok {
		t.Fatal("sample-course not loaded")
	}
	lesson, _ := c.Lesson("first-steps")
	text, found := lesson.Text("en")
	if !found {
		t.Fatal("no English text")
	}
	golden := filepath.Join("testdata", "golden", "sample-course-01.en.html")
	if *update {
		if err := os.WriteFile(golden, []byte(text.HTML), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if text.HTML != string(want) {
		t.Errorf("rendered lesson differs from %s:\n%s", golden, text.HTML)
	}
	for _, bad := range []string{"<script", "javascript:"} {
		if strings.Contains(text.HTML, bad) {
			t.Errorf("rendered lesson contains %q", bad)
		}
	}
	wantTOC := []content.Heading{
		{Level: 2, ID: "what-you-will-learn", Text: "What you will learn"},
		{Level: 3, ID: "estonias-definition", Text: "Estonia’s “definition”"},
		{Level: 2, ID: "raw-html-is-not-rendered", Text: "Raw HTML is not rendered"},
	}
	if !slices.Equal(text.TOC, wantTOC) {
		t.Errorf("TOC = %+v, want %+v", text.TOC, wantTOC)
	}
	if text.Title != "First steps" || text.Duration != 10 || text.Quiz == nil || len(text.Quiz.Questions) != 2 {
		t.Errorf("lesson = %q, %d min, quiz %+v", text.Title, text.Duration, text.Quiz)
	}
}

func TestLessonFallback(t *testing.T) {
	c, _ := loadSample(t).Course("sample-course")
	first, _ := c.Lesson("first-steps")
	second, _ := c.Lesson("next-steps")
	if text, found := first.Text("fr"); !found || text.Title != "Premiers pas" {
		t.Errorf("French lesson 1: %v %q", found, text.Title)
	}
	if text, found := second.Text("fr"); found || text.Lang != "en" || text.Title != "Next steps" {
		t.Errorf("French lesson 2 should fall back to English: %v %+v", found, text)
	}
	if got := first.Languages(); !slices.Equal(got, []string{"en", "fr"}) {
		t.Errorf("languages of lesson 1 = %v", got)
	}
	if c.TitleIn("fr") != "Un cours d'exemple" || c.TitleIn("de") != "A sample course" || c.PassMark != 60 {
		t.Errorf("course: %q %q %d", c.TitleIn("fr"), c.TitleIn("de"), c.PassMark)
	}
}

func TestQuizScoring(t *testing.T) {
	c, _ := loadSample(t).Course("sample-course")
	first, _ := c.Lesson("first-steps")
	quiz := first.Texts["en"].Quiz
	tests := []struct {
		name    string
		chosen  [][]int
		correct []bool
		percent int
		passed  bool
	}{
		{"all right", [][]int{{0}, {0, 1}}, []bool{true, true}, 100, true},
		{"one of two correct answers", [][]int{{0}, {0}}, []bool{true, false}, 50, false},
		{"a wrong answer added", [][]int{{0}, {0, 1, 2}}, []bool{true, false}, 50, false},
		{"nothing chosen", [][]int{{}, {}}, []bool{false, false}, 0, false},
		{"both answers to a single choice", [][]int{{0, 1}, {0, 1}}, []bool{false, true}, 50, false},
		{"an answer that does not exist", [][]int{{0, 7}, {0, 1}}, []bool{false, true}, 50, false},
		{"questions left out", [][]int{{0}}, []bool{true, false}, 50, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := quiz.Score(tt.chosen, c.PassMark)
			if !slices.Equal(r.Correct, tt.correct) || r.Percent != tt.percent || r.Passed != tt.passed {
				t.Errorf("Score = %+v, want correct %v, %d%%, passed %v", r, tt.correct, tt.percent, tt.passed)
			}
		})
	}
}

// TestBrokenCoursesAreRefused: each broken course is refused with the file,
// line and reason; the good one still loads.
func TestBrokenCoursesAreRefused(t *testing.T) {
	good := func(dir string) fstest.MapFS {
		return fstest.MapFS{
			dir + "/course.yaml":          {Data: []byte("level: beginner\nduration: 10\npass_mark: 50\ntitle:\n  en: Good\n")},
			dir + "/01-only.en.md":        {Data: []byte("---\ntitle: Only\nduration: 10\n---\nText.\n")},
			dir + "/01-only.en.quiz.yaml": {Data: []byte("questions:\n  - text: Q?\n    answers:\n      - text: A\n        correct: true\n        explanation: Yes.\n      - text: B\n        explanation: No.\n")},
		}
	}
	fsys := good("good")
	add := func(dir string, files map[string]string) {
		for name, data := range good(dir) {
			fsys[name] = data
		}
		for name, data := range files {
			if data == "" {
				delete(fsys, dir+"/"+name)
				continue
			}
			fsys[dir+"/"+name] = &fstest.MapFile{Data: []byte(data)}
		}
	}
	add("bad-front-matter", map[string]string{"01-only.en.md": "---\ntitle: [unclosed\nduration: 10\n---\nText.\n"})
	add("no-correct-answer", map[string]string{"01-only.en.quiz.yaml": "questions:\n  - text: Fine?\n    answers:\n      - text: A\n        correct: true\n        explanation: Yes.\n      - text: B\n        explanation: No.\n  - text: None right?\n    answers:\n      - text: A\n        explanation: No.\n      - text: B\n        explanation: No.\n"})
	add("missing-lesson", map[string]string{"03-third.en.md": "---\ntitle: Third\nduration: 5\n---\nText.\n"})
	add("unknown-language", map[string]string{"01-only.xx.md": "---\ntitle: Only\nduration: 10\n---\nText.\n"})
	add("no-english", map[string]string{"01-only.en.md": "", "01-only.en.quiz.yaml": "", "01-only.fr.md": "---\ntitle: Seule\nduration: 10\n---\nTexte.\n"})
	add("quiz-differs", map[string]string{
		"01-only.fr.md":        "---\ntitle: Seule\nduration: 10\n---\nTexte.\n",
		"01-only.fr.quiz.yaml": "questions:\n  - text: Q ?\n    answers:\n      - text: A\n        explanation: Non.\n      - text: B\n        correct: true\n        explanation: Oui.\n",
	})
	add("bad-course-yaml", map[string]string{"course.yaml": "level: expert\nduration: 10\npass_mark: 500\ntitle:\n  en: Bad\n  zz: Mauvais\nsecret: 1\n"})

	cs, errs := content.LoadCourses(fsys, content.NewMarkdown(), testLanguages)
	var got []string
	for _, err := range errs {
		got = append(got, err.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"bad-front-matter/01-only.en.md:2: ",
		"no-correct-answer/01-only.en.quiz.yaml:9: question 2 has no correct answer",
		"missing-lesson: lesson 02 is missing",
		`unknown-language/01-only.xx.md: unknown language code "xx"`,
		"no-english/01-only.en.md: missing: every lesson is written in English",
		"quiz-differs/01-only.fr.quiz.yaml: differs from the English quiz: question 1: answer 1 is correct in one and not the other",
		"bad-course-yaml/course.yaml:7: field secret not found",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no error %q in:\n%s", want, all)
		}
	}
	if n := strings.Count(all, "bad-front-matter/"); n != 1 {
		t.Errorf("a broken front matter gave %d errors, want 1 (no follow-on errors)", n)
	}
	if loaded := cs.All(); len(loaded) != 1 || loaded[0].Slug != "good" {
		var slugs []string
		for _, c := range loaded {
			slugs = append(slugs, c.Slug)
		}
		t.Errorf("loaded %v, want only the good course", slugs)
	}
}

// TestEmbeddedCoursesLoad: the courses shipped with the program load
// without a problem.
func TestEmbeddedCoursesLoad(t *testing.T) {
	_, errs := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), []string{
		"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
		"it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "vi",
	})
	for _, err := range errs {
		t.Error(err)
	}
}
