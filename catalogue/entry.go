// Package catalogue holds the hub's domain model and its storage: entries,
// their translations, vocabularies and organisations, kept in SQLite through
// GORM. It imports neither the search index nor the web layer.
package catalogue

import (
	"errors"
	"time"
)

// ErrNotFound is returned (wrapped) when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalid is returned (wrapped) when an entry fails validation.
var ErrInvalid = errors.New("invalid")

// Kind is what an entry is.
type Kind string

// The four kinds of entry.
const (
	KindSolution Kind = "solution"
	KindStandard Kind = "standard"
	KindPractice Kind = "practice"
	KindCourse   Kind = "course"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindSolution, KindStandard, KindPractice, KindCourse}

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Plural is the path segment that lists entries of this kind ("solutions").
func (k Kind) Plural() string { return string(k) + "s" }

// KindFromPlural maps a path segment ("practices") back to its kind.
func KindFromPlural(s string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Plural() == s {
			return k, true
		}
	}
	return "", false
}

// State is where an entry stands in the publication workflow.
type State string

// Publication states.
const (
	StateDraft       State = "draft"
	StateProposed    State = "proposed"
	StatePublished   State = "published"
	StateNeedsUpdate State = "needs_update"
	StateArchived    State = "archived"
	// StateChangesRequested is a proposal a moderator sent back with a comment.
	StateChangesRequested State = "changes_requested"
)

// States lists every publication state.
var States = []State{StateDraft, StateProposed, StateChangesRequested, StatePublished, StateNeedsUpdate, StateArchived}

// Public reports whether entries in this state are shown to everybody.
func (s State) Public() bool { return s == StatePublished || s == StateNeedsUpdate }

// Entry is one item of the catalogue: a solution, a standard, a good practice
// or a course.
type Entry struct {
	ID             uint   `gorm:"primaryKey"`
	Kind           Kind   `gorm:"size:16;not null;index:idx_entries_kind_state"`
	Slug           string `gorm:"size:120;not null;uniqueIndex"`
	State          State  `gorm:"size:16;not null;index:idx_entries_kind_state"`
	OwnerID        uint   `gorm:"not null;index"`
	Owner          *Organisation
	Featured       bool
	Homepage       string `gorm:"size:500"`
	Licence        string `gorm:"size:64;index"` // SPDX id, empty when none
	Status         string `gorm:"size:32;index"` // ADMS status code
	CreatedAt      time.Time
	UpdatedAt      time.Time `gorm:"index"`
	LastReviewedAt *time.Time
	// CreatedByID is the user who created the entry; nil for imports and
	// the demo catalogue.
	CreatedByID *uint `gorm:"index"`

	Translations []Translation
	Concepts     []Concept `gorm:"many2many:entry_concepts"`
	Keywords     []Keyword
	Related      []*Entry `gorm:"many2many:entry_related"`
	Contacts     []Contact
	Releases     []Release
	Reuses       []Reuse
	Practice     *Practice
}

// Translation is an entry's text in one language. The HTML fields are the
// Markdown fields rendered (and sanitised) when the translation is saved.
type Translation struct {
	ID           uint   `gorm:"primaryKey"`
	EntryID      uint   `gorm:"not null;uniqueIndex:idx_translations_entry_lang"`
	Lang         string `gorm:"size:8;not null;uniqueIndex:idx_translations_entry_lang"`
	Title        string `gorm:"size:300;not null"`
	Summary      string `gorm:"size:1000"`
	Body         string
	BodyHTML     string
	Problem      string
	ProblemHTML  string
	Solution     string
	SolutionHTML string
	Results      string
	ResultsHTML  string
	Lessons      string
	LessonsHTML  string
	UpdatedAt    time.Time
}

// Keyword is a free keyword of an entry in one language.
type Keyword struct {
	ID      uint   `gorm:"primaryKey"`
	EntryID uint   `gorm:"not null;index"`
	Lang    string `gorm:"size:8;not null"`
	Value   string `gorm:"size:200;not null"`
}

// Contact is a point of contact for an entry: a team or an office.
type Contact struct {
	ID      uint   `gorm:"primaryKey"`
	EntryID uint   `gorm:"not null;index"`
	Name    string `gorm:"size:200;not null"`
	Email   string `gorm:"size:200"`
	URL     string `gorm:"size:500"`
}

// Release is a published version of a solution.
type Release struct {
	ID            uint   `gorm:"primaryKey"`
	EntryID       uint   `gorm:"not null;index"`
	Version       string `gorm:"size:64;not null"`
	Date          *time.Time
	Notes         string `gorm:"size:2000"`
	Distributions []Distribution
}

// Distribution is a downloadable or accessible form of a release.
type Distribution struct {
	ID        uint   `gorm:"primaryKey"`
	ReleaseID uint   `gorm:"not null;index"`
	Title     string `gorm:"size:200;not null"`
	URL       string `gorm:"size:500;not null"`
	MediaType string `gorm:"size:100"`
	Licence   string `gorm:"size:64"`
}

// Reuse records that an organisation uses an entry ("used by").
type Reuse struct {
	ID             uint `gorm:"primaryKey"`
	EntryID        uint `gorm:"not null;index"`
	OrganisationID uint `gorm:"not null;index"`
	Organisation   *Organisation
	Since          int    // year, 0 when unknown
	Note           string `gorm:"size:1000"`
}

// Practice holds the structured fields of a good practice; its narrative
// (problem, solution, results, lessons) is translated in Translation.
type Practice struct {
	ID      uint   `gorm:"primaryKey"`
	EntryID uint   `gorm:"not null;uniqueIndex"`
	Country string `gorm:"size:8"`  // ISO 3166-1 alpha-2
	Level   string `gorm:"size:16"` // local, regional, national, cross-border, european
	Sector  string `gorm:"size:64"` // theme code
	Year    int
}

// PracticeLevels lists the levels of government a practice can belong to.
var PracticeLevels = []string{"local", "regional", "national", "cross-border", "european"}

// Translation returns the entry's text in lang, falling back to English and
// then to any language. The boolean is false when lang itself is missing.
func (e *Entry) Translation(lang string) (*Translation, bool) {
	var fallback *Translation
	for i := range e.Translations {
		t := &e.Translations[i]
		switch {
		case t.Lang == lang:
			return t, true
		case t.Lang == "en":
			fallback = t
		case fallback == nil:
			fallback = t
		}
	}
	return fallback, false
}

// ConceptsOf returns the entry's concepts of one scheme, in code order.
func (e *Entry) ConceptsOf(scheme Scheme) []Concept {
	var out []Concept
	for _, c := range e.Concepts {
		if c.Scheme == scheme {
			out = append(out, c)
		}
	}
	return out
}

// KeywordsIn returns the entry's keywords in lang, or in English when it has
// none in lang.
func (e *Entry) KeywordsIn(lang string) []string {
	pick := func(l string) []string {
		var out []string
		for _, k := range e.Keywords {
			if k.Lang == l {
				out = append(out, k.Value)
			}
		}
		return out
	}
	if kw := pick(lang); len(kw) > 0 {
		return kw
	}
	return pick("en")
}

// Languages lists the languages the entry has a translation in.
func (e *Entry) Languages() []string {
	out := make([]string, 0, len(e.Translations))
	for _, t := range e.Translations {
		out = append(out, t.Lang)
	}
	return out
}

// Outdated reports whether the entry was last reviewed more than a year
// before now (or never).
func (e *Entry) Outdated(now time.Time) bool {
	return e.LastReviewedAt == nil || now.Sub(*e.LastReviewedAt) > 365*24*time.Hour
}

// TitleIn is the entry's title in lang, or its fallback.
func (e *Entry) TitleIn(lang string) string {
	if t, _ := e.Translation(lang); t != nil {
		return t.Title
	}
	return e.Slug
}

// SummaryIn is the entry's summary in lang, or its fallback.
func (e *Entry) SummaryIn(lang string) string {
	if t, _ := e.Translation(lang); t != nil {
		return t.Summary
	}
	return ""
}

// Path is the entry's address below a language prefix: "/solutions/x-road".
func (e *Entry) Path() string { return "/" + e.Kind.Plural() + "/" + e.Slug }

// HasText reports whether the translation has more than a title and summary.
func (t *Translation) HasText() bool {
	return t.Body != "" || t.Problem != "" || t.Solution != "" || t.Results != "" || t.Lessons != ""
}

// TextTranslation returns the translation whose full text (body and
// sections) a page in lang shows: lang's own when it has text, else the
// fallback. The boolean is false when the text is not in lang.
func (e *Entry) TextTranslation(lang string) (*Translation, bool) {
	if t, ok := e.Translation(lang); ok && t.HasText() {
		return t, true
	}
	t, _ := e.Translation("en")
	return t, t != nil && t.Lang == lang
}
