// Package content holds the hub's editorial content (the demo catalogue and,
// later, the courses) and the one Markdown configuration the program uses.
package content

import (
	"bytes"
	"fmt"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Markdown renders Markdown to sanitised HTML. It is the program's only
// Markdown configuration; it is safe for concurrent use.
type Markdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewMarkdown builds the renderer: GFM (tables, strikethrough, autolinks,
// task lists), footnotes, definition lists, typographic punctuation and
// automatic heading ids. Raw HTML in the source is never rendered, and the
// output goes through a bluemonday policy for user-generated content, so no
// script, event handler or javascript:/data: URL survives.
func NewMarkdown() *Markdown {
	policy := bluemonday.UGCPolicy()
	policy.AllowAttrs("id").Matching(bluemonday.Paragraph).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	policy.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("li", "input", "sup", "a", "div", "hr", "ol")
	policy.AllowAttrs("type", "checked", "disabled").OnElements("input")
	policy.RequireNoFollowOnLinks(false)
	policy.RequireNoReferrerOnLinks(true)
	return &Markdown{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
			goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		),
		policy: policy,
	}
}

// Render converts Markdown to safe HTML.
func (m *Markdown) Render(src string) (string, error) {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("content: render markdown: %w", err)
	}
	return m.policy.Sanitize(buf.String()), nil
}
