package catalogue

import (
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations is the schema's history, applied in order and never edited once
// released: a change to a model is a new migration appended here. Each
// migration declares the tables as they were at that point (the v1 types
// below), so replaying history on an empty database always gives the same
// schema whatever the current models look like.
var migrations = []*gormigrate.Migration{
	{ID: "2026112301_initial_schema", Migrate: migrateInitialSchema},
	{ID: "2026112501_search_outbox", Migrate: migrateSearchOutbox},
	{ID: "2026112502_accounts_workflow", Migrate: migrateAccountsWorkflow},
	{ID: "2026112503_event_recipient", Migrate: migrateEventRecipient},
	{ID: "2026112504_learning", Migrate: migrateLearning},
	{ID: "2026112505_harvest", Migrate: migrateHarvest},
	{ID: "2026112506_api_tokens", Migrate: migrateAPITokens},
}

func migrate(db *gorm.DB) error {
	m := gormigrate.New(db, &gormigrate.Options{
		TableName:                 "schema_migrations",
		IDColumnName:              "id",
		IDColumnSize:              255,
		UseTransaction:            true,
		ValidateUnknownMigrations: true,
	}, migrations)
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("catalogue: migrate: %w", err)
	}
	return nil
}

// Schema v1, as created by 2026112301_initial_schema.
type (
	organisationV1 struct {
		ID        uint   `gorm:"primaryKey"`
		Slug      string `gorm:"size:120;not null;uniqueIndex"`
		Name      string `gorm:"size:300;not null"`
		Acronym   string `gorm:"size:32"`
		Type      string `gorm:"size:64"`
		Country   string `gorm:"size:8"`
		Website   string `gorm:"size:500"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	organisationTranslationV1 struct {
		ID             uint           `gorm:"primaryKey"`
		OrganisationID uint           `gorm:"not null;uniqueIndex:idx_org_translations_org_lang"`
		Organisation   organisationV1 `gorm:"constraint:OnDelete:CASCADE"`
		Lang           string         `gorm:"size:8;not null;uniqueIndex:idx_org_translations_org_lang"`
		Description    string         `gorm:"size:2000"`
	}
	conceptV1 struct {
		ID     uint   `gorm:"primaryKey"`
		Scheme string `gorm:"size:16;not null;uniqueIndex:idx_concepts_scheme_code"`
		Code   string `gorm:"size:64;not null;uniqueIndex:idx_concepts_scheme_code"`
		URI    string `gorm:"size:300;not null"`
		Label  string `gorm:"size:300;not null"`
	}
	entryV1 struct {
		ID             uint           `gorm:"primaryKey"`
		Kind           string         `gorm:"size:16;not null;index:idx_entries_kind_state"`
		Slug           string         `gorm:"size:120;not null;uniqueIndex"`
		State          string         `gorm:"size:16;not null;index:idx_entries_kind_state"`
		OwnerID        uint           `gorm:"not null;index"`
		Owner          organisationV1 `gorm:"constraint:OnDelete:RESTRICT"`
		Featured       bool
		Homepage       string `gorm:"size:500"`
		Licence        string `gorm:"size:64;index"`
		Status         string `gorm:"size:32;index"`
		CreatedAt      time.Time
		UpdatedAt      time.Time `gorm:"index"`
		LastReviewedAt *time.Time
	}
	entryConceptV1 struct {
		EntryID   uint      `gorm:"primaryKey"`
		Entry     entryV1   `gorm:"constraint:OnDelete:CASCADE"`
		ConceptID uint      `gorm:"primaryKey;index"`
		Concept   conceptV1 `gorm:"constraint:OnDelete:CASCADE"`
	}
	entryRelatedV1 struct {
		EntryID   uint    `gorm:"primaryKey"`
		Entry     entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		RelatedID uint    `gorm:"primaryKey;index"`
		Related   entryV1 `gorm:"foreignKey:RelatedID;constraint:OnDelete:CASCADE"`
	}
	translationV1 struct {
		ID           uint    `gorm:"primaryKey"`
		EntryID      uint    `gorm:"not null;uniqueIndex:idx_translations_entry_lang"`
		Entry        entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		Lang         string  `gorm:"size:8;not null;uniqueIndex:idx_translations_entry_lang"`
		Title        string  `gorm:"size:300;not null"`
		Summary      string  `gorm:"size:1000"`
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
	keywordV1 struct {
		ID      uint    `gorm:"primaryKey"`
		EntryID uint    `gorm:"not null;index"`
		Entry   entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		Lang    string  `gorm:"size:8;not null"`
		Value   string  `gorm:"size:200;not null"`
	}
	contactV1 struct {
		ID      uint    `gorm:"primaryKey"`
		EntryID uint    `gorm:"not null;index"`
		Entry   entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		Name    string  `gorm:"size:200;not null"`
		Email   string  `gorm:"size:200"`
		URL     string  `gorm:"size:500"`
	}
	releaseV1 struct {
		ID      uint    `gorm:"primaryKey"`
		EntryID uint    `gorm:"not null;index"`
		Entry   entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		Version string  `gorm:"size:64;not null"`
		Date    *time.Time
		Notes   string `gorm:"size:2000"`
	}
	distributionV1 struct {
		ID        uint      `gorm:"primaryKey"`
		ReleaseID uint      `gorm:"not null;index"`
		Release   releaseV1 `gorm:"constraint:OnDelete:CASCADE"`
		Title     string    `gorm:"size:200;not null"`
		URL       string    `gorm:"size:500;not null"`
		MediaType string    `gorm:"size:100"`
		Licence   string    `gorm:"size:64"`
	}
	reuseV1 struct {
		ID             uint           `gorm:"primaryKey"`
		EntryID        uint           `gorm:"not null;index"`
		Entry          entryV1        `gorm:"constraint:OnDelete:CASCADE"`
		OrganisationID uint           `gorm:"not null;index"`
		Organisation   organisationV1 `gorm:"constraint:OnDelete:CASCADE"`
		Since          int
		Note           string `gorm:"size:1000"`
	}
	practiceV1 struct {
		ID      uint    `gorm:"primaryKey"`
		EntryID uint    `gorm:"not null;uniqueIndex"`
		Entry   entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		Country string  `gorm:"size:8"`
		Level   string  `gorm:"size:16"`
		Sector  string  `gorm:"size:64"`
		Year    int
	}
)

func (organisationV1) TableName() string            { return "organisations" }
func (organisationTranslationV1) TableName() string { return "organisation_translations" }
func (conceptV1) TableName() string                 { return "concepts" }
func (entryV1) TableName() string                   { return "entries" }
func (entryConceptV1) TableName() string            { return "entry_concepts" }
func (entryRelatedV1) TableName() string            { return "entry_related" }
func (translationV1) TableName() string             { return "translations" }
func (keywordV1) TableName() string                 { return "keywords" }
func (contactV1) TableName() string                 { return "contacts" }
func (releaseV1) TableName() string                 { return "releases" }
func (distributionV1) TableName() string            { return "distributions" }
func (reuseV1) TableName() string                   { return "reuses" }
func (practiceV1) TableName() string                { return "practices" }

func migrateInitialSchema(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(
		&organisationV1{}, &organisationTranslationV1{}, &conceptV1{}, &entryV1{},
		&entryConceptV1{}, &entryRelatedV1{}, &translationV1{}, &keywordV1{},
		&contactV1{}, &releaseV1{}, &distributionV1{}, &reuseV1{}, &practiceV1{},
	)
}

// Schema v2, added by 2026112501_search_outbox: the search index's outbox
// and the queries that found nothing.
type (
	changeV2 struct {
		ID        uint `gorm:"primaryKey"`
		EntryID   uint `gorm:"not null;index"`
		CreatedAt time.Time
	}
	searchMissV2 struct {
		ID        uint   `gorm:"primaryKey"`
		Query     string `gorm:"size:512;not null;uniqueIndex:idx_search_misses_query_lang"`
		Lang      string `gorm:"size:8;not null;uniqueIndex:idx_search_misses_query_lang"`
		Count     int64  `gorm:"not null"`
		FirstSeen time.Time
		LastSeen  time.Time `gorm:"index"`
	}
)

func (changeV2) TableName() string     { return "search_outbox" }
func (searchMissV2) TableName() string { return "search_misses" }

func migrateSearchOutbox(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&changeV2{}, &searchMissV2{})
}

// Schema v3, added by 2026112502_accounts_workflow: accounts and sessions,
// revisions and the audit log, attachments, follows, and the notification
// and mail outboxes.
type (
	userV3 struct {
		ID           uint   `gorm:"primaryKey"`
		Email        string `gorm:"size:254;not null;uniqueIndex"`
		Name         string `gorm:"size:200;not null"`
		PasswordHash string `gorm:"size:200;not null"`
		Role         string `gorm:"size:16;not null"`
		Lang         string `gorm:"size:8;not null"`
		Digest       string `gorm:"size:16;not null"`
		ConfirmedAt  *time.Time
		BlockedAt    *time.Time
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	membershipV3 struct {
		UserID         uint           `gorm:"primaryKey"`
		User           userV3         `gorm:"constraint:OnDelete:CASCADE"`
		OrganisationID uint           `gorm:"primaryKey;index"`
		Organisation   organisationV1 `gorm:"constraint:OnDelete:CASCADE"`
	}
	sessionV3 struct {
		ID         string `gorm:"primaryKey;size:64"`
		UserID     uint   `gorm:"not null;index"`
		User       userV3 `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt  time.Time
		LastSeenAt time.Time
	}
	userTokenV3 struct {
		Hash      string    `gorm:"primaryKey;size:64"`
		UserID    uint      `gorm:"not null;index"`
		User      userV3    `gorm:"constraint:OnDelete:CASCADE"`
		Purpose   string    `gorm:"size:16;not null"`
		ExpiresAt time.Time `gorm:"not null"`
		CreatedAt time.Time
	}
	settingV3 struct {
		Name  string `gorm:"primaryKey;size:64"`
		Value string `gorm:"not null"`
	}
	revisionV3 struct {
		ID        uint    `gorm:"primaryKey"`
		EntryID   uint    `gorm:"not null;index"`
		Entry     entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		AuthorID  *uint   `gorm:"index"`
		Author    *userV3 `gorm:"foreignKey:AuthorID;constraint:OnDelete:SET NULL"`
		State     string  `gorm:"size:24;not null;index"`
		Note      string  `gorm:"size:2000"`
		Data      string  `gorm:"not null"`
		CreatedAt time.Time
	}
	transitionV3 struct {
		ID         uint    `gorm:"primaryKey"`
		EntryID    uint    `gorm:"not null;index"`
		Entry      entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		RevisionID *uint
		ActorID    *uint
		Actor      *userV3 `gorm:"foreignKey:ActorID;constraint:OnDelete:SET NULL"`
		From       string  `gorm:"size:24;not null"`
		To         string  `gorm:"size:24;not null"`
		Comment    string  `gorm:"size:2000"`
		CreatedAt  time.Time
	}
	attachmentV3 struct {
		ID          uint    `gorm:"primaryKey"`
		EntryID     uint    `gorm:"not null;index"`
		Entry       entryV1 `gorm:"constraint:OnDelete:CASCADE"`
		UploaderID  uint    `gorm:"not null;index"`
		StoredName  string  `gorm:"size:80;not null;uniqueIndex"`
		FileName    string  `gorm:"size:255;not null"`
		ContentType string  `gorm:"size:100;not null"`
		Size        int64   `gorm:"not null"`
		SHA256      string  `gorm:"size:64;not null"`
		CreatedAt   time.Time
	}
	followV3 struct {
		ID        uint   `gorm:"primaryKey"`
		UserID    uint   `gorm:"not null;uniqueIndex:idx_follows_user_target"`
		User      userV3 `gorm:"constraint:OnDelete:CASCADE"`
		Target    string `gorm:"size:16;not null;uniqueIndex:idx_follows_user_target"`
		Value     string `gorm:"size:1000;not null;uniqueIndex:idx_follows_user_target"`
		CreatedAt time.Time
	}
	eventV3 struct {
		ID        uint   `gorm:"primaryKey"`
		Kind      string `gorm:"size:16;not null"`
		EntryID   uint   `gorm:"not null;index"`
		ActorID   *uint
		From      string `gorm:"size:24"`
		To        string `gorm:"size:24"`
		Detail    string `gorm:"size:2000"`
		CreatedAt time.Time
		FannedOut *time.Time `gorm:"index"`
	}
	notificationV3 struct {
		ID        uint   `gorm:"primaryKey"`
		UserID    uint   `gorm:"not null;index"`
		User      userV3 `gorm:"constraint:OnDelete:CASCADE"`
		Kind      string `gorm:"size:32;not null"`
		EventID   *uint  `gorm:"index"`
		FollowID  *uint
		Payload   string    `gorm:"size:4000"`
		Due       time.Time `gorm:"not null;index"`
		MailID    *uint     `gorm:"index"`
		CreatedAt time.Time
	}
	mailV3 struct {
		ID          uint       `gorm:"primaryKey"`
		UserID      uint       `gorm:"not null;index"`
		To          string     `gorm:"size:254;not null"`
		Lang        string     `gorm:"size:8;not null"`
		MessageID   string     `gorm:"size:200;not null;uniqueIndex"`
		Attempts    int        `gorm:"not null"`
		NextAttempt time.Time  `gorm:"not null;index"`
		LastError   string     `gorm:"size:1000"`
		SentAt      *time.Time `gorm:"index"`
		CreatedAt   time.Time
	}
)

func (userV3) TableName() string         { return "users" }
func (membershipV3) TableName() string   { return "memberships" }
func (sessionV3) TableName() string      { return "sessions" }
func (userTokenV3) TableName() string    { return "user_tokens" }
func (settingV3) TableName() string      { return "settings" }
func (revisionV3) TableName() string     { return "revisions" }
func (transitionV3) TableName() string   { return "entry_transitions" }
func (attachmentV3) TableName() string   { return "attachments" }
func (followV3) TableName() string       { return "follows" }
func (eventV3) TableName() string        { return "events" }
func (notificationV3) TableName() string { return "notifications" }
func (mailV3) TableName() string         { return "mails" }

func migrateAccountsWorkflow(tx *gorm.DB) error {
	err := tx.Migrator().CreateTable(
		&userV3{}, &membershipV3{}, &sessionV3{}, &userTokenV3{}, &settingV3{},
		&revisionV3{}, &transitionV3{}, &attachmentV3{}, &followV3{}, &eventV3{},
		&notificationV3{}, &mailV3{},
	)
	if err != nil {
		return err
	}
	for _, stmt := range []string{
		"ALTER TABLE entries ADD COLUMN created_by_id integer REFERENCES users(id) ON DELETE SET NULL",
		"CREATE INDEX idx_entries_created_by_id ON entries(created_by_id)",
	} {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}

// migrateEventRecipient adds who a state event is for when it is not the
// entry's creator: the author of a revision a moderator decided on.
func migrateEventRecipient(tx *gorm.DB) error {
	return tx.Exec("ALTER TABLE events ADD COLUMN recipient_id integer REFERENCES users(id) ON DELETE SET NULL").Error
}

// Schema v5, added by 2026112504_learning: enrolments, progress per lesson
// and certificates.
type (
	enrolmentV5 struct {
		UserID      uint   `gorm:"primaryKey"`
		User        userV3 `gorm:"constraint:OnDelete:CASCADE"`
		Course      string `gorm:"primaryKey;size:120"`
		Lang        string `gorm:"size:8;not null"`
		StartedAt   time.Time
		CompletedAt *time.Time
	}
	lessonProgressV5 struct {
		UserID      uint   `gorm:"primaryKey"`
		User        userV3 `gorm:"constraint:OnDelete:CASCADE"`
		Course      string `gorm:"primaryKey;size:120"`
		Lesson      string `gorm:"primaryKey;size:120"`
		DoneAt      *time.Time
		QuizPercent int
		QuizPassed  bool
		UpdatedAt   time.Time
	}
	certificateV5 struct {
		ID       string `gorm:"primaryKey;size:32"`
		UserID   uint   `gorm:"not null;uniqueIndex:idx_certificates_user_course"`
		User     userV3 `gorm:"constraint:OnDelete:CASCADE"`
		Course   string `gorm:"size:120;not null;uniqueIndex:idx_certificates_user_course"`
		Name     string `gorm:"size:200;not null"`
		Lang     string `gorm:"size:8;not null"`
		IssuedAt time.Time
	}
)

func (enrolmentV5) TableName() string      { return "enrolments" }
func (lessonProgressV5) TableName() string { return "lesson_progress" }
func (certificateV5) TableName() string    { return "certificates" }

func migrateLearning(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&enrolmentV5{}, &lessonProgressV5{}, &certificateV5{})
}

// Schema v6, added by 2026112505_harvest: harvest sources, their runs with
// a result per harvested entity, and which entries came from where.
type (
	harvestSourceV6 struct {
		ID        uint           `gorm:"primaryKey"`
		Name      string         `gorm:"size:200;not null"`
		URL       string         `gorm:"size:1000;not null"`
		Kind      string         `gorm:"size:16;not null"`
		Format    string         `gorm:"size:16"`
		OwnerID   uint           `gorm:"not null;index"`
		Owner     organisationV1 `gorm:"constraint:OnDelete:RESTRICT"`
		Schedule  string         `gorm:"size:16;not null"`
		NextRunAt *time.Time     `gorm:"index"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	harvestRunV6 struct {
		ID         uint             `gorm:"primaryKey"`
		SourceID   *uint            `gorm:"index"`
		Source     *harvestSourceV6 `gorm:"constraint:OnDelete:CASCADE"`
		Origin     string           `gorm:"size:1000;not null"`
		StartedAt  time.Time        `gorm:"index"`
		FinishedAt *time.Time
		Status     string `gorm:"size:16;not null"`
		Error      string `gorm:"size:2000"`
		Created    int
		Updated    int
		Unchanged  int
		Rejected   int
		Gone       int
	}
	harvestItemV6 struct {
		ID       uint         `gorm:"primaryKey"`
		RunID    uint         `gorm:"not null;index"`
		Run      harvestRunV6 `gorm:"constraint:OnDelete:CASCADE"`
		Subject  string       `gorm:"size:1000;not null"`
		Slug     string       `gorm:"size:120"`
		EntryID  *uint        `gorm:"index"`
		Entry    *entryV1     `gorm:"constraint:OnDelete:SET NULL"`
		Result   string       `gorm:"size:16;not null"`
		Problems string
	}
	harvestedEntryV6 struct {
		EntryID     uint             `gorm:"primaryKey"`
		Entry       entryV1          `gorm:"constraint:OnDelete:CASCADE"`
		SourceKey   string           `gorm:"size:1000;not null;uniqueIndex:idx_harvested_source_subject"`
		Subject     string           `gorm:"size:1000;not null;uniqueIndex:idx_harvested_source_subject"`
		SourceID    *uint            `gorm:"index"`
		Source      *harvestSourceV6 `gorm:"constraint:OnDelete:SET NULL"`
		Origin      string           `gorm:"size:1000;not null"`
		Hash        string           `gorm:"size:64;not null"`
		ItemID      *uint
		HarvestedAt time.Time
		GoneAt      *time.Time
		DetachedAt  *time.Time
	}
)

func (harvestSourceV6) TableName() string  { return "harvest_sources" }
func (harvestRunV6) TableName() string     { return "harvest_runs" }
func (harvestItemV6) TableName() string    { return "harvest_items" }
func (harvestedEntryV6) TableName() string { return "harvested_entries" }

func migrateHarvest(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&harvestSourceV6{}, &harvestRunV6{}, &harvestItemV6{}, &harvestedEntryV6{})
}
