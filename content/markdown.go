// Package content holds the hub's editorial content (the demo catalogue and,
// later, the courses) and the one Markdown configuration the program uses.
package content

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
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

// Heading is an entry of a document's table of contents.
type Heading struct {
	Level int    // 2 or 3
	ID    string // the heading's id, for a link "#id"
	Text  string
}

// RenderDocument renders Markdown like Render and also returns its table of
// contents: the level-2 and level-3 headings, in order, with their ids.
func (m *Markdown) RenderDocument(src string) (string, []Heading, error) {
	source := []byte(src)
	doc := m.md.Parser().Parse(text.NewReader(source))
	var toc []Heading
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if h.Level == 2 || h.Level == 3 {
			id, _ := h.AttributeString("id")
			idText, _ := id.([]byte)
			toc = append(toc, Heading{Level: h.Level, ID: string(idText), Text: plainText(h, source)})
		}
		return ast.WalkSkipChildren, nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("content: render markdown: %w", err)
	}
	var buf bytes.Buffer
	if err := m.md.Renderer().Render(&buf, source, doc); err != nil {
		return "", nil, fmt.Errorf("content: render markdown: %w", err)
	}
	return m.policy.Sanitize(buf.String()), toc, nil
}

// plainText is the text of a node's inline children, without markup.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.WriteString(html.UnescapeString(string(t.Value))) // typographic quotes come as entities
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
