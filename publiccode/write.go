package publiccode

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"interophub/catalogue"
)

// WriteVersion is the version of the standard Write follows.
const WriteVersion = "0.4"

// developmentStatusOf maps the hub's statuses back to developmentStatus.
var developmentStatusOf = map[string]string{
	"under-development": "development",
	"completed":         "stable",
	"deprecated":        "obsolete",
	"withdrawn":         "obsolete",
}

// The shape of a written file; fields are written in this order.
type (
	fileOut struct {
		Version           string             `yaml:"publiccodeYmlVersion"`
		Name              string             `yaml:"name"`
		URL               string             `yaml:"url"`
		LandingURL        string             `yaml:"landingURL,omitempty"`
		SoftwareVersion   string             `yaml:"softwareVersion,omitempty"`
		ReleaseDate       string             `yaml:"releaseDate,omitempty"`
		Platforms         []string           `yaml:"platforms"`
		Categories        []string           `yaml:"categories,omitempty"`
		UsedBy            []string           `yaml:"usedBy,omitempty"`
		DevelopmentStatus string             `yaml:"developmentStatus"`
		SoftwareType      string             `yaml:"softwareType"`
		IntendedAudience  *audienceOut       `yaml:"intendedAudience,omitempty"`
		Description       map[string]descOut `yaml:"description"`
		Legal             legalOut           `yaml:"legal"`
		Maintenance       maintenanceOut     `yaml:"maintenance"`
		Localisation      localisationOut    `yaml:"localisation"`
	}
	audienceOut struct {
		Countries []string `yaml:"countries"`
	}
	descOut struct {
		LocalisedName    string `yaml:"localisedName,omitempty"`
		ShortDescription string `yaml:"shortDescription"`
		LongDescription  string `yaml:"longDescription"`
	}
	legalOut struct {
		License            string `yaml:"license,omitempty"`
		MainCopyrightOwner string `yaml:"mainCopyrightOwner,omitempty"`
		RepoOwner          string `yaml:"repoOwner,omitempty"`
	}
	maintenanceOut struct {
		Type     string       `yaml:"type"`
		Contacts []contactOut `yaml:"contacts,omitempty"`
	}
	contactOut struct {
		Name  string `yaml:"name"`
		Email string `yaml:"email,omitempty"`
	}
	localisationOut struct {
		LocalisationReady  bool     `yaml:"localisationReady"`
		AvailableLanguages []string `yaml:"availableLanguages"`
	}
)

// Write describes a solution as a publiccode.yml file (version 0.4).
// pageURL is the entry's page on the hub: its landingURL, and its url when
// the entry has no distribution or homepage. The entry should be loaded
// with its owner, translations, concepts, keywords, contacts, releases and
// reuses.
func Write(e *catalogue.Entry, pageURL string) ([]byte, error) {
	if e == nil {
		return nil, errors.New("publiccode: write: no entry")
	}
	if len(e.Translations) == 0 {
		return nil, fmt.Errorf("publiccode: write %q: the entry has no translation", e.Slug)
	}
	name := e.TitleIn("en")
	f := fileOut{
		Version:           WriteVersion,
		Name:              name,
		URL:               sourceURL(e, pageURL),
		LandingURL:        pageURL,
		Platforms:         []string{"web"},
		DevelopmentStatus: developmentStatusOf[e.Status],
		SoftwareType:      "standalone/other",
		Description:       map[string]descOut{},
		Legal:             legalOut{License: e.Licence},
		Maintenance:       maintenanceOut{Type: "none"},
		Localisation:      localisationOut{LocalisationReady: true},
	}
	if f.DevelopmentStatus == "" {
		f.DevelopmentStatus = "development"
	}
	if rel := latestRelease(e); rel != nil {
		if rel.Version != "current" {
			f.SoftwareVersion = rel.Version
		}
		if rel.Date != nil {
			f.ReleaseDate = rel.Date.UTC().Format(time.DateOnly)
		}
	}
	if f.ReleaseDate == "" && !e.UpdatedAt.IsZero() {
		f.ReleaseDate = e.UpdatedAt.UTC().Format(time.DateOnly)
	}
	for _, k := range e.KeywordsIn("en") {
		if c := slugify(k); c != "" && !contains(f.Categories, c) {
			f.Categories = append(f.Categories, c)
		}
	}
	for _, u := range e.Reuses {
		if u.Organisation != nil && u.Organisation.Name != "" {
			f.UsedBy = append(f.UsedBy, u.Organisation.Name)
		}
	}
	for _, c := range e.ConceptsOf(catalogue.SchemeCountry) {
		if c.Code == "EU" {
			continue
		}
		if f.IntendedAudience == nil {
			f.IntendedAudience = &audienceOut{}
		}
		f.IntendedAudience.Countries = append(f.IntendedAudience.Countries, strings.ToLower(c.Code))
	}
	if e.Owner != nil {
		f.Legal.MainCopyrightOwner, f.Legal.RepoOwner = e.Owner.Name, e.Owner.Name
	}
	for _, c := range e.Contacts {
		if c.Name != "" {
			f.Maintenance.Contacts = append(f.Maintenance.Contacts, contactOut{Name: c.Name, Email: c.Email})
		}
	}
	if len(f.Maintenance.Contacts) > 0 {
		f.Maintenance.Type = "internal"
	}
	for _, c := range e.ConceptsOf(catalogue.SchemeLanguage) {
		f.Localisation.AvailableLanguages = append(f.Localisation.AvailableLanguages, c.Code)
	}
	if len(f.Localisation.AvailableLanguages) == 0 {
		f.Localisation.AvailableLanguages = e.Languages()
	}
	for _, t := range e.Translations {
		d := descOut{ShortDescription: cut(t.Summary, maxShortDescription), LongDescription: strings.TrimSpace(t.Body)}
		if d.ShortDescription == "" {
			d.ShortDescription = cut(t.Title, maxShortDescription)
		}
		if utf8.RuneCountInString(d.LongDescription) < minLongDescription && t.Summary != "" {
			d.LongDescription = strings.TrimSpace(t.Summary + "\n\n" + d.LongDescription)
		}
		if d.LongDescription == "" {
			d.LongDescription = d.ShortDescription
		}
		if t.Title != name {
			d.LocalisedName = t.Title
		}
		f.Description[t.Lang] = d
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# publiccode.yml of %s, written by Interop Hub.\n", pageURL)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("publiccode: write %q: %w", e.Slug, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("publiccode: write %q: %w", e.Slug, err)
	}
	return buf.Bytes(), nil
}

// sourceURL is the first http(s) distribution of the latest release, else
// of any release, else the homepage, else pageURL.
func sourceURL(e *catalogue.Entry, pageURL string) string {
	releases := e.Releases
	if rel := latestRelease(e); rel != nil {
		releases = append([]catalogue.Release{*rel}, releases...)
	}
	for _, rel := range releases {
		for _, d := range rel.Distributions {
			if isHTTPURL(d.URL) {
				return d.URL
			}
		}
	}
	if isHTTPURL(e.Homepage) {
		return e.Homepage
	}
	return pageURL
}

// latestRelease is the release with the latest date, else the last one.
func latestRelease(e *catalogue.Entry) *catalogue.Release {
	var latest *catalogue.Release
	for i := range e.Releases {
		r := &e.Releases[i]
		switch {
		case latest == nil, r.Date == nil && latest.Date == nil:
			latest = r
		case r.Date != nil && (latest.Date == nil || !r.Date.Before(*latest.Date)):
			latest = r
		}
	}
	return latest
}

// cut shortens s to at most n characters, ending with "…" when cut.
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(rs), ' '); i > n/2 {
		return string(rs)[:i] + "…"
	}
	return string(rs) + "…"
}
