package i18n

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func readLocale(t *testing.T, lang string) map[string]any {
	t.Helper()
	names, err := localeFileNames(lang)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	for _, name := range names {
		data, err := fs.ReadFile(localeFiles, name)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		var part map[string]any
		if err := json.Unmarshal(data, &part); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				t.Errorf("%s: key %q is also in another file", name, k)
			}
			m[k] = v
		}
	}
	return m
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(v any) string {
	var texts []string
	switch x := v.(type) {
	case string:
		texts = []string{x}
	case map[string]any:
		for _, form := range x {
			s, _ := form.(string)
			texts = append(texts, s)
		}
	}
	set := map[string]bool{}
	for _, s := range texts {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			set[m[1]] = true
		}
	}
	var names []string
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// TestLocalesAreComplete fails when a language lacks a key English has, has
// a key English does not, leaves a value empty or drops a placeholder.
func TestLocalesAreComplete(t *testing.T) {
	en := readLocale(t, "en")
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			m := readLocale(t, lang)
			for key, want := range en {
				got, ok := m[key]
				if !ok {
					t.Errorf("missing key %q", key)
					continue
				}
				switch v := got.(type) {
				case string:
					if strings.TrimSpace(v) == "" {
						t.Errorf("empty value for %q", key)
					}
				case map[string]any:
					if _, plural := want.(map[string]any); !plural {
						t.Errorf("%q is plural here but not in English", key)
					}
					for form, text := range v {
						if s, _ := text.(string); strings.TrimSpace(s) == "" {
							t.Errorf("empty %s form for %q", form, key)
						}
					}
				default:
					t.Errorf("%q has a value of type %T", key, got)
				}
				if p, q := placeholders(want), placeholders(got); p != q && !(key == "home.count" || key == "browse.results") {
					t.Errorf("%q: placeholders {%s}, English has {%s}", key, q, p)
				}
			}
			for key := range m {
				if _, ok := en[key]; !ok {
					t.Errorf("key %q is not in English", key)
				}
			}
		})
	}
}

// TestPluralsCoverEveryCount localises every plural message for counts that
// exercise each CLDR category, so a missing form (Polish "few", Irish "two")
// fails here rather than on a page.
func TestPluralsCoverEveryCount(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	en := readLocale(t, "en")
	for _, lang := range Languages {
		loc := c.Locale(lang)
		for key, v := range en {
			if _, plural := v.(map[string]any); !plural {
				continue
			}
			for _, n := range []int{0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 19, 20, 21, 22, 25, 100, 101, 102, 111, 1000, 1000000} {
				got := loc.TrN(key, n)
				if got == key || !strings.Contains(got, strconv.Itoa(n)) {
					t.Errorf("%s %s(%d) = %q", lang, key, n, got)
				}
			}
		}
	}
}

func TestNegotiate(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"":                          "en",
		"de-AT,de;q=0.9,en;q=0.8":   "de",
		"vi-VN":                     "vi",
		"pt-BR,pt;q=0.9":            "pt",
		"ja,zh;q=0.5":               "en",
		"fr-CH, fr;q=0.9, en;q=0.8": "fr",
		"nonsense;;;":               "en",
		"ga-IE":                     "ga",
		"es-419,en;q=0.5":           "es",
	}
	for header, want := range tests {
		if got := c.Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Locale("de").CountryName("EE"); got != "Estland" {
		t.Errorf("de EE = %q", got)
	}
	if got := c.Locale("fr").LanguageName("et"); got != "Estonien" {
		t.Errorf("fr et = %q", got)
	}
	if got := c.Locale("vi").Tr("entry.reuse.since", "Year", 2017); !strings.Contains(got, "2017") {
		t.Errorf("vi since = %q", got)
	}
	if got := c.Locale("en").Tr("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
}
