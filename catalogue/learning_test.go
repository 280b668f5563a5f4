package catalogue

import (
	"context"
	"testing"
	"time"
)

func TestLearningProgress(t *testing.T) {
	ctx := context.Background()
	s, u := storeWithLearner(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if e, _, err := s.Progress(ctx, u.ID, "intro"); err != nil || e != nil {
		t.Fatalf("progress before enrolling: %+v %v", e, err)
	}
	for range 2 {
		if err := s.Enrol(ctx, u.ID, "intro", "fr", now); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		percent int
		passed  bool
		best    int
		pass    bool
	}{{40, false, 40, false}, {100, true, 100, true}, {20, false, 100, true}}
	for _, st := range steps {
		if err := s.RecordLesson(ctx, u.ID, "intro", "one", st.percent, st.passed, now); err != nil {
			t.Fatal(err)
		}
		_, p, err := s.Progress(ctx, u.ID, "intro")
		if err != nil {
			t.Fatal(err)
		}
		if got := p["one"]; got.QuizPercent != st.best || got.QuizPassed != st.pass || got.DoneAt == nil {
			t.Fatalf("after %d%%: %+v, want best %d passed %v", st.percent, got, st.best, st.pass)
		}
	}
	first, err := s.CompleteCourse(ctx, u.ID, "intro", "fr", "Lea", now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.CompleteCourse(ctx, u.ID, "intro", "fr", "Lea", now.Add(time.Hour))
	if err != nil || second.ID != first.ID || len(first.ID) != 32 {
		t.Fatalf("certificates %q and %q (%v)", first.ID, second.ID, err)
	}
	got, err := s.CertificateByID(ctx, first.ID)
	if err != nil || got.Name != "Lea" || got.Lang != "fr" {
		t.Fatalf("certificate %+v %v", got, err)
	}
	es, err := s.Enrolments(ctx, u.ID)
	if err != nil || len(es) != 1 || es[0].CompletedAt == nil || es[0].Lang != "fr" {
		t.Fatalf("enrolments %+v %v", es, err)
	}
}
