package catalogue

import (
	"context"
	"testing"

	"gorm.io/gorm"
)

func noRender(s string) (string, error) { return s, nil }

// TestMigratedSchemaMatchesModels replays the migrations on an empty
// database and checks every field of every model has its column, so a model
// change without a migration fails here.
func TestMigratedSchemaMatchesModels(t *testing.T) {
	s, err := Open(context.Background(), Options{Dir: t.TempDir(), Render: noRender})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	models := []any{&Organisation{}, &OrganisationTranslation{}, &Concept{}, &Entry{}, &Translation{},
		&Keyword{}, &Contact{}, &Release{}, &Distribution{}, &Reuse{}, &Practice{}, &Change{}, &SearchMiss{},
		&User{}, &Session{}, &UserToken{}, &Setting{}, &Revision{}, &Transition{}, &Attachment{},
		&Follow{}, &Event{}, &Notification{}, &Mail{}, &Enrolment{}, &LessonProgress{}, &Certificate{}}
	m := s.w.Migrator()
	for _, model := range models {
		stmt := &gorm.Statement{DB: s.w}
		if err := stmt.Parse(model); err != nil {
			t.Fatal(err)
		}
		if !m.HasTable(stmt.Schema.Table) {
			t.Errorf("table %s missing", stmt.Schema.Table)
			continue
		}
		for _, f := range stmt.Schema.Fields {
			if f.DBName != "" && !m.HasColumn(model, f.DBName) {
				t.Errorf("%s.%s has no column", stmt.Schema.Table, f.DBName)
			}
		}
		for _, rel := range stmt.Schema.Relationships.Many2Many {
			if !m.HasTable(rel.JoinTable.Table) {
				t.Errorf("join table %s missing", rel.JoinTable.Table)
			}
			for _, ref := range rel.References {
				if !m.HasColumn(rel.JoinTable.Table, ref.ForeignKey.DBName) {
					t.Errorf("join table %s has no column %s", rel.JoinTable.Table, ref.ForeignKey.DBName)
				}
			}
		}
	}
}

// TestMigrateIsIdempotent runs the migrations again on a migrated database
// and checks every migration is recorded once.
func TestMigrateIsIdempotent(t *testing.T) {
	s, err := Open(context.Background(), Options{Dir: t.TempDir(), Render: noRender})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := migrate(s.w); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	var ids []string
	if err := s.r.Table("schema_migrations").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(migrations) {
		t.Errorf("recorded migrations %v, want %d", ids, len(migrations))
	}
}

func TestPragmas(t *testing.T) {
	s, err := Open(context.Background(), Options{Dir: t.TempDir(), Render: noRender})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "1", "busy_timeout": "5000"} {
		var got string
		if err := s.w.Raw("PRAGMA " + pragma).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	if err := s.r.Exec("DELETE FROM concepts").Error; err == nil {
		t.Error("the read pool accepted a write")
	}
}
