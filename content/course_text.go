package content

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// LessonTexts is the plain text of a course's lessons by language, in
// lesson order, with "" where a lesson is not written in that language:
// what the search index holds so that a search finds the lesson.
func (cs *Courses) LessonTexts(slug string) map[string][]string {
	c, ok := cs.bySlug[slug]
	if !ok {
		return nil
	}
	out := map[string][]string{}
	for i, l := range c.Lessons {
		for lang, t := range l.Texts {
			if out[lang] == nil {
				out[lang] = make([]string, len(c.Lessons))
			}
			out[lang][i] = t.Title + "\n" + t.Text
		}
	}
	return out
}

// Fingerprint identifies the text of every loaded lesson: it changes when
// any lesson does, so that an index built from other lessons is rebuilt.
func (cs *Courses) Fingerprint() string { return cs.fingerprint }

// fingerprintOf hashes the courses' slugs, lesson names, languages and texts.
func fingerprintOf(list []*Course) string {
	h := sha256.New()
	for _, c := range list {
		io.WriteString(h, c.Slug+"\x00")
		for _, l := range c.Lessons {
			for _, lang := range l.Languages() {
				t := l.Texts[lang]
				io.WriteString(h, l.Name+"\x00"+lang+"\x00"+t.Title+"\x00"+t.Text+"\x00")
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// htmlText is the text of rendered HTML: tags dropped, entities decoded,
// blocks separated by line breaks, footnote back-links left out.
func htmlText(fragment string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0 // inside a footnote back-link
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "a" && hasAttr && isBackLink(z) {
				skip++
			} else if skip > 0 && string(name) == "a" {
				skip++
			}
			if blocks[string(name)] && skip == 0 {
				b.WriteString("\n")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if string(name) == "a" && skip > 0 {
				skip--
			}
			if blocks[string(name)] && skip == 0 {
				b.WriteString("\n")
			}
		}
	}
}

// isBackLink reports whether the <a> start tag being read is goldmark's
// footnote back-link (↩︎).
func isBackLink(z *html.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		if string(key) == "class" && strings.Contains(string(val), "footnote-backref") {
			return true
		}
		if !more {
			return false
		}
	}
}

var blocks = map[string]bool{
	"p": true, "li": true, "h2": true, "h3": true, "h4": true, "td": true, "th": true,
	"dt": true, "dd": true, "blockquote": true, "br": true, "tr": true, "pre": true,
}
