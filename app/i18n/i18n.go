// Package i18n holds the user-interface strings in the 25 languages of the
// hub and picks the language of a request.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// localeFiles holds each language's strings: locales/<lang>.json for the
// site and locales/<area>/<lang>.json for larger areas (accounts,
// contributing, notifications), so each area's texts can be read and
// translated together.
//
//go:embed locales
var localeFiles embed.FS

// localeFileNames lists the files of one language.
func localeFileNames(lang string) ([]string, error) {
	names := []string{"locales/" + lang + ".json"}
	areas, err := fs.Glob(localeFiles, "locales/*/"+lang+".json")
	if err != nil {
		return nil, err
	}
	return append(names, areas...), nil
}

// Languages are the UI languages: the 24 official EU languages and Vietnamese,
// in alphabetical order of their codes. English is the fallback.
var Languages = []string{
	"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
	"it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "vi",
}

// Fallback is the language shown when a text is missing.
const Fallback = "en"

// endonyms are the languages' names in themselves, as a language switcher
// shows them.
var endonyms = map[string]string{
	"bg": "Български", "cs": "Čeština", "da": "Dansk", "de": "Deutsch", "el": "Ελληνικά",
	"en": "English", "es": "Español", "et": "Eesti", "fi": "Suomi", "fr": "Français",
	"ga": "Gaeilge", "hr": "Hrvatski", "hu": "Magyar", "it": "Italiano", "lt": "Lietuvių",
	"lv": "Latviešu", "mt": "Malti", "nl": "Nederlands", "pl": "Polski", "pt": "Português",
	"ro": "Română", "sk": "Slovenčina", "sl": "Slovenščina", "sv": "Svenska", "vi": "Tiếng Việt",
}

// Catalog holds a Locale per UI language. Build it once with New.
type Catalog struct {
	locales map[string]*Locale
	matcher language.Matcher
	tags    []language.Tag
}

// New loads the embedded locale files.
func New() (*Catalog, error) {
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{locales: map[string]*Locale{}}
	for _, lang := range Languages {
		names, err := localeFileNames(lang)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		for _, name := range names {
			data, err := fs.ReadFile(localeFiles, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			if _, err := bundle.ParseMessageFileBytes(data, name); err != nil {
				return nil, fmt.Errorf("i18n: parse %s: %w", name, err)
			}
		}
		c.tags = append(c.tags, language.MustParse(lang))
	}
	// The matcher's first tag is its default: put English first.
	tags := append([]language.Tag{language.English}, c.tags...)
	c.matcher = language.NewMatcher(tags)
	for _, lang := range Languages {
		tag := language.MustParse(lang)
		c.locales[lang] = &Locale{
			Lang:      lang,
			localizer: goi18n.NewLocalizer(bundle, lang, Fallback),
			languages: display.Languages(tag),
			regions:   display.Regions(tag),
		}
	}
	return c, nil
}

// Locale returns the locale of a UI language, or nil when lang is not one.
func (c *Catalog) Locale(lang string) *Locale { return c.locales[lang] }

// Negotiate picks the UI language that best matches an Accept-Language
// header; English when nothing matches.
func (c *Catalog) Negotiate(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Fallback
	}
	_, idx, conf := c.matcher.Match(tags...)
	if conf == language.No || idx == 0 {
		return Fallback
	}
	return Languages[idx-1]
}

// Endonym is a UI language's name in itself ("Deutsch").
func Endonym(lang string) string { return endonyms[lang] }

// Locale translates UI strings into one language. It is safe for concurrent use.
type Locale struct {
	Lang      string
	localizer *goi18n.Localizer
	languages display.Namer
	regions   display.Namer
}

// Tr translates key. Optional args are name/value pairs for the message's
// placeholders: Tr("entry.reuse.since", "Year", 2017).
func (l *Locale) Tr(key string, args ...any) string {
	return l.localize(key, nil, args)
}

// TrN translates a plural message for count n; {{.Count}} is set to n.
func (l *Locale) TrN(key string, n int, args ...any) string {
	return l.localize(key, n, append(args, "Count", n))
}

func (l *Locale) localize(key string, count any, args []any) string {
	var data map[string]any
	if len(args) > 0 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	s, err := l.localizer.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		return key // a missing key shows itself; the locale test keeps this from shipping
	}
	return s
}

// LanguageName is a language's name in this locale ("Estonian").
func (l *Locale) LanguageName(code string) string {
	return upperFirst(l.LanguageNameInSentence(code))
}

// LanguageNameInSentence is a language's name as written inside a sentence
// of this locale: "français" in French, "Deutsch" in German.
func (l *Locale) LanguageNameInSentence(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	if name := l.languages.Name(tag); name != "" {
		return name
	}
	return code
}

// CountryName is a country's or region's name in this locale ("Estonia").
func (l *Locale) CountryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := l.regions.Name(r); name != "" {
		return upperFirst(name)
	}
	return code
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
