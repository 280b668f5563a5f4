package publiccode

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"interophub/catalogue"
)

// Limits of the standard on description texts, in characters.
const (
	maxShortDescription = 150
	minLongDescription  = 150
	maxLongDescription  = 10000
	maxGenericName      = 35
)

// featuresHeading is the heading the features list gets in the body, per
// language; languages not listed use the English one.
var featuresHeading = map[string]string{
	"bg": "Функции", "cs": "Funkce", "da": "Funktioner", "de": "Funktionen", "el": "Λειτουργίες",
	"en": "Features", "es": "Funcionalidades", "et": "Funktsioonid", "fi": "Ominaisuudet",
	"fr": "Fonctionnalités", "ga": "Gnéithe", "hr": "Značajke", "hu": "Funkciók", "it": "Funzionalità",
	"lt": "Funkcijos", "lv": "Funkcijas", "nl": "Functies", "pl": "Funkcje", "pt": "Funcionalidades",
	"ro": "Funcționalități", "sk": "Funkcie", "sl": "Funkcije", "sv": "Funktioner", "vi": "Tính năng",
}

// langText is one language of description as read.
type langText struct {
	tag, lang string // as written ("pt-BR"), and its base code ("pt")
	path      string
	line      int
	title     string
	summary   string
	body      string
	keywords  []item
	field     field // the description.<lang> section
}

func (d langText) hasText() bool { return d.summary != "" || d.body != "" }

// readDescriptions maps description.<lang> to the entry's translations.
// Languages the hub does not offer are left out, unless no other language
// has text: then the first of them with text is kept as English.
func (r *reader) readDescriptions(top map[string]field, name string, res *Result) {
	f, ok := top["description"]
	if !ok {
		r.fail("description", 0, "description is missing; the file is rejected.",
			"Add a description section with at least one language, e.g. description: en: shortDescription: ... longDescription: ...")
		return
	}
	_, fields := r.fields(f.path, f.line(), f.val, nil)
	// The languages, once each: those the hub offers first, the others
	// only read when none of those has text.
	var hub, other []langText
	seen := map[string]bool{}
	for _, lf := range fields {
		base, note, ok := baseLanguage(lf.name)
		switch {
		case !ok:
			r.warn(lf.path, lf.line(), fmt.Sprintf("%q is not a language code; this description is left out.", lf.name),
				"Use an IETF language tag such as en, it or pt-BR.")
			continue
		case seen[base]:
			r.warn(lf.path, lf.line(), fmt.Sprintf("Another description in language %q comes first; this one is left out.", base),
				"Keep one description per language.")
			continue
		case note != "":
			r.warn(lf.path, lf.line(), note, "Write an IETF language tag such as en, it or pt-BR.")
		}
		seen[base] = true
		d := langText{tag: lf.name, lang: base, path: lf.path, line: lf.line(), title: name, field: lf}
		if catalogue.IsLanguage(base) {
			hub = append(hub, d)
		} else {
			other = append(other, d)
		}
	}
	var kept []langText
	for _, d := range hub {
		if d = r.readLanguage(d); d.hasText() {
			kept = append(kept, d)
		}
	}
	for _, d := range other {
		if len(kept) > 0 {
			r.warn(d.path, d.line, fmt.Sprintf("Language %q is not one of the hub's languages; this description is left out.", d.tag),
				"Nothing to do if another language covers it; the hub offers the 24 EU languages, Vietnamese and a few others.")
			continue
		}
		if d = r.readLanguage(d); d.hasText() {
			r.warn(d.path, d.line, fmt.Sprintf("Language %q is not one of the hub's languages and no other description has text; it is kept as English.", d.tag),
				"Add an English description (description: en:) or one in another EU language.")
			d.lang = "en"
			kept = append(kept, d)
		}
	}
	if len(kept) == 0 {
		r.fail("description", f.line(), "No language of description has a shortDescription or a longDescription; the file is rejected.",
			"Add description: en: shortDescription: (one line) and longDescription: (a few paragraphs).")
		return
	}
	for _, d := range kept {
		res.Input.Translations = append(res.Input.Translations, catalogue.Translation{
			Lang: d.lang, Title: d.title, Summary: d.summary, Body: d.body,
		})
		for _, k := range d.keywords {
			addKeyword(r, &res.Input, d.lang, k.value(), k.path, k.line)
		}
	}
}

// readLanguage reads one description.<lang> section into d.
func (r *reader) readLanguage(d langText) langText {
	lf, base := d.field, d.lang
	keys, _ := r.fields(lf.path, lf.line(), lf.val, descriptionKeys)
	if f, ok := keys["localisedName"]; ok {
		if s, ok := r.text(f); ok {
			d.title = s
		}
	}
	if f, ok := keys["genericName"]; ok {
		if s, ok := r.text(f); ok {
			if n := utf8.RuneCountInString(s); n > maxGenericName {
				r.warn(f.path, f.line(), fmt.Sprintf("genericName is %d characters long, more than the %d allowed.", n, maxGenericName),
					"Use a generic name of a few words, such as \"Document manager\".")
			}
			d.keywords = append(d.keywords, item{path: f.path, line: f.line(), node: f.val})
		}
	}
	if f, ok := keys["shortDescription"]; ok {
		if s, ok := r.text(f); ok {
			if n := utf8.RuneCountInString(s); n > maxShortDescription {
				r.warn(f.path, f.line(), fmt.Sprintf("shortDescription is %d characters long, more than the %d allowed.", n, maxShortDescription),
					"Say what the software does in one sentence; put the rest in longDescription.")
			}
			d.summary = s
		}
	}
	if f, ok := keys["longDescription"]; ok {
		if s, ok := r.text(f); ok {
			switch n := utf8.RuneCountInString(s); {
			case n < minLongDescription:
				r.warn(f.path, f.line(), fmt.Sprintf("longDescription is %d characters long, less than the %d required.", n, minLongDescription),
					"Describe the software in a few paragraphs: what it does, for whom, and how it is used.")
			case n > maxLongDescription:
				r.warn(f.path, f.line(), fmt.Sprintf("longDescription is %d characters long, more than the %d allowed.", n, maxLongDescription),
					"Shorten it and link to the documentation for details.")
			}
			d.body = s
		}
	}
	wrongShape := func(key string) bool {
		f, ok := keys[key]
		return ok && !isNull(f.val) && f.val.Kind != yaml.ScalarNode
	}
	switch _, short := keys["shortDescription"]; {
	case d.summary == "" && d.body == "":
		r.warn(lf.path, lf.line(), fmt.Sprintf("description.%s has neither shortDescription nor longDescription; this language is left out.", lf.name),
			"Add shortDescription and longDescription, or remove this language.")
		return d
	case d.summary == "" && !wrongShape("shortDescription"):
		key, line := join(lf.path, "shortDescription"), lf.line()
		if short {
			line = keys["shortDescription"].line()
		}
		r.warn(key, line, "shortDescription is missing or empty.", "Add shortDescription: one sentence of at most 150 characters.")
	case d.body == "" && !wrongShape("longDescription"):
		key, line := join(lf.path, "longDescription"), lf.line()
		if f, ok := keys["longDescription"]; ok {
			line = f.line()
		}
		r.warn(key, line, "longDescription is missing or empty.", "Add longDescription: a few paragraphs (150 to 10000 characters).")
	}
	if f, ok := keys["features"]; ok {
		var list []string
		for _, it := range r.texts(f) {
			list = append(list, "- "+it.value())
		}
		if len(list) > 0 {
			heading := featuresHeading[base]
			if heading == "" {
				heading = featuresHeading["en"]
			}
			d.body = strings.TrimSpace(d.body + "\n\n## " + heading + "\n\n" + strings.Join(list, "\n"))
		}
	}
	if f, ok := keys["freeTags"]; ok {
		d.keywords = append(d.keywords, r.texts(f)...)
	}
	for _, key := range []string{"documentation", "apiDocumentation"} {
		if f, ok := keys[key]; ok {
			r.url(f)
		}
	}
	for _, key := range []string{"screenshots", "awards"} {
		if f, ok := keys[key]; ok {
			r.texts(f)
		}
	}
	if f, ok := keys["videos"]; ok {
		for _, it := range r.texts(f) {
			if !isHTTPURL(it.value()) {
				r.warn(it.path, it.line, fmt.Sprintf("Video %q is not an absolute http(s) address; it is ignored.", it.value()),
					"Give the video's web address, starting with https://.")
			}
		}
	}
	return d
}
