package catalogue_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"interophub/catalogue"
)

// seedList stores n solutions with alternating layers and themes.
func seedList(t *testing.T, s *catalogue.Store, n int) {
	t.Helper()
	saveOrg(t, s, "ria")
	saveOrg(t, s, "dvv")
	for i := 0; i < n; i++ {
		in := sampleEntry(fmt.Sprintf("entry-%02d", i))
		in.Translations[0].Title = fmt.Sprintf("Title %02d", (i*7)%n) // titles out of slug order
		in.Concepts[catalogue.SchemeLayer] = []string{[]string{"IL3", "IL4", "IL5"}[i%3]}
		in.Concepts[catalogue.SchemeTheme] = []string{[]string{"health", "egovernment"}[i%2]}
		if i%5 == 0 {
			in.Licence = "EUPL-1.2"
		}
		if _, err := s.SaveEntry(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
}

func TestListEntriesKeysetPagination(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	seedList(t, s, 25)
	for _, sortBy := range []catalogue.Sort{catalogue.SortTitle, catalogue.SortUpdated} {
		t.Run(string(sortBy), func(t *testing.T) {
			var titles []string
			seen := map[string]bool{}
			cursor, pages := "", 0
			for {
				page, err := s.ListEntries(ctx, catalogue.ListQuery{Sort: sortBy, Cursor: cursor, Limit: 10, Lang: "en"})
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if page.Total != 25 {
					t.Errorf("total = %d, want 25", page.Total)
				}
				for _, e := range page.Entries {
					if seen[e.Slug] {
						t.Errorf("%s listed twice", e.Slug)
					}
					seen[e.Slug] = true
					titles = append(titles, e.TitleIn("en"))
				}
				if page.Next == "" {
					break
				}
				cursor = page.Next
			}
			if pages != 3 || len(seen) != 25 {
				t.Errorf("%d pages, %d entries; want 3 pages, 25 entries", pages, len(seen))
			}
			if sortBy == catalogue.SortTitle && !sort.StringsAreSorted(titles) {
				t.Errorf("titles not in order: %v", titles)
			}
		})
	}
}

func TestListEntriesSortsByTitleInPageLanguage(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	seedList(t, s, 3)
	page, err := s.ListEntries(ctx, catalogue.ListQuery{Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Entries {
		if !strings.HasPrefix(e.TitleIn("vi"), "Trao đổi") {
			t.Errorf("vi listing lacks vi title: %q", e.TitleIn("vi"))
		}
	}
}

func TestListEntriesFilters(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	seedList(t, s, 12)
	tests := []struct {
		name string
		q    catalogue.ListQuery
		want int64
	}{
		{"one layer", catalogue.ListQuery{Concepts: map[catalogue.Scheme][]string{catalogue.SchemeLayer: {"IL3"}}}, 4},
		{"two layers OR", catalogue.ListQuery{Concepts: map[catalogue.Scheme][]string{catalogue.SchemeLayer: {"IL3", "IL4"}}}, 8},
		{"layer AND theme", catalogue.ListQuery{Concepts: map[catalogue.Scheme][]string{
			catalogue.SchemeLayer: {"IL3"}, catalogue.SchemeTheme: {"health"}}}, 2},
		{"licence", catalogue.ListQuery{Licences: []string{"EUPL-1.2"}}, 3},
		{"owner", catalogue.ListQuery{Owner: "ria"}, 12},
		{"other owner", catalogue.ListQuery{Owner: "dvv"}, 0},
		{"text in any language", catalogue.ListQuery{Text: "ENTRY-07"}, 1},
		{"every word must match", catalogue.ListQuery{Text: "entry-07 health"}, 0},
		{"text with LIKE wildcards", catalogue.ListQuery{Text: "%_"}, 0},
		{"kind", catalogue.ListQuery{Kinds: []catalogue.Kind{catalogue.KindPractice}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.ListEntries(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != tt.want || int64(len(page.Entries)) != tt.want {
				t.Errorf("total %d, %d entries; want %d", page.Total, len(page.Entries), tt.want)
			}
		})
	}
}

func TestListEntriesRejectsForeignCursor(t *testing.T) {
	s := openStore(t, t.TempDir())
	_, err := s.ListEntries(context.Background(), catalogue.ListQuery{Cursor: "not-a-cursor"})
	if !errors.Is(err, catalogue.ErrBadCursor) {
		t.Errorf("err = %v, want ErrBadCursor", err)
	}
}

func TestFilterOptionsCountPublicEntries(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	seedList(t, s, 12)
	opts, err := s.FilterOptions(ctx, catalogue.KindSolution)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, v := range opts["layer"] {
		got[v.Code] = v.Count
	}
	if got["IL3"] != 4 || got["IL4"] != 4 || got["IL5"] != 4 {
		t.Errorf("layer counts = %v", got)
	}
	if l := opts[catalogue.FilterLicence]; len(l) != 2 || l[0].Code != "EUPL-1.2" || l[0].Count != 3 || l[1].Count != 9 {
		t.Errorf("licence counts = %+v", l)
	}
	if o := opts[catalogue.FilterOwner]; len(o) != 1 || o[0].Code != "ria" || o[0].Count != 12 {
		t.Errorf("owner counts = %+v", o)
	}
	counts, err := s.CountByKind(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[catalogue.KindSolution] != 12 || counts[catalogue.KindPractice] != 0 {
		t.Errorf("counts = %v", counts)
	}
}
