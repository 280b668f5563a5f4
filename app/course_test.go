package app_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/content"
)

// TestCoursePages: a course's page lists its lessons; a lesson shows its
// table of contents and the way to the next; a language without the lesson
// shows it in English and says so; the quiz is scored on the server.
func TestCoursePages(t *testing.T) {
	web, _ := newApp(t)
	courses, _ := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), i18n.Languages)
	course, ok := courses.Course("introduction-to-interoperability")
	if !ok || len(course.Lessons) < 5 {
		t.Fatalf("the introduction course is not loaded with 5 lessons or more")
	}
	first, second := course.Lessons[0], course.Lessons[1]
	en := first.Texts["en"]

	page := get(t, web, "/en/courses/introduction-to-interoperability")
	mustContain(t, "course page", page.body, "Start the course", "/en/courses/introduction-to-interoperability/"+first.Name)
	for _, l := range course.Lessons {
		mustContain(t, "syllabus", page.body, `href="/en/courses/introduction-to-interoperability/`+l.Name+`"`)
	}

	lesson := get(t, web, "/en/courses/introduction-to-interoperability/"+first.Name)
	if lesson.status != 200 {
		t.Fatalf("lesson: %d", lesson.status)
	}
	mustContain(t, "lesson", lesson.body, "Lesson 1 of "+strconv.Itoa(len(course.Lessons)), `rel="next" href="/en/courses/introduction-to-interoperability/`+second.Name+`"`)
	if len(en.TOC) > 0 {
		mustContain(t, "table of contents", lesson.body, `href="#`+en.TOC[0].ID+`"`)
	}
	if strings.Contains(lesson.body, `rel="prev"`) {
		t.Error("the first lesson links to a previous one")
	}

	// Irish has no lessons yet: English text, a notice in Irish.
	if _, found := first.Text("ga"); !found {
		ga := get(t, web, "/ga/courses/introduction-to-interoperability/"+first.Name)
		mustContain(t, "fallback", ga.body, `<div class="prose" lang="en">`)
		if !strings.Contains(ga.body, `<div class="notice" role="note">`) {
			t.Error("no fallback notice")
		}
	}

	if get(t, web, "/en/courses/introduction-to-interoperability/no-such-lesson").status != 404 {
		t.Error("an unknown lesson is not a 404")
	}

	// The quiz: all wrong, then all right.
	quiz := en.Quiz
	if quiz == nil {
		t.Fatal("lesson 1 has no quiz")
	}
	b := newBrowser(t, web)
	target := "/en/courses/introduction-to-interoperability/" + first.Name
	b.get(target)
	wrong, right := url.Values{}, url.Values{}
	for i, q := range quiz.Questions {
		name := "q" + strconv.Itoa(i)
		for j, a := range q.Answers {
			if a.Correct {
				right.Add(name, strconv.Itoa(j))
			} else if wrong.Get(name) == "" {
				wrong.Add(name, strconv.Itoa(j))
			}
		}
	}
	r := b.post(target, wrong)
	mustContain(t, "failed quiz", r.body, "You answered 0 of "+strconv.Itoa(len(quiz.Questions)), "Read the explanations below and try again.")
	mustContain(t, "explanations", r.body, htmlEscape(quiz.Questions[0].Answers[0].Explanation))
	r = b.post(target, right)
	mustContain(t, "passed quiz", r.body, "You passed this quiz.", "(100 %)")
	if r := b.post(target, url.Values{"_csrf": {"forged"}}); r.status != 403 {
		t.Errorf("a quiz without the form's token: %d", r.status)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestLearnerJourney: a signed-in learner enrols, fails then passes quizzes,
// completes every lesson, gets a certificate that anyone can verify, and
// finds it on "My learning".
func TestLearnerJourney(t *testing.T) {
	web, store := newApp(t)
	addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	courses, _ := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), i18n.Languages)
	course, _ := courses.Course("introduction-to-interoperability")
	base := "/en/courses/introduction-to-interoperability"

	b := newBrowser(t, web)
	b.signIn("lea@hub.test", testPassword)
	page := b.get(base)
	mustContain(t, "course page before enrolling", page.body, "Enrol in this course")
	if r := b.post(base+"/enrol", url.Values{}); r.status != 303 || r.header.Get("Location") != base+"/"+course.Lessons[0].Name {
		t.Fatalf("enrol: %d %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, "course page after enrolling", b.get(base).body, "0 of "+strconv.Itoa(len(course.Lessons))+" lessons completed", "Continue where you left off")

	answers := func(q *content.Quiz, right bool) url.Values {
		v := url.Values{}
		for i, question := range q.Questions {
			for j, a := range question.Answers {
				if a.Correct == right && (right || v.Get("q"+strconv.Itoa(i)) == "") {
					v.Add("q"+strconv.Itoa(i), strconv.Itoa(j))
				}
			}
		}
		return v
	}
	for i, l := range course.Lessons {
		target := base + "/" + l.Name
		b.get(target)
		quiz := l.Texts["en"].Quiz
		if quiz == nil {
			if r := b.post(target+"/done", url.Values{}); r.status != 303 {
				t.Fatalf("lesson %s done: %d", l.Name, r.status)
			}
			continue
		}
		if i == 0 {
			r := b.post(target, answers(quiz, false))
			mustContain(t, "failed quiz", r.body, "Read the explanations below and try again.")
			if strings.Contains(b.get(base).body, "1 of ") {
				t.Fatal("a failed quiz completed the lesson")
			}
		}
		r := b.post(target, answers(quiz, true))
		mustContain(t, "passed quiz", r.body, "You passed this quiz.")
	}
	page = b.get(base)
	mustContain(t, "course page when done", page.body, strconv.Itoa(len(course.Lessons))+" of "+strconv.Itoa(len(course.Lessons))+" lessons completed", "Your certificate")
	link := regexp.MustCompile(`/certificates/[0-9a-f]{32}`).FindString(page.body)
	if link == "" {
		t.Fatal("no certificate link")
	}
	// Anyone can verify it, without signing in.
	cert := get(t, web, link)
	mustContain(t, "certificate", cert.body, "Certificate of completion", "lea", "Introduction to interoperability")
	if get(t, web, "/certificates/00000000000000000000000000000000").status != 404 {
		t.Error("an unknown certificate is not a 404")
	}
	mustContain(t, "my learning", b.get("/en/learning").body, "Introduction to interoperability", link)
	// The certificate is issued once.
	if again := regexp.MustCompile(`/certificates/[0-9a-f]{32}`).FindString(b.get(base).body); again != link {
		t.Errorf("a second certificate: %s, then %s", link, again)
	}
}

// TestCertificateLanguageLinks: the certificate page (outside the language
// prefix) switches language with ?lang=.
func TestCertificateLanguageLinks(t *testing.T) {
	web, store := newApp(t)
	u := addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	cert, err := store.CompleteCourse(context.Background(), u.ID, "introduction-to-interoperability", "fr", "Léa", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	page := get(t, web, "/certificates/"+cert.ID)
	mustContain(t, "certificate in French", page.body, `lang="fr"`, `href="/certificates/`+cert.ID+`?lang=de"`)
	mustContain(t, "certificate in German", get(t, web, "/certificates/"+cert.ID+"?lang=de").body, `lang="de"`)
}

// TestAnonymousProgressIsMerged: a learner who is not signed in keeps their
// progress in a signed cookie; a forged cookie counts for nothing; signing
// in moves the progress into the account.
func TestAnonymousProgressIsMerged(t *testing.T) {
	web, store := newApp(t)
	u := addUser(t, store, "lea@hub.test", catalogue.RoleLearner)
	courses, _ := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), i18n.Languages)
	course, _ := courses.Course("introduction-to-interoperability")
	first := course.Lessons[0]
	base := "/en/courses/introduction-to-interoperability"

	b := newBrowser(t, web)
	b.get(base + "/" + first.Name)
	right := url.Values{}
	for i, q := range first.Texts["en"].Quiz.Questions {
		for j, a := range q.Answers {
			if a.Correct {
				right.Add("q"+strconv.Itoa(i), strconv.Itoa(j))
			}
		}
	}
	mustContain(t, "quiz", b.post(base+"/"+first.Name, right).body, "You passed this quiz.")
	total := strconv.Itoa(len(course.Lessons))
	mustContain(t, "course page with cookie progress", b.get(base).body, "1 of "+total+" lessons completed", "Sign in to save your progress")

	forged := newBrowser(t, web)
	forged.cookies["learning"] = b.cookies["learning"][:len(b.cookies["learning"])-2] + "xx"
	if strings.Contains(forged.get(base).body, "lessons completed") {
		t.Error("a tampered progress cookie was believed")
	}

	b.signIn("lea@hub.test", testPassword)
	if _, ok := b.cookies["learning"]; ok {
		t.Error("the progress cookie was not cleared at sign-in")
	}
	enrolment, lessons, err := store.Progress(context.Background(), u.ID, course.Slug)
	if err != nil || enrolment == nil || !lessons[first.Name].QuizPassed {
		t.Fatalf("progress not merged into the account: %+v %+v %v", enrolment, lessons, err)
	}
	mustContain(t, "course page signed in", b.get(base).body, "1 of "+total+" lessons completed")
}

// TestCoursesInTheirLanguages: every lesson of "Introduction to
// interoperability" renders in all 25 languages, and those of the two other
// courses in seven, without a fallback notice, with its quiz and the
// course's title in the page language.
func TestCoursesInTheirLanguages(t *testing.T) {
	web, _ := newApp(t)
	courses, _ := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), i18n.Languages)
	complete := map[string][]string{
		"introduction-to-interoperability":         i18n.Languages,
		"digital-by-design":                        {"en", "vi", "fr", "de", "es", "it", "pt"},
		"building-trusted-digital-public-services": {"en", "vi", "fr", "de", "es", "it", "pt"},
	}
	for slug, langs := range complete {
		course, ok := courses.Course(slug)
		if !ok || len(course.Lessons) < 5 {
			t.Errorf("%s: missing or fewer than 5 lessons", slug)
			continue
		}
		for _, lang := range langs {
			for _, l := range course.Lessons {
				text, found := l.Text(lang)
				if !found || text.Quiz == nil {
					t.Errorf("%s/%s/%s: missing (or without its quiz)", slug, lang, l.Name)
					continue
				}
				r := get(t, web, "/"+lang+"/courses/"+slug+"/"+l.Name)
				if r.status != 200 || strings.Contains(r.body, `<div class="notice" role="note">`) || !strings.Contains(r.body, `<html lang="`+lang+`">`) {
					t.Errorf("%s/%s/%s: status %d, fallback notice or wrong language", slug, lang, l.Name, r.status)
				}
				if !strings.Contains(r.body, `name="q0"`) {
					t.Errorf("%s/%s/%s: no quiz on the page", slug, lang, l.Name)
				}
				if title := html.EscapeString(course.TitleIn(lang)); !strings.Contains(r.body, title) || course.Title[lang] == "" {
					t.Errorf("%s/%s/%s: the course title in %s is missing", slug, lang, l.Name, lang)
				}
			}
		}
	}
	// A language a course is not written in falls back to English, and says so.
	r := get(t, web, "/nl/courses/digital-by-design/"+func() string { c, _ := courses.Course("digital-by-design"); return c.Lessons[0].Name }())
	if r.status != 200 || !strings.Contains(r.body, `<div class="notice" role="note">`) || !strings.Contains(r.body, `lang="en"`) {
		t.Errorf("Dutch lesson of digital-by-design: status %d, no fallback notice or no English text", r.status)
	}
}
