package catalogue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"interophub/content"
)

// wfFixture is a store with two organisations (ria, dvv) and one user per
// role the workflow tells apart.
type wfFixture struct {
	s        *Store
	ria, dvv uint
	learner  *User
	member   *User // contributor, member of ria
	outsider *User // contributor, member of dvv only
	mod      *User
	admin    *User
	blocked  *User // a blocked moderator
}

func newWF(t *testing.T) *wfFixture {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Options{Dir: t.TempDir(), Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	f := &wfFixture{s: s}
	for _, o := range []struct {
		slug string
		id   *uint
	}{{"ria", &f.ria}, {"dvv", &f.dvv}} {
		org, err := s.SaveOrganisation(ctx, Organisation{Slug: o.slug, Name: "Org " + o.slug})
		if err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	f.learner = f.user(t, "learner", RoleLearner, false)
	f.member = f.user(t, "member", RoleContributor, false, f.ria)
	f.outsider = f.user(t, "outsider", RoleContributor, false, f.dvv)
	f.mod = f.user(t, "mod", RoleModerator, false)
	f.admin = f.user(t, "admin", RoleAdmin, false)
	f.blocked = f.user(t, "blocked", RoleModerator, true, f.ria)
	return f
}

func (f *wfFixture) user(t *testing.T, name string, role Role, blocked bool, orgs ...uint) *User {
	t.Helper()
	u := &User{Email: name + "@example.org", Name: name, Role: role, Lang: "en", Digest: DigestImmediate}
	if blocked {
		now := time.Now()
		u.BlockedAt = &now
	}
	if err := f.s.w.Create(u).Error; err != nil {
		t.Fatal(err)
	}
	for _, id := range orgs {
		if err := f.s.w.Exec("INSERT INTO memberships (user_id, organisation_id) VALUES (?, ?)", u.ID, id).Error; err != nil {
			t.Fatal(err)
		}
		u.Organisations = append(u.Organisations, Organisation{ID: id})
	}
	return u
}

// wfInput is a valid solution owned by ria.
func wfInput(slug, title string) EntryInput {
	return EntryInput{
		Kind: KindSolution, Slug: slug, State: StatePublished, Owner: "ria", Licence: "MIT",
		Concepts: map[Scheme][]string{SchemeLayer: {"IL3", "IL5"}},
		Releases: []Release{{Version: "1.0", Notes: "First."}},
		Translations: []Translation{
			{Lang: "en", Title: title, Summary: "Moves data.", Body: "One.\n\nTwo.\n\nThree."},
			{Lang: "fr", Title: title + " (fr)", Summary: "Déplace des données."},
		},
	}
}

func (f *wfFixture) events(t *testing.T, entryID uint) []Event {
	t.Helper()
	var out []Event
	if err := f.s.w.Where("entry_id = ?", entryID).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *wfFixture) clearOutbox(t *testing.T) {
	t.Helper()
	if err := f.s.w.Where("1 = 1").Delete(&Change{}).Error; err != nil {
		t.Fatal(err)
	}
}

func (f *wfFixture) outboxHas(t *testing.T, entryID uint) bool {
	t.Helper()
	var n int64
	if err := f.s.w.Model(&Change{}).Where("entry_id = ?", entryID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if target == nil && err != nil || target != nil && !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

func wantField(t *testing.T, err error, field, problem string) {
	t.Helper()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v, want a ValidationError", err)
	}
	for _, fe := range verr.Fields {
		if fe.Field == field && fe.Problem == problem {
			return
		}
	}
	t.Fatalf("fields = %+v, want {%s %s}", verr.Fields, field, problem)
}

// TestCheckTransitionTable checks every pair of states for every kind of
// user against the rules of the issue, written out here.
func TestCheckTransitionTable(t *testing.T) {
	// Who may make each transition: L learner, C contributor member of the
	// owner, N contributor not member, M moderator, A admin, B blocked
	// moderator. Pairs not listed do not exist (ErrTransition), except for
	// a blocked user, who may do nothing (ErrForbidden).
	rules := map[[2]State]string{
		{StateDraft, StateProposed}:            "CMA",
		{StateProposed, StatePublished}:        "MA",
		{StateProposed, StateChangesRequested}: "MA",
		{StateChangesRequested, StateDraft}:    "CMA",
		{StatePublished, StateNeedsUpdate}:     "CMA",
		{StateNeedsUpdate, StatePublished}:     "MA",
		{StateDraft, StateArchived}:            "MA",
		{StateProposed, StateArchived}:         "MA",
		{StateChangesRequested, StateArchived}: "MA",
		{StatePublished, StateArchived}:        "MA",
		{StateNeedsUpdate, StateArchived}:      "MA",
	}
	states := []State{"draft", "proposed", "changes_requested", "published", "needs_update", "archived"}
	now := time.Now()
	users := []struct {
		code    string
		user    *User
		canEdit bool // what CanEdit says, blocking aside
	}{
		{"L", &User{ID: 1, Role: RoleLearner}, false},
		{"C", &User{ID: 2, Role: RoleContributor, Organisations: []Organisation{{ID: 7}}}, true},
		{"N", &User{ID: 3, Role: RoleContributor, Organisations: []Organisation{{ID: 8}}}, false},
		{"M", &User{ID: 4, Role: RoleModerator}, true},
		{"A", &User{ID: 5, Role: RoleAdmin}, true},
		{"B", &User{ID: 6, Role: RoleModerator, BlockedAt: &now}, true},
	}
	checked := 0
	for _, from := range states {
		for _, to := range states {
			for _, u := range users {
				t.Run(fmt.Sprintf("%s>%s/%s", from, to, u.code), func(t *testing.T) {
					who, exists := rules[[2]State{from, to}]
					var want error
					switch {
					case u.code == "B":
						want = ErrForbidden
					case !exists:
						want = ErrTransition
					case !containsRune(who, u.code):
						want = ErrForbidden
					}
					err := CheckTransition(from, to, u.user, u.canEdit)
					if want == nil {
						if err != nil {
							t.Fatalf("err = %v, want allowed", err)
						}
						return
					}
					other := ErrTransition
					if want == ErrTransition {
						other = ErrForbidden
					}
					if !errors.Is(err, want) || errors.Is(err, other) {
						t.Fatalf("err = %v, want %v", err, want)
					}
				})
				checked++
			}
		}
	}
	if checked != 6*6*6 {
		t.Fatalf("checked %d cases", checked)
	}
	if err := CheckTransition(StateDraft, StateProposed, nil, true); !errors.Is(err, ErrForbidden) {
		t.Errorf("nil user: err = %v, want ErrForbidden", err)
	}
}

func containsRune(s, r string) bool {
	for _, c := range s {
		if string(c) == r {
			return true
		}
	}
	return false
}

func TestCanEdit(t *testing.T) {
	now := time.Now()
	member := &User{Role: RoleContributor, Organisations: []Organisation{{ID: 7}}}
	tests := []struct {
		name  string
		user  *User
		state State
		want  bool
	}{
		{"nil user", nil, StateDraft, false},
		{"learner in the organisation", &User{Role: RoleLearner, Organisations: []Organisation{{ID: 7}}}, StateDraft, false},
		{"contributor member", member, StatePublished, true},
		{"contributor member, archived", member, StateArchived, false},
		{"contributor of another organisation", &User{Role: RoleContributor, Organisations: []Organisation{{ID: 8}}}, StateDraft, false},
		{"moderator", &User{Role: RoleModerator}, StateArchived, true},
		{"admin", &User{Role: RoleAdmin}, StateDraft, true},
		{"blocked admin", &User{Role: RoleAdmin, BlockedAt: &now}, StateDraft, false},
		{"blocked member", &User{Role: RoleContributor, BlockedAt: &now, Organisations: []Organisation{{ID: 7}}}, StateDraft, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanEdit(tt.user, &Entry{OwnerID: 7, State: tt.state}); got != tt.want {
				t.Errorf("CanEdit = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAllowedTransitions(t *testing.T) {
	member := &User{Role: RoleContributor, Organisations: []Organisation{{ID: 7}}}
	mod := &User{Role: RoleModerator}
	tests := []struct {
		name  string
		state State
		user  *User
		want  []State
	}{
		{"member, draft", StateDraft, member, []State{StateProposed}},
		{"member, proposed", StateProposed, member, nil},
		{"member, published", StatePublished, member, []State{StateNeedsUpdate}},
		{"moderator, proposed", StateProposed, mod, []State{StateChangesRequested, StatePublished, StateArchived}},
		{"moderator, needs update", StateNeedsUpdate, mod, []State{StatePublished, StateArchived}},
		{"moderator, archived", StateArchived, mod, nil},
		{"nobody", StateDraft, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AllowedTransitions(&Entry{OwnerID: 7, State: tt.state}, tt.user)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestProposalLifecycle follows an entry from creation to publication
// through a request for changes, checking the audit log and the events.
func TestProposalLifecycle(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s

	e, err := s.CreateEntry(ctx, wfInput("x-road", "X-Road"), f.member, "first version")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if e.State != StateDraft || e.CreatedByID == nil || *e.CreatedByID != f.member.ID || e.Owner.Slug != "ria" {
		t.Fatalf("created entry: state %s, created by %v, owner %+v", e.State, e.CreatedByID, e.Owner)
	}
	step := func(to State, by *User, comment string, want error) {
		t.Helper()
		wantErr(t, s.Transition(ctx, "x-road", to, by, comment), want)
	}
	step(StatePublished, f.mod, "", ErrTransition) // a draft is proposed first
	step(StateProposed, f.outsider, "", ErrForbidden)
	step(StateProposed, f.member, "", nil)
	step(StateChangesRequested, f.member, "fix it", ErrForbidden)
	err = s.Transition(ctx, "x-road", StateChangesRequested, f.mod, "  ")
	wantField(t, err, "comment", "required")
	step(StateChangesRequested, f.mod, "Add a summary.", nil)

	in := wfInput("x-road", "X-Road, the data exchange layer")
	rev, err := s.EditEntry(ctx, "x-road", in, f.member, "summary added")
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
	if rev.State != RevisionApplied {
		t.Errorf("edit of changes_requested: revision %s, want applied", rev.State)
	}
	if e, _ := s.EntryForEdit(ctx, "x-road"); e.State != StateDraft {
		t.Errorf("state after edit = %s, want draft", e.State)
	}
	step(StateProposed, f.member, "", nil)
	step(StatePublished, f.member, "", ErrForbidden)
	f.clearOutbox(t)
	select { // drain the hint channel so the publication's can be seen
	case <-s.Changes():
	default:
	}
	step(StatePublished, f.mod, "Thanks.", nil)

	pub, err := s.EntryBySlug(ctx, KindSolution, "x-road")
	if err != nil {
		t.Fatalf("published entry not public: %v", err)
	}
	if pub.TitleIn("en") != "X-Road, the data exchange layer" || pub.LastReviewedAt == nil {
		t.Errorf("published: title %q, reviewed %v", pub.TitleIn("en"), pub.LastReviewedAt)
	}
	if !f.outboxHas(t, e.ID) {
		t.Error("publication wrote no search outbox row")
	}
	select {
	case <-s.Changes():
	default:
		t.Error("publication did not signal Changes")
	}

	hist, err := s.History(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		from, to State
		actor    string
		comment  string
	}
	want := []line{ // newest first
		{StateProposed, StatePublished, "mod", "Thanks."},
		{StateDraft, StateProposed, "member", ""},
		{StateChangesRequested, StateDraft, "member", "summary added"},
		{StateProposed, StateChangesRequested, "mod", "Add a summary."},
		{StateDraft, StateProposed, "member", ""},
	}
	if len(hist) != len(want) {
		t.Fatalf("history has %d lines, want %d: %+v", len(hist), len(want), hist)
	}
	for i, w := range want {
		h := hist[i]
		if h.From != w.from || h.To != w.to || h.Actor == nil || h.Actor.Name != w.actor || h.Comment != w.comment {
			t.Errorf("history[%d] = %s>%s by %v %q, want %+v", i, h.From, h.To, h.Actor, h.Comment, w)
		}
		if h.RevisionID == nil {
			t.Errorf("history[%d] has no revision", i)
		}
	}
	if *hist[2].RevisionID != rev.ID {
		t.Errorf("the edit's audit line points at revision %d, want %d", *hist[2].RevisionID, rev.ID)
	}

	type ev struct {
		kind     EventKind
		from, to State
		detail   string
	}
	var got []ev
	for _, e := range f.events(t, e.ID) {
		got = append(got, ev{e.Kind, e.From, e.To, e.Detail})
	}
	wantEv := []ev{
		{EventState, StateDraft, StateProposed, ""},
		{EventState, StateProposed, StateChangesRequested, "Add a summary."},
		{EventState, StateChangesRequested, StateDraft, "summary added"},
		{EventState, StateDraft, StateProposed, ""},
		{EventState, StateProposed, StatePublished, "Thanks."},
		{EventPublished, StateProposed, StatePublished, ""},
	}
	if !slices.Equal(got, wantEv) {
		t.Errorf("events =\n%v\nwant\n%v", got, wantEv)
	}

	// Out of the public catalogue and back, then archived for good.
	step(StateNeedsUpdate, f.outsider, "", ErrForbidden)
	step(StateNeedsUpdate, f.member, "Version 2 is out.", nil)
	step(StatePublished, f.mod, "", nil)
	step(StateArchived, f.member, "", ErrForbidden)
	step(StateArchived, f.admin, "Retired.", nil)
	step(StatePublished, f.admin, "", ErrTransition)
	if _, err := s.EntryBySlug(ctx, KindSolution, "x-road"); !errors.Is(err, ErrNotFound) {
		t.Errorf("archived entry still public: %v", err)
	}
	step(StateDraft, f.blocked, "", ErrForbidden)
	step(StateDraft, nil, "", ErrForbidden)
	wantErr(t, s.Transition(ctx, "nope", StateProposed, f.mod, ""), ErrNotFound)
}

func TestCreateEntryChecks(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	if _, err := f.s.CreateEntry(ctx, wfInput("taken", "Taken"), f.member, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      EntryInput
		by      *User
		err     error
		field   string
		problem string
	}{
		{"learner", wfInput("a", "A"), f.learner, ErrForbidden, "", ""},
		{"nobody", wfInput("a", "A"), nil, ErrForbidden, "", ""},
		{"blocked", wfInput("a", "A"), f.blocked, ErrForbidden, "", ""},
		{"slug taken", wfInput("taken", "A"), f.mod, ErrInvalid, "slug", "taken"},
		{"owner not the contributor's", wfInput("a", "A"), f.outsider, ErrInvalid, "owner", "forbidden"},
		{"other problems reported too", func() EntryInput {
			in := wfInput("taken", "A")
			in.Licence = "nope"
			return in
		}(), f.member, ErrInvalid, "licence", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.s.CreateEntry(ctx, tt.in, tt.by, "")
			wantErr(t, err, tt.err)
			if tt.field != "" {
				wantField(t, err, tt.field, tt.problem)
			}
		})
	}
	in := wfInput("for-dvv", "For DVV")
	in.Owner = "dvv"
	if _, err := f.s.CreateEntry(ctx, in, f.mod, ""); err != nil {
		t.Errorf("moderator creating for any organisation: %v", err)
	}
}

func TestEntriesOfAndQueue(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	s := f.s
	if _, err := s.CreateEntry(ctx, wfInput("mine", "Mine"), f.member, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveEntry(ctx, wfInput("ria-import", "Imported")); err != nil {
		t.Fatal(err)
	}
	other := wfInput("dvv-import", "Other")
	other.Owner = "dvv"
	if _, err := s.SaveEntry(ctx, other); err != nil {
		t.Fatal(err)
	}
	got, err := s.EntriesOf(ctx, f.member)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, e := range got {
		slugs = append(slugs, e.Slug)
	}
	slices.Sort(slugs)
	if !slices.Equal(slugs, []string{"mine", "ria-import"}) {
		t.Errorf("EntriesOf(member) = %v", slugs)
	}

	if err := s.Transition(ctx, "mine", StateProposed, f.member, ""); err != nil {
		t.Fatal(err)
	}
	edit := wfInput("dvv-import", "Other, edited")
	edit.Owner = "dvv"
	rev, err := s.EditEntry(ctx, "dvv-import", edit, f.outsider, "")
	if err != nil {
		t.Fatal(err)
	}
	queue, err := s.ModerationQueue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 2 || queue[0].Entry.Slug != "mine" || queue[0].Revision != nil ||
		queue[1].Entry.Slug != "dvv-import" || queue[1].Revision == nil || queue[1].Revision.ID != rev.ID {
		t.Fatalf("queue = %+v", queue)
	}
	if queue[0].Entry.TitleIn("en") != "Mine" || queue[1].Entry.TitleIn("en") != "Other" {
		t.Errorf("queue titles: %q, %q", queue[0].Entry.TitleIn("en"), queue[1].Entry.TitleIn("en"))
	}
	if queue[0].Since.After(queue[1].Since) {
		t.Errorf("queue not oldest first: %v, %v", queue[0].Since, queue[1].Since)
	}
}

// TestEditWithdrawsAProposal: a contributor's edit to a proposed entry
// takes it back to draft, so a moderator cannot publish a text changed
// after they looked at it; a moderator's own edit leaves it proposed.
func TestEditWithdrawsAProposal(t *testing.T) {
	ctx := context.Background()
	f := newWF(t)
	if _, err := f.s.CreateEntry(ctx, wfInput("x-road", "X-Road"), f.member, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Transition(ctx, "x-road", StateProposed, f.member, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.EditEntry(ctx, "x-road", wfInput("x-road", "X-Road, changed"), f.mod, ""); err != nil {
		t.Fatal(err)
	}
	if e, _ := f.s.EntryForEdit(ctx, "x-road"); e.State != StateProposed {
		t.Fatalf("a moderator's edit moved the proposal to %s", e.State)
	}
	if _, err := f.s.EditEntry(ctx, "x-road", wfInput("x-road", "X-Road, swapped"), f.member, "late change"); err != nil {
		t.Fatal(err)
	}
	e, _ := f.s.EntryForEdit(ctx, "x-road")
	if e.State != StateDraft {
		t.Fatalf("state after the contributor's edit: %s", e.State)
	}
	wantErr(t, f.s.Transition(ctx, "x-road", StatePublished, f.mod, ""), ErrTransition)
	log, _ := f.s.History(ctx, e.ID)
	if len(log) == 0 || log[0].From != StateProposed || log[0].To != StateDraft || log[0].Comment != "late change" {
		t.Fatalf("audit log: %+v", log)
	}
}
