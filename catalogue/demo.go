package catalogue

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
	"gorm.io/gorm"
)

// The demo catalogue's file format is documented in
// content/catalogue/README.md; these types mirror it.
type (
	demoOrganisation struct {
		Slug        string            `yaml:"slug"`
		Name        string            `yaml:"name"`
		Acronym     string            `yaml:"acronym"`
		Type        string            `yaml:"type"`
		Country     string            `yaml:"country"`
		Website     string            `yaml:"website"`
		Description map[string]string `yaml:"description"`
	}
	demoEntry struct {
		Slug         string              `yaml:"slug"`
		Kind         Kind                `yaml:"kind"`
		Owner        string              `yaml:"owner"`
		Created      time.Time           `yaml:"created"`
		LastReviewed *time.Time          `yaml:"last_reviewed"`
		Featured     bool                `yaml:"featured"`
		Homepage     string              `yaml:"homepage"`
		Layers       []string            `yaml:"layers"`
		Principles   []string            `yaml:"principles"`
		Themes       []string            `yaml:"themes"`
		Countries    []string            `yaml:"countries"`
		Languages    []string            `yaml:"languages"`
		Licence      string              `yaml:"licence"`
		Status       string              `yaml:"status"`
		Keywords     map[string][]string `yaml:"keywords"`
		Related      []string            `yaml:"related"`
		Contacts     []struct {
			Name  string `yaml:"name"`
			Email string `yaml:"email"`
			URL   string `yaml:"url"`
		} `yaml:"contacts"`
		Releases []struct {
			Version       string     `yaml:"version"`
			Date          *time.Time `yaml:"date"`
			Notes         string     `yaml:"notes"`
			Distributions []struct {
				Title     string `yaml:"title"`
				URL       string `yaml:"url"`
				MediaType string `yaml:"media_type"`
				Licence   string `yaml:"licence"`
			} `yaml:"distributions"`
		} `yaml:"releases"`
		UsedBy []struct {
			Org   string `yaml:"org"`
			Since int    `yaml:"since"`
			Note  string `yaml:"note"`
		} `yaml:"used_by"`
		Practice *struct {
			Country string `yaml:"country"`
			Level   string `yaml:"level"`
			Sector  string `yaml:"sector"`
			Year    int    `yaml:"year"`
		} `yaml:"practice"`
		Translations map[string]struct {
			Title    string `yaml:"title"`
			Summary  string `yaml:"summary"`
			Body     string `yaml:"body"`
			Problem  string `yaml:"problem"`
			Solution string `yaml:"solution"`
			Results  string `yaml:"results"`
			Lessons  string `yaml:"lessons"`
		} `yaml:"translations"`
	}
)

// Demo is the parsed demo catalogue.
type Demo struct {
	Organisations []Organisation
	Entries       []EntryInput
}

// ReadDemo parses the demo catalogue from fsys (laid out as
// content/catalogue/). Unknown fields are errors, so typos do not pass.
func ReadDemo(fsys fs.FS) (*Demo, error) {
	d := &Demo{}
	orgFiles, err := fs.Glob(fsys, "organisations/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalogue: read demo: %w", err)
	}
	for _, name := range orgFiles {
		var orgs []demoOrganisation
		if err := decodeStrict(fsys, name, &orgs); err != nil {
			return nil, err
		}
		for _, o := range orgs {
			org := Organisation{Slug: o.Slug, Name: o.Name, Acronym: o.Acronym, Type: o.Type, Country: o.Country, Website: o.Website}
			for _, lang := range sortedKeys(o.Description) {
				org.Translations = append(org.Translations, OrganisationTranslation{Lang: lang, Description: strings.TrimSpace(o.Description[lang])})
			}
			d.Organisations = append(d.Organisations, org)
		}
	}
	for _, kind := range Kinds {
		files, err := fs.Glob(fsys, kind.Plural()+"/*.yaml")
		if err != nil {
			return nil, fmt.Errorf("catalogue: read demo: %w", err)
		}
		for _, name := range files {
			var de demoEntry
			if err := decodeStrict(fsys, name, &de); err != nil {
				return nil, err
			}
			if want := strings.TrimSuffix(path.Base(name), ".yaml"); de.Slug != want || de.Kind != kind {
				return nil, fmt.Errorf("catalogue: read demo %s: slug %q and kind %q must match the file's name and folder", name, de.Slug, de.Kind)
			}
			d.Entries = append(d.Entries, de.input())
		}
	}
	return d, nil
}

func decodeStrict(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("catalogue: read demo %s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("catalogue: read demo %s: %w", name, err)
	}
	return nil
}

func (de demoEntry) input() EntryInput {
	in := EntryInput{
		Kind: de.Kind, Slug: de.Slug, State: StatePublished, Owner: de.Owner,
		Featured: de.Featured, Homepage: de.Homepage, Licence: de.Licence, Status: de.Status,
		CreatedAt: de.Created, LastReviewedAt: de.LastReviewed, Keywords: de.Keywords,
		Related: de.Related,
		Concepts: map[Scheme][]string{
			SchemeLayer: de.Layers, SchemePrinciple: de.Principles, SchemeTheme: de.Themes,
			SchemeCountry: de.Countries, SchemeLanguage: de.Languages,
		},
	}
	// The files carry no edit time: an entry was last updated when it was
	// last reviewed.
	in.UpdatedAt = de.Created
	if de.LastReviewed != nil && de.LastReviewed.After(de.Created) {
		in.UpdatedAt = *de.LastReviewed
	}
	for _, c := range de.Contacts {
		in.Contacts = append(in.Contacts, Contact{Name: c.Name, Email: c.Email, URL: c.URL})
	}
	for _, r := range de.Releases {
		rel := Release{Version: r.Version, Date: r.Date, Notes: strings.TrimSpace(r.Notes)}
		for _, dist := range r.Distributions {
			rel.Distributions = append(rel.Distributions, Distribution{Title: dist.Title, URL: dist.URL, MediaType: dist.MediaType, Licence: dist.Licence})
		}
		in.Releases = append(in.Releases, rel)
	}
	for _, u := range de.UsedBy {
		in.Reuses = append(in.Reuses, ReuseInput{Organisation: u.Org, Since: u.Since, Note: strings.TrimSpace(u.Note)})
	}
	if p := de.Practice; p != nil {
		in.Practice = &Practice{Country: p.Country, Level: p.Level, Sector: p.Sector, Year: p.Year}
	}
	for _, lang := range sortedKeys(de.Translations) {
		t := de.Translations[lang]
		in.Translations = append(in.Translations, Translation{
			Lang: lang, Title: t.Title, Summary: t.Summary, Body: t.Body,
			Problem: t.Problem, Solution: t.Solution, Results: t.Results, Lessons: t.Lessons,
		})
	}
	return in
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// LoadDemo loads the demo catalogue into an empty database, all or nothing,
// and reports how many entries it loaded. A database that already holds
// entries is left untouched (0, nil), so calling it on every start is safe.
func (s *Store) LoadDemo(ctx context.Context, fsys fs.FS) (int, error) {
	var n int64
	if err := s.r.WithContext(ctx).Model(&Entry{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("catalogue: load demo: %w", err)
	}
	if n > 0 {
		return 0, nil
	}
	demo, err := ReadDemo(fsys)
	if err != nil {
		return 0, err
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range demo.Organisations {
			if err := saveOrganisation(tx, &demo.Organisations[i]); err != nil {
				return fmt.Errorf("organisation %q: %w", demo.Organisations[i].Slug, err)
			}
		}
		// Entries first, then the links between them, which may point forward.
		for _, in := range demo.Entries {
			in.Related = nil
			if _, err := s.saveEntry(ctx, tx, in); err != nil {
				return fmt.Errorf("entry %q: %w", in.Slug, err)
			}
		}
		for _, in := range demo.Entries {
			if err := setRelated(tx, in.Slug, in.Related); err != nil {
				return fmt.Errorf("related of %q: %w", in.Slug, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("catalogue: load demo: %w", err)
	}
	s.notifyChanged()
	return len(demo.Entries), nil
}
