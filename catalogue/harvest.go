package catalogue

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"
)

// Harvest source kinds.
const (
	SourceRDF        = "rdf"        // ADMS-AP / DCAT-AP RDF at a URL
	SourcePubliccode = "publiccode" // a publiccode.yml URL, or a folder of them
)

// Schedules say how often a source is harvested.
var Schedules = []string{"manual", "hourly", "daily", "weekly"}

// ScheduleEvery is the time between runs of a schedule; 0 for manual.
func ScheduleEvery(schedule string) time.Duration {
	switch schedule {
	case "hourly":
		return time.Hour
	case "daily":
		return 24 * time.Hour
	case "weekly":
		return 7 * 24 * time.Hour
	}
	return 0
}

// HarvestSource is a catalogue harvested on a schedule.
type HarvestSource struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:200;not null"`
	URL       string `gorm:"size:1000;not null"` // a URL, or a folder for publiccode
	Kind      string `gorm:"size:16;not null"`
	Format    string `gorm:"size:16"` // an RDF format name; "" finds it from the response
	OwnerID   uint   `gorm:"not null;index"`
	Owner     *Organisation
	Schedule  string     `gorm:"size:16;not null"`
	NextRunAt *time.Time `gorm:"index"`
	CreatedAt time.Time
	UpdatedAt time.Time
	LastRun   *HarvestRun `gorm:"-"`
}

// Key identifies the source among harvested entries: by id, so that its
// address can change without its entries being taken for new ones.
func (s *HarvestSource) Key() string { return fmt.Sprintf("source:%d", s.ID) }

// Harvest run states.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunFailed  = "failed"
)

// HarvestRun is one harvest of a source (or one import from the command
// line), with its result per entity.
type HarvestRun struct {
	ID         uint           `gorm:"primaryKey"`
	SourceID   *uint          `gorm:"index"`
	Source     *HarvestSource `gorm:"-"`
	Origin     string         `gorm:"size:1000;not null"` // what was read: a URL or file names
	StartedAt  time.Time      `gorm:"index"`
	FinishedAt *time.Time
	Status     string `gorm:"size:16;not null"`
	Error      string `gorm:"size:2000"`
	Created    int
	Updated    int
	Unchanged  int
	Rejected   int
	Gone       int
	Items      []HarvestItem `gorm:"foreignKey:RunID"`
}

// Item results.
const (
	ItemCreated   = "created"
	ItemUpdated   = "updated"
	ItemUnchanged = "unchanged"
	ItemRejected  = "rejected"
	ItemGone      = "gone"     // no longer in its source: marked, not deleted
	ItemDetached  = "detached" // edited by hand since: the harvest leaves it alone
)

// HarvestItem is what happened to one harvested entity.
type HarvestItem struct {
	ID       uint   `gorm:"primaryKey"`
	RunID    uint   `gorm:"not null;index"`
	Subject  string `gorm:"size:1000;not null"` // its IRI, or its file
	Slug     string `gorm:"size:120"`
	EntryID  *uint  `gorm:"index"`
	Result   string `gorm:"size:16;not null"`
	Problems string // JSON list of HarvestProblem
}

// HarvestProblem is a problem with a harvested entity, in plain words.
type HarvestProblem struct {
	Where    string `json:"where"` // the property or key at fault: "dct:title", "legal.license"
	Line     int    `json:"line,omitempty"`
	Severity string `json:"severity"` // "error" rejects the entity; "warning" does not
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

// ProblemList decodes the item's problems.
func (it *HarvestItem) ProblemList() []HarvestProblem {
	var out []HarvestProblem
	_ = json.Unmarshal([]byte(it.Problems), &out)
	return out
}

// HarvestedEntry records where a harvested entry comes from.
type HarvestedEntry struct {
	EntryID     uint   `gorm:"primaryKey"`
	SourceKey   string `gorm:"size:1000;not null"`
	Subject     string `gorm:"size:1000;not null"`
	SourceID    *uint
	Origin      string `gorm:"size:1000;not null"`
	Hash        string `gorm:"size:64;not null"`
	ItemID      *uint
	HarvestedAt time.Time
	GoneAt      *time.Time
	DetachedAt  *time.Time
	Source      *HarvestSource   `gorm:"-"`
	Problems    []HarvestProblem `gorm:"-"` // of the last harvest
}

// SourceName is what an entry's page says it comes from: the source's
// name, else the file or address it was imported from (its last part:
// server paths are not shown).
func (h *HarvestedEntry) SourceName() string {
	if h.Source != nil {
		return h.Source.Name
	}
	return path.Base(strings.TrimRight(h.Origin, "/"))
}

// Locked reports whether the entry follows its source: not editable by
// hand until detached.
func (h *HarvestedEntry) Locked() bool { return h != nil && h.DetachedAt == nil }

// HarvestAsset is one entity read from a source, ready to apply.
type HarvestAsset struct {
	Subject       string
	Input         EntryInput
	Organisations []Organisation // to create when missing
	Problems      []HarvestProblem
}

// Rejected reports whether a problem rejects the asset.
func (a *HarvestAsset) Rejected() bool {
	for _, p := range a.Problems {
		if p.Severity == "error" {
			return true
		}
	}
	return false
}
