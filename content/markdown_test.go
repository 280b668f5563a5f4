package content_test

import (
	"strings"
	"testing"

	"interophub/content"
)

func TestMarkdownFeatures(t *testing.T) {
	md := content.NewMarkdown()
	tests := []struct {
		name, src string
		want      []string
	}{
		{"heading ids", "## Why interoperability?", []string{`<h2 id="why-interoperability">Why interoperability?</h2>`}},
		{"tables", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}},
		{"strikethrough", "~~old~~", []string{"<del>old</del>"}},
		{"autolinks", "see https://joinup.ec.europa.eu now", []string{`<a href="https://joinup.ec.europa.eu"`}},
		{"footnotes", "Text[^1]\n\n[^1]: Note.", []string{`<sup id="fnref:1">`, "Note."}},
		{"definition lists", "EIF\n: European Interoperability Framework", []string{"<dl>", "<dt>EIF</dt>", "<dd>European Interoperability Framework</dd>"}},
		{"typographer", `"quoted" -- dash`, []string{"“quoted”", "–"}},
		{"task lists", "- [x] done", []string{`type="checkbox"`, "checked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := md.Render(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("render(%q) = %q, missing %q", tt.src, got, w)
				}
			}
		})
	}
}

func TestMarkdownIsSafe(t *testing.T) {
	md := content.NewMarkdown()
	hostile := []string{
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		"![x](data:image/svg+xml;base64,PHN2Zz4=)",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<iframe src=https://evil.example></iframe>",
		"<div style=\"background:url(javascript:alert(1))\">x</div>",
		"[x](vbscript:msgbox(1))",
	}
	for _, src := range hostile {
		got, err := md.Render(src)
		if err != nil {
			t.Fatal(err)
		}
		low := strings.ToLower(got)
		for _, bad := range []string{"<script", "onerror", "javascript:", "vbscript:", "data:", "<iframe", "style="} {
			if strings.Contains(low, bad) {
				t.Errorf("render(%q) = %q keeps %q", src, got, bad)
			}
		}
	}
}
