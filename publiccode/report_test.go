package publiccode

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"interophub/catalogue"
)

// report renders what Parse makes of data, for the golden files: the
// rejected flag, the key fields of the entry and every problem.
func report(data []byte) string {
	res, err := Parse(data)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	line := func(label string, value any) {
		if s := fmt.Sprint(value); s != "" && s != "[]" {
			fmt.Fprintf(&b, "%s: %s\n", label, s)
		}
	}
	in := res.Input
	line("rejected", fmt.Sprint(res.Rejected))
	line("kind", in.Kind)
	line("state", in.State)
	line("slug", in.Slug)
	line("owner", in.Owner)
	line("homepage", in.Homepage)
	line("licence", in.Licence)
	line("status", in.Status)
	if !in.UpdatedAt.IsZero() {
		line("updated", in.UpdatedAt.Format(time.DateOnly))
	}
	for _, r := range in.Releases {
		date := "no date"
		if r.Date != nil {
			date = r.Date.Format(time.DateOnly)
		}
		line("release", r.Version+" ("+date+")")
		for _, d := range r.Distributions {
			line("  distribution", d.Title+" <"+d.URL+">")
		}
		line("  notes", r.Notes)
	}
	for _, s := range []catalogue.Scheme{catalogue.SchemeCountry, catalogue.SchemeLanguage} {
		line(string(s), strings.Join(in.Concepts[s], ", "))
	}
	langs := make([]string, 0, len(in.Keywords))
	for l := range in.Keywords {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		line("keywords["+l+"]", strings.Join(in.Keywords[l], ", "))
	}
	for _, c := range in.Contacts {
		line("contact", strings.TrimSpace(fmt.Sprintf("%s <%s> %s", c.Name, c.Email, c.URL)))
	}
	for _, u := range in.Reuses {
		line("reuse", u.Organisation)
	}
	for _, o := range res.Organisations {
		line("organisation", fmt.Sprintf("%s (%s)", o.Slug, o.Name))
	}
	for _, t := range in.Translations {
		fmt.Fprintf(&b, "translation %s:\n  title: %s\n  summary: %s\n", t.Lang, t.Title, t.Summary)
		if t.Body == "" {
			continue
		}
		b.WriteString("  body:\n")
		for _, l := range strings.Split(t.Body, "\n") {
			fmt.Fprintf(&b, "    |%s\n", l)
		}
	}
	fmt.Fprintf(&b, "problems: %d\n", len(res.Problems))
	for _, p := range res.Problems {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}
