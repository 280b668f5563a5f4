package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"interophub/app/i18n"
	"interophub/content"
)

// coursesReport prints, for each course, which lessons exist in which
// language (the translation report), and the problems of refused courses.
// It fails when a course was refused.
func coursesReport(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "courses: unexpected argument %q\nUsage: interophub courses\n", args[0])
		return 2
	}
	courses, errs := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), i18n.Languages)
	writeCoursesReport(stdout, courses)
	for _, err := range errs {
		fmt.Fprintf(stderr, "refused: %v\n", err)
	}
	if len(errs) > 0 {
		fmt.Fprintln(stderr, errors.New("some courses were refused").Error())
		return 1
	}
	return 0
}

// writeCoursesReport writes one table per course: a row per lesson, a
// column per language, "x" where the lesson exists ("q" with its quiz).
func writeCoursesReport(w io.Writer, courses *content.Courses) {
	for _, c := range courses.All() {
		fmt.Fprintf(w, "%s (%d lessons)\n", c.Slug, len(c.Lessons))
		fmt.Fprintf(w, "  %-40s %s\n", "lesson", strings.Join(i18n.Languages, " "))
		complete := map[string]int{}
		for _, l := range c.Lessons {
			cells := make([]string, len(i18n.Languages))
			for i, lang := range i18n.Languages {
				t, ok := l.Texts[lang]
				switch {
				case !ok:
					cells[i] = " ."
				case t.Quiz != nil:
					cells[i] = " q"
					complete[lang]++
				default:
					cells[i] = " x"
					complete[lang]++
				}
			}
			fmt.Fprintf(w, "  %-40s%s\n", fmt.Sprintf("%02d %s", l.Number, l.Name), strings.Join(cells, " "))
		}
		var done []string
		for _, lang := range i18n.Languages {
			if complete[lang] == len(c.Lessons) {
				done = append(done, lang)
			}
		}
		fmt.Fprintf(w, "  complete in %d of %d languages: %s\n\n", len(done), len(i18n.Languages), strings.Join(done, " "))
	}
	fmt.Fprintln(w, "x: lesson, q: lesson with its quiz, .: not written (shown in English)")
}
