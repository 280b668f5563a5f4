package catalogue

import "time"

// RevisionState is where a saved version of an entry stands.
type RevisionState string

// Revision states. A revision is applied when its content became the
// entry's; pending while a moderator has to validate it (an edit to a
// published entry); changes_requested when the moderator sent it back;
// superseded when a newer pending edit replaced it.
const (
	RevisionApplied          RevisionState = "applied"
	RevisionPending          RevisionState = "pending"
	RevisionChangesRequested RevisionState = "changes_requested"
	RevisionSuperseded       RevisionState = "superseded"
)

// Revision is one saved version of an entry: everything it holds, as the
// EntryInput that was saved, in JSON.
type Revision struct {
	ID        uint          `gorm:"primaryKey"`
	EntryID   uint          `gorm:"not null;index"`
	AuthorID  *uint         `gorm:"index"` // nil for imports and the demo
	Author    *User         `gorm:"foreignKey:AuthorID"`
	State     RevisionState `gorm:"size:24;not null;index"`
	Note      string        `gorm:"size:2000"` // the author's summary of the change
	Data      string        `gorm:"not null"`  // JSON of the EntryInput
	CreatedAt time.Time
}

// Transition is a line of an entry's audit log: who moved it from one state
// to another, when and why.
type Transition struct {
	ID         uint  `gorm:"primaryKey"`
	EntryID    uint  `gorm:"not null;index"`
	RevisionID *uint // the revision concerned, when there is one
	ActorID    *uint
	Actor      *User  `gorm:"foreignKey:ActorID"`
	From       State  `gorm:"size:24;not null"`
	To         State  `gorm:"size:24;not null"`
	Comment    string `gorm:"size:2000"`
	CreatedAt  time.Time
}

// TableName names the audit log.
func (Transition) TableName() string { return "entry_transitions" }

// Attachment is a file uploaded with an entry (a document or an image),
// stored under the data folder as StoredName.
type Attachment struct {
	ID          uint   `gorm:"primaryKey"`
	EntryID     uint   `gorm:"not null;index"`
	UploaderID  uint   `gorm:"not null;index"`
	StoredName  string `gorm:"size:80;not null;uniqueIndex"` // generated, never from the user
	FileName    string `gorm:"size:255;not null"`            // as uploaded, for display and download
	ContentType string `gorm:"size:100;not null"`            // sniffed, from the allow list
	Size        int64  `gorm:"not null"`
	SHA256      string `gorm:"size:64;not null"`
	CreatedAt   time.Time
}
