package catalogue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"interophub/content"
)

// publishedX saves x-road as a published import and returns its id.
func publishedX(t *testing.T, f *wfFixture, title string) uint {
	t.Helper()
	e, err := f.s.SaveEntry(context.Background(), wfInput("x-road", title))
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func publicTitle(t *testing.T, s *Store) string {
	t.Helper()
	e, err := s.EntryBySlug(context.Background(), KindSolution, "x-road")
	if err != nil {
		t.Fatal(err)
	}
	return e.TitleIn("en")
}

// TestPendingEditWaitsForModerator: a contributor's edit to a published
// entry stays out of sight until a moderator approves it.
func TestPendingEditWaitsForModerator(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s
	id := publishedX(t, f, "Old title")

	in := wfInput("x-road", "New title")
	in.Releases = append(in.Releases, Release{Version: "2.0"})
	_, err := s.EditEntry(ctx, "x-road", in, f.outsider, "")
	wantErr(t, err, ErrForbidden)
	rev, err := s.EditEntry(ctx, "x-road", in, f.member, "new name")
	if err != nil {
		t.Fatal(err)
	}
	if rev.State != RevisionPending || rev.AuthorID == nil || *rev.AuthorID != f.member.ID {
		t.Fatalf("revision = %+v, want pending by member", rev)
	}
	if got := publicTitle(t, s); got != "Old title" {
		t.Errorf("public title during review = %q", got)
	}
	if p, err := s.PendingRevision(ctx, id); err != nil || p.ID != rev.ID {
		t.Fatalf("pending revision = %v, %v", p, err)
	}
	before := len(f.events(t, id))

	wantErr(t, s.DecideRevision(ctx, rev.ID, true, f.member, ""), ErrForbidden)
	wantErr(t, s.DecideRevision(ctx, rev.ID, true, f.blocked, ""), ErrForbidden)
	f.clearOutbox(t)
	if err := s.DecideRevision(ctx, rev.ID, true, f.mod, "Good."); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if got := publicTitle(t, s); got != "New title" {
		t.Errorf("public title after approval = %q", got)
	}
	if !f.outboxHas(t, id) {
		t.Error("approval wrote no search outbox row")
	}
	approved, err := s.Revision(ctx, rev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if approved.State != RevisionApplied || approved.Author == nil || approved.Author.ID != f.member.ID {
		t.Errorf("approved revision = %+v", approved)
	}
	var kinds []string
	for _, e := range f.events(t, id)[before:] {
		kinds = append(kinds, string(e.Kind)+":"+e.Detail)
	}
	if want := []string{"updated:", "release:2.0", "state:Good."}; !slices.Equal(kinds, want) {
		t.Errorf("events after approval = %v, want %v", kinds, want)
	}
	hist, err := s.History(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].RevisionID == nil || *hist[0].RevisionID != rev.ID ||
		hist[0].From != StatePublished || hist[0].To != StatePublished || hist[0].Actor.ID != f.mod.ID {
		t.Errorf("history = %+v", hist)
	}
	wantErr(t, s.DecideRevision(ctx, rev.ID, true, f.mod, ""), ErrTransition)
	if _, err := s.PendingRevision(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("pending after approval: %v", err)
	}
}

func TestRequestChangesOnRevision(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s
	id := publishedX(t, f, "Old title")
	rev, err := s.EditEntry(ctx, "x-road", wfInput("x-road", "Bad title"), f.member, "")
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, s.DecideRevision(ctx, rev.ID, false, f.mod, " "), "comment", "required")
	if err := s.DecideRevision(ctx, rev.ID, false, f.mod, "Keep the old name."); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Revision(ctx, rev.ID)
	if got.State != RevisionChangesRequested {
		t.Errorf("revision state = %s", got.State)
	}
	if title := publicTitle(t, s); title != "Old title" {
		t.Errorf("public title = %q", title)
	}
	hist, _ := s.History(ctx, id)
	if len(hist) != 1 || hist[0].Comment != "Keep the old name." || *hist[0].RevisionID != rev.ID {
		t.Errorf("history = %+v", hist)
	}
	evs := f.events(t, id)
	if len(evs) != 1 || evs[0].Kind != EventState || evs[0].Detail != "Keep the old name." {
		t.Errorf("events = %+v", evs)
	}
}

func TestNewerPendingEditSupersedes(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s
	id := publishedX(t, f, "Old title")
	first, err := s.EditEntry(ctx, "x-road", wfInput("x-road", "First try"), f.member, "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.EditEntry(ctx, "x-road", wfInput("x-road", "Second try"), f.member, "")
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Revision(ctx, first.ID); r.State != RevisionSuperseded {
		t.Errorf("first pending edit is %s, want superseded", r.State)
	}
	p, err := s.PendingRevision(ctx, id)
	if err != nil || p.ID != second.ID {
		t.Fatalf("pending = %v, %v; want revision %d", p, err, second.ID)
	}
	wantErr(t, s.DecideRevision(ctx, first.ID, true, f.mod, ""), ErrTransition)
	if title := publicTitle(t, s); title != "Old title" {
		t.Errorf("public title = %q", title)
	}
}

func TestModeratorEditAppliesAtOnce(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s
	id := publishedX(t, f, "Old title")
	f.clearOutbox(t)
	rev, err := s.EditEntry(ctx, "x-road", wfInput("x-road", "Fixed title"), f.mod, "typo")
	if err != nil {
		t.Fatal(err)
	}
	if rev.State != RevisionApplied {
		t.Errorf("moderator's edit is %s", rev.State)
	}
	if title := publicTitle(t, s); title != "Fixed title" {
		t.Errorf("public title = %q", title)
	}
	if !f.outboxHas(t, id) {
		t.Error("no search outbox row")
	}
	evs := f.events(t, id)
	if len(evs) != 1 || evs[0].Kind != EventUpdated {
		t.Errorf("events = %+v, want one updated (no new release)", evs)
	}
}

func TestArchivedEntriesModeratorsOnly(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	publishedX(t, f, "Old title")
	pending, err := f.s.EditEntry(ctx, "x-road", wfInput("x-road", "Proposed before archiving"), f.member, "")
	if err != nil || pending.State != RevisionPending {
		t.Fatalf("pending edit: %v %+v", err, pending)
	}
	if err := f.s.Transition(ctx, "x-road", StateArchived, f.mod, ""); err != nil {
		t.Fatal(err)
	}
	// A proposal made before the entry was archived cannot bring it back.
	wantErr(t, f.s.DecideRevision(ctx, pending.ID, true, f.mod, ""), ErrTransition)
	_, err = f.s.EditEntry(ctx, "x-road", wfInput("x-road", "Edited"), f.member, "")
	wantErr(t, err, ErrForbidden)
	rev, err := f.s.EditEntry(ctx, "x-road", wfInput("x-road", "Edited"), f.mod, "")
	if err != nil || rev.State != RevisionApplied {
		t.Fatalf("moderator edit of archived: %v, %+v", err, rev)
	}
	e, _ := f.s.EntryForEdit(ctx, "x-road")
	if e.State != StateArchived || e.TitleIn("en") != "Edited" {
		t.Errorf("archived entry after edit: %s %q", e.State, e.TitleIn("en"))
	}
}

func TestRestoreRevision(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s
	id := publishedX(t, f, "One")
	if _, err := s.EditEntry(ctx, "x-road", wfInput("x-road", "Two"), f.mod, ""); err != nil {
		t.Fatal(err)
	}
	revs, err := s.Revisions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Author == nil || revs[0].Author.ID != f.mod.ID || revs[1].AuthorID != nil {
		t.Fatalf("revisions (newest first) = %+v", revs)
	}
	one := revs[1].ID

	pending, err := s.RestoreRevision(ctx, one, f.member)
	if err != nil {
		t.Fatal(err)
	}
	if pending.State != RevisionPending || publicTitle(t, s) != "Two" {
		t.Errorf("a contributor's restore: %s, public title %q", pending.State, publicTitle(t, s))
	}
	restored, err := s.RestoreRevision(ctx, one, f.mod)
	if err != nil {
		t.Fatal(err)
	}
	if restored.State != RevisionApplied || restored.Note != fmt.Sprintf("restored revision %d", one) {
		t.Errorf("restored = %+v", restored)
	}
	if title := publicTitle(t, s); title != "One" {
		t.Errorf("title after restore = %q", title)
	}
	_, err = s.RestoreRevision(ctx, 9999, f.mod)
	wantErr(t, err, ErrNotFound)
}

// TestEverySaveKeepsARevision: SaveEntry, SaveEntries, LoadDemo and the
// workflow all go through one path that records a revision.
func TestEverySaveKeepsARevision(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s
	id := publishedX(t, f, "One")
	second := wfInput("x-road", "Two")
	second.Translations = second.Translations[:1] // en only: fr is kept
	if _, err := s.SaveEntry(ctx, second); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveEntries(ctx, []EntryInput{wfInput("a", "A"), wfInput("b", "B")}); err != nil {
		t.Fatal(err)
	}
	revs, err := s.Revisions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 {
		t.Fatalf("%d revisions, want 2", len(revs))
	}
	for i, want := range []string{"Two", "One"} {
		r := revs[i]
		if r.State != RevisionApplied || r.AuthorID != nil {
			t.Errorf("revision %d: %s, author %v", i, r.State, r.AuthorID)
		}
		in, err := r.Input()
		if err != nil {
			t.Fatal(err)
		}
		if in.Translations[0].Title != want || len(in.Translations) != 2 {
			t.Errorf("revision %d holds %+v, want %q with en and fr", i, in.Translations, want)
		}
		if in.Translations[0].BodyHTML != "" || in.Releases[0].ID != 0 {
			t.Errorf("revision %d keeps computed fields", i)
		}
	}
	var n int64
	f.s.w.Model(&Revision{}).Where("entry_id IN (SELECT id FROM entries WHERE slug IN ?)", []string{"a", "b"}).Count(&n)
	if n != 2 {
		t.Errorf("SaveEntries kept %d revisions, want 2", n)
	}
	e, _ := s.EntryForEdit(ctx, "x-road")
	if e.CreatedByID != nil {
		t.Errorf("import has a creator: %v", *e.CreatedByID)
	}

	demo := newWF(t).s
	loaded, err := demo.LoadDemo(ctx, content.Catalogue())
	if err != nil {
		t.Fatal(err)
	}
	var withRev, authored int64
	demo.w.Model(&Entry{}).Where("id IN (SELECT entry_id FROM revisions WHERE state = ?)", RevisionApplied).Count(&withRev)
	demo.w.Model(&Revision{}).Where("author_id IS NOT NULL").Count(&authored)
	if loaded == 0 || withRev != int64(loaded) || authored != 0 {
		t.Errorf("demo: %d entries, %d with a revision, %d authored", loaded, withRev, authored)
	}
}

func TestInputFromEntryRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	in := wfInput("x-road", "X-Road")
	in.Keywords = map[string][]string{"en": {"exchange"}}
	in.Contacts = []Contact{{Name: "Desk", Email: "desk@example.org"}}
	in.Reuses = []ReuseInput{{Organisation: "dvv", Since: 2017}}
	if _, err := f.s.SaveEntry(ctx, in); err != nil {
		t.Fatal(err)
	}
	e, err := f.s.EntryForEdit(ctx, "x-road")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range DiffInputs(in, InputFromEntry(e), nil) {
		if d.Op != DiffSame {
			t.Errorf("round trip differs: %s %q", d.Op, d.Text)
		}
	}
}

func TestDiffInputs(t *testing.T) {
	a := wfInput("x-road", "Old title")
	b := wfInput("x-road", "New title")
	b.Translations[0].Body = "One.\n\nTwo, changed.\n\nThree."
	b.Concepts[SchemeLayer] = []string{"IL5", "IL3", "IL6"}

	ops := map[string]string{}
	var order []string
	for _, d := range DiffInputs(a, b, nil) {
		if prev, ok := ops[d.Text]; ok && prev != d.Op {
			t.Fatalf("line %q both %s and %s", d.Text, prev, d.Op)
		}
		ops[d.Text] = d.Op
		order = append(order, d.Op+" "+d.Text)
	}
	tests := []struct{ line, op string }{
		{"Title (en): Old title", DiffRemoved},
		{"Title (en): New title", DiffAdded},
		{"Title (fr): Old title (fr)", DiffRemoved},
		{"Title (fr): New title (fr)", DiffAdded},
		{"Layers: IL3, IL5", DiffRemoved},
		{"Layers: IL3, IL5, IL6", DiffAdded},
		{"  Two.", DiffRemoved},
		{"  Two, changed.", DiffAdded},
		{"  One.", DiffSame},
		{"  Three.", DiffSame},
		{"Body (en):", DiffSame},
		{"Kind: solution", DiffSame},
		{"Summary (en): Moves data.", DiffSame},
		{"Release 1.0: First.", DiffSame},
	}
	for _, tt := range tests {
		if got := ops[tt.line]; got != tt.op {
			t.Errorf("%q: %q, want %q\n%s", tt.line, got, tt.op, strings.Join(order, "\n"))
		}
	}
	// Only the English title changed: one removed line, then one added,
	// every other line the same.
	c := wfInput("x-road", "Old title")
	c.Translations[0].Title = "New title"
	var got []string
	for _, d := range DiffInputs(a, c, nil) {
		if d.Op != DiffSame {
			got = append(got, d.Op+" "+d.Text)
		}
	}
	if want := []string{"removed Title (en): Old title", "added Title (en): New title"}; !slices.Equal(got, want) {
		t.Errorf("changed lines = %q, want %q", got, want)
	}
	for _, d := range DiffInputs(a, a, nil) {
		if d.Op != DiffSame {
			t.Errorf("identical inputs differ: %+v", d)
		}
	}
}

// TestProposalOverALaterChange: a proposal made before a moderator's own
// edit cannot be validated over it (it would undo the edit); it can be
// sent back.
func TestProposalOverALaterChange(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	publishedX(t, f, "One")
	proposal, err := f.s.EditEntry(ctx, "x-road", wfInput("x-road", "Two"), f.member, "")
	if err != nil || proposal.State != RevisionPending {
		t.Fatalf("proposal: %v %+v", err, proposal)
	}
	if _, err := f.s.EditEntry(ctx, "x-road", wfInput("x-road", "Three"), f.mod, "a fix of my own"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.DecideRevision(ctx, proposal.ID, true, f.mod, ""), ErrTransition)
	if got := publicTitle(t, f.s); got != "Three" {
		t.Fatalf("public title %q, want the moderator's edit kept", got)
	}
	if err := f.s.DecideRevision(ctx, proposal.ID, false, f.mod, "Please start from the current text."); err != nil {
		t.Fatal(err)
	}
}
