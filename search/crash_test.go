package search_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"interophub/catalogue"
	"interophub/content"
	"interophub/search"
)

const crashEnv = "INTEROPHUB_CRASH_WRITER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashEnv); dir != "" {
		if err := crashWriter(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashWriter is the child process of TestCrashConsistency: it edits and
// deletes entries as fast as it can with the index syncing, and prints a
// line for every write the store acknowledged, until it is killed.
func crashWriter(dir string) error {
	ctx := context.Background()
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		return err
	}
	ix, needs, err := search.Open(dir, nil, nil)
	if err != nil {
		return err
	}
	if needs {
		if err := ix.Rebuild(ctx, store, 0, nil); err != nil {
			return err
		}
	}
	go ix.Sync(ctx, store, store.Changes(), 50*time.Millisecond)
	demo, err := catalogue.ReadDemo(content.Catalogue())
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	seq, _ := strconv.Atoi(os.Getenv(crashEnv + "_SEQ"))
	for i := 0; ; i++ {
		seq++
		in := demo.Entries[i%len(demo.Entries)]
		in.Related = nil
		if i%7 == 3 {
			if err := store.DeleteEntry(ctx, in.Slug); err != nil && !errors.Is(err, catalogue.ErrNotFound) {
				return err
			}
			fmt.Fprintf(out, "deleted %s %d\n", in.Slug, seq)
		} else {
			for j := range in.Translations {
				if in.Translations[j].Lang == "en" {
					in.Translations[j].Summary += fmt.Sprintf(" crashmarker%d", seq)
				}
			}
			if _, err := store.SaveEntry(ctx, in); err != nil {
				return err
			}
			fmt.Fprintf(out, "saved %s %d\n", in.Slug, seq)
		}
		out.Flush()
	}
}

// TestCrashConsistency kills a writing process (SIGKILL) at random moments,
// restarts, and checks that within 5 s the index holds exactly the
// database's published entries, each with its last acknowledged text.
func TestCrashConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes; not in -short runs")
	}
	f := newFixture(t)
	dir := f.dir
	f.index.Close()
	f.store.Close()
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for round := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		// Each round numbers its edits from its own base: a killed writer may
		// have stored edits it never got to acknowledge.
		cmd.Env = append(os.Environ(), crashEnv+"="+dir, fmt.Sprintf("%s_SEQ=%d", crashEnv, (round+1)*1_000_000))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		last := map[string]int{} // slug -> last acknowledged marker, -1 when deleted
		acked := 0
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// The kill comes at a random moment after the first acknowledged
		// write (start-up is slow under the race detector).
		var kill <-chan time.Time
		killAfter := time.Duration(100+r.IntN(700)) * time.Millisecond
		giveUp := time.After(60 * time.Second)
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break read
				}
				var op, slug string
				var n int
				if _, err := fmt.Sscanf(line, "%s %s %d", &op, &slug, &n); err == nil {
					acked++
					if acked == 1 {
						kill = time.After(killAfter)
					}
					if op == "deleted" {
						last[slug] = -1
					} else {
						last[slug] = n
					}
				}
			case <-kill:
				_ = cmd.Process.Kill()
				kill = nil
			case <-giveUp:
				_ = cmd.Process.Kill()
				t.Fatalf("round %d: the writer acknowledged nothing in a minute", round)
			}
		}
		_ = cmd.Wait()
		if len(last) == 0 {
			t.Fatalf("round %d: the writer acknowledged nothing", round)
		}
		checkRecovered(t, dir, last)
		t.Logf("round %d: %d writes acknowledged before the kill", round, acked)
	}
}

// checkRecovered reopens the data folder as a restart would and waits up to
// 5 s for the index to match the database.
func checkRecovered(t *testing.T, dir string, last map[string]int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ix, needs, err := search.Open(dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if needs {
		if err := ix.Rebuild(ctx, store, 0, nil); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	go func() { ix.Sync(ctx, store, store.Changes(), 100*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(5 * time.Second)
	for {
		problem := mismatch(ctx, store, ix, last)
		if problem == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s: %s", problem)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mismatch describes how the index differs from the database, or "".
func mismatch(ctx context.Context, store *catalogue.Store, ix *search.Index, last map[string]int) string {
	ids, err := store.PublicEntryIDs(ctx, 0, 10000)
	if err != nil {
		return err.Error()
	}
	want := map[uint]bool{}
	for _, id := range ids {
		want[id] = true
	}
	got := map[uint]bool{}
	for page := 1; ; page++ {
		res, err := ix.Search(ctx, search.Request{Sort: search.SortTitle, Page: page, Size: search.MaxPageSize})
		if err != nil {
			return err.Error()
		}
		for _, h := range res.Hits {
			got[h.ID] = true
		}
		if page >= res.Pages() {
			break
		}
	}
	for id := range want {
		if !got[id] {
			return fmt.Sprintf("entry %d is published but not in the index", id)
		}
	}
	for id := range got {
		if !want[id] {
			return fmt.Sprintf("entry %d is in the index but not published", id)
		}
	}
	for slug, n := range last {
		if n < 0 {
			continue
		}
		res, err := ix.Search(ctx, search.Request{Text: fmt.Sprintf("crashmarker%d", n)})
		if err != nil {
			return err.Error()
		}
		if res.Total != 1 {
			return fmt.Sprintf("the last acknowledged edit of %s (crashmarker%d) is not searchable (%d hits)", slug, n, res.Total)
		}
	}
	return ""
}
