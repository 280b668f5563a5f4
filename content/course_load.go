package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Courses are the loaded courses, in slug order.
type Courses struct {
	list        []*Course
	bySlug      map[string]*Course
	fingerprint string
}

// All lists the courses in slug order.
func (cs *Courses) All() []*Course { return cs.list }

// Course finds a course by slug.
func (cs *Courses) Course(slug string) (*Course, bool) {
	c, ok := cs.bySlug[slug]
	return c, ok
}

// courseFile is course.yaml.
type courseFile struct {
	Level         string            `yaml:"level"`
	Duration      int               `yaml:"duration"`
	Layers        []string          `yaml:"layers"`
	Prerequisites []string          `yaml:"prerequisites"`
	PassMark      int               `yaml:"pass_mark"`
	Title         map[string]string `yaml:"title"`
	Summary       map[string]string `yaml:"summary"`
}

// frontMatter is a lesson file's header.
type frontMatter struct {
	Title    string `yaml:"title"`
	Duration int    `yaml:"duration"`
}

// quizFile is a lesson's quiz file.
type quizFile struct {
	Questions []struct {
		Text     string `yaml:"text"`
		Multiple bool   `yaml:"multiple"`
		Answers  []struct {
			Text        string `yaml:"text"`
			Correct     bool   `yaml:"correct"`
			Explanation string `yaml:"explanation"`
		} `yaml:"answers"`
	} `yaml:"questions"`
}

var lessonFile = regexp.MustCompile(`^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]+)\.(md|quiz\.yaml)$`)

// LoadCourses reads every course folder at the root of fsys and renders
// its lessons with md. languages are the language codes a course may be
// written in. A course with any problem is left out, and its problems are
// returned (each a *LoadError naming the file and line); the others load.
func LoadCourses(fsys fs.FS, md *Markdown, languages []string) (*Courses, []error) {
	cs := &Courses{bySlug: map[string]*Course{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return cs, []error{fmt.Errorf("content: courses: %w", err)}
	}
	var all []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		l := &courseLoader{fsys: fsys, md: md, languages: languages, dir: e.Name()}
		c := l.load()
		if len(l.errs) > 0 {
			all = append(all, l.errs...)
			continue
		}
		cs.list = append(cs.list, c)
		cs.bySlug[c.Slug] = c
	}
	cs.fingerprint = fingerprintOf(cs.list)
	return cs, all
}

// courseLoader loads one course folder, collecting every problem.
type courseLoader struct {
	fsys      fs.FS
	md        *Markdown
	languages []string
	dir       string
	errs      []error
}

func (l *courseLoader) fail(file string, line int, format string, args ...any) {
	l.errs = append(l.errs, &LoadError{File: path.Join(l.dir, file), Line: line, Reason: fmt.Sprintf(format, args...)})
}

// yamlFail reports a YAML decoding error at its line (offset by the lines
// before the YAML in the file).
func (l *courseLoader) yamlFail(file string, offset int, err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, msg := range te.Errors {
			line, reason := yamlLine(msg)
			l.fail(file, line+offset, "%s", reason)
		}
		return
	}
	line, reason := yamlLine(err.Error())
	l.fail(file, line+offset, "%s", reason)
}

var yamlLinePattern = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlLine splits "yaml: line 3: did not find..." into 3 and the reason.
func yamlLine(msg string) (int, string) {
	if m := yamlLinePattern.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// decodeStrictYAML decodes data into v, refusing unknown fields.
func decodeStrictYAML(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func (l *courseLoader) load() *Course {
	c := &Course{Slug: l.dir}
	data, err := fs.ReadFile(l.fsys, path.Join(l.dir, "course.yaml"))
	if err != nil {
		l.fail("course.yaml", 0, "missing: every course folder needs a course.yaml")
		return nil
	}
	var cf courseFile
	if err := decodeStrictYAML(data, &cf); err != nil {
		l.yamlFail("course.yaml", 0, err)
		return nil
	}
	c.Level, c.Duration, c.Layers, c.Prerequisites, c.PassMark = cf.Level, cf.Duration, cf.Layers, cf.Prerequisites, cf.PassMark
	c.Title, c.Summary = cf.Title, cf.Summary
	if !slices.Contains(Levels, cf.Level) {
		l.fail("course.yaml", 0, "level %q is not one of %s", cf.Level, strings.Join(Levels, ", "))
	}
	if cf.Duration <= 0 {
		l.fail("course.yaml", 0, "duration must be a number of minutes above 0")
	}
	if cf.PassMark < 1 || cf.PassMark > 100 {
		l.fail("course.yaml", 0, "pass_mark must be a percentage from 1 to 100, not %d", cf.PassMark)
	}
	if cf.Title["en"] == "" {
		l.fail("course.yaml", 0, "title: an English title (en) is required")
	}
	for _, m := range []map[string]string{cf.Title, cf.Summary} {
		for lang := range m {
			if !slices.Contains(l.languages, lang) {
				l.fail("course.yaml", 0, "unknown language code %q", lang)
			}
		}
	}
	l.loadLessons(c)
	return c
}

// loadLessons reads the lesson and quiz files of a course.
func (l *courseLoader) loadLessons(c *Course) {
	files, err := fs.ReadDir(l.fsys, l.dir)
	if err != nil {
		l.fail("", 0, "%v", err)
		return
	}
	byNumber := map[int]*Lesson{}
	quizzes := map[string]string{} // "NN.lang" -> file name
	broken := map[string]bool{}    // "NN.lang" of lesson files refused, to avoid follow-on errors
	for _, f := range files {
		name := f.Name()
		if name == "course.yaml" {
			continue
		}
		m := lessonFile.FindStringSubmatch(name)
		if m == nil || f.IsDir() {
			l.fail(name, 0, "unexpected file: lessons are NN-name.<lang>.md, quizzes NN-name.<lang>.quiz.yaml")
			continue
		}
		number, _ := strconv.Atoi(m[1])
		slug, lang, ext := m[2], m[3], m[4]
		if !slices.Contains(l.languages, lang) {
			l.fail(name, 0, "unknown language code %q", lang)
			continue
		}
		lesson := byNumber[number]
		if lesson == nil {
			lesson = &Lesson{Number: number, Name: slug, Texts: map[string]*LessonText{}}
			byNumber[number] = lesson
		} else if lesson.Name != slug {
			l.fail(name, 0, "lesson %02d is called %q in another file: a lesson has one name in every language", number, lesson.Name)
			continue
		}
		if ext == "quiz.yaml" {
			quizzes[fmt.Sprintf("%02d.%s", number, lang)] = name
			continue
		}
		if t := l.loadLessonText(name, lang); t != nil {
			lesson.Texts[lang] = t
		} else {
			broken[fmt.Sprintf("%02d.%s", number, lang)] = true
		}
	}
	for n := 1; n <= len(byNumber); n++ {
		if byNumber[n] == nil {
			l.fail("", 0, "lesson %02d is missing: lessons are numbered from 01 without gaps", n)
		}
	}
	for n := 1; n <= len(byNumber); n++ {
		lesson := byNumber[n]
		if lesson == nil {
			continue
		}
		if lesson.Texts["en"] == nil && !broken[fmt.Sprintf("%02d.en", n)] {
			l.fail(fmt.Sprintf("%02d-%s.en.md", n, lesson.Name), 0, "missing: every lesson is written in English")
		}
		c.Lessons = append(c.Lessons, lesson)
	}
	if len(c.Lessons) == 0 {
		l.fail("", 0, "the course has no lessons")
	}
	// Quizzes, English first: the other languages are checked against it.
	keys := make([]string, 0, len(quizzes))
	for k := range quizzes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ea, eb := strings.HasSuffix(a, ".en"), strings.HasSuffix(b, ".en"); ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		number, _ := strconv.Atoi(k[:2])
		lang := k[3:]
		file := quizzes[k]
		lesson := byNumber[number]
		text := lesson.Texts[lang]
		if text == nil && broken[k] {
			continue
		}
		if text == nil {
			l.fail(file, 0, "a quiz without its lesson: %02d-%s.%s.md is missing", number, lesson.Name, lang)
			continue
		}
		quiz := l.loadQuiz(file)
		if quiz == nil {
			continue
		}
		if en := lesson.Texts["en"]; lang != "en" && en != nil {
			if en.Quiz == nil {
				l.fail(file, 0, "the English lesson has no quiz: translate the English quiz")
				continue
			}
			if reason := sameShape(en.Quiz, quiz); reason != "" {
				l.fail(file, 0, "differs from the English quiz: %s", reason)
				continue
			}
		}
		text.Quiz = quiz
	}
}

// loadLessonText reads and renders one lesson file.
func (l *courseLoader) loadLessonText(name, lang string) *LessonText {
	data, err := fs.ReadFile(l.fsys, path.Join(l.dir, name))
	if err != nil {
		l.fail(name, 0, "%v", err)
		return nil
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	if !ok {
		l.fail(name, 1, "no front matter: the file must start with a line \"---\", then title and duration, then \"---\"")
		return nil
	}
	header, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		if header, ok = bytes.CutSuffix(rest, []byte("\n---")); !ok {
			l.fail(name, 1, "the front matter is not closed by a line \"---\"")
			return nil
		}
	}
	var fm frontMatter
	if err := decodeStrictYAML(header, &fm); err != nil {
		l.yamlFail(name, 1, err)
		return nil
	}
	if strings.TrimSpace(fm.Title) == "" {
		l.fail(name, 2, "front matter: title is required")
	}
	if fm.Duration <= 0 {
		l.fail(name, 2, "front matter: duration must be a number of minutes above 0")
	}
	html, toc, err := l.md.RenderDocument(string(body))
	if err != nil {
		l.fail(name, 0, "%v", err)
		return nil
	}
	return &LessonText{Lang: lang, Title: strings.TrimSpace(fm.Title), Duration: fm.Duration, HTML: html, Text: htmlText(html), TOC: toc}
}

// loadQuiz reads and checks a quiz file.
func (l *courseLoader) loadQuiz(name string) *Quiz {
	data, err := fs.ReadFile(l.fsys, path.Join(l.dir, name))
	if err != nil {
		l.fail(name, 0, "%v", err)
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		l.yamlFail(name, 0, err)
		return nil
	}
	var qf quizFile
	if err := decodeStrictYAML(data, &qf); err != nil {
		l.yamlFail(name, 0, err)
		return nil
	}
	lines := questionLines(&doc)
	before := len(l.errs)
	quiz := &Quiz{}
	if len(qf.Questions) == 0 {
		l.fail(name, 0, "a quiz needs at least one question")
	}
	for i, q := range qf.Questions {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		question := Question{Text: strings.TrimSpace(q.Text), Multiple: q.Multiple}
		correct := 0
		for _, a := range q.Answers {
			if a.Correct {
				correct++
			}
			if strings.TrimSpace(a.Text) == "" || strings.TrimSpace(a.Explanation) == "" {
				l.fail(name, line, "question %d: every answer needs a text and an explanation", i+1)
			}
			question.Answers = append(question.Answers, Answer{Text: strings.TrimSpace(a.Text), Correct: a.Correct, Explanation: strings.TrimSpace(a.Explanation)})
		}
		switch {
		case question.Text == "":
			l.fail(name, line, "question %d has no text", i+1)
		case len(q.Answers) < 2:
			l.fail(name, line, "question %d needs at least two answers", i+1)
		case correct == 0:
			l.fail(name, line, "question %d has no correct answer", i+1)
		case correct > 1 && !q.Multiple:
			l.fail(name, line, "question %d has %d correct answers: set multiple: true, or keep one", i+1, correct)
		}
		quiz.Questions = append(quiz.Questions, question)
	}
	if len(l.errs) > before {
		return nil
	}
	return quiz
}

// questionLines are the lines where the quiz's questions start.
func questionLines(doc *yaml.Node) []int {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "questions" && root.Content[i+1].Kind == yaml.SequenceNode {
			var lines []int
			for _, q := range root.Content[i+1].Content {
				lines = append(lines, q.Line)
			}
			return lines
		}
	}
	return nil
}

// sameShape says how a translated quiz differs from the English one in
// what scoring depends on: questions, answers, which are correct.
func sameShape(en, tr *Quiz) string {
	if len(en.Questions) != len(tr.Questions) {
		return fmt.Sprintf("%d questions, English has %d", len(tr.Questions), len(en.Questions))
	}
	for i := range en.Questions {
		a, b := en.Questions[i], tr.Questions[i]
		if a.Multiple != b.Multiple || len(a.Answers) != len(b.Answers) {
			return fmt.Sprintf("question %d has other answers or kind", i+1)
		}
		for j := range a.Answers {
			if a.Answers[j].Correct != b.Answers[j].Correct {
				return fmt.Sprintf("question %d: answer %d is correct in one and not the other", i+1, j+1)
			}
		}
	}
	return ""
}
