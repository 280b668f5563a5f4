package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"interophub/app"
	"interophub/catalogue"
	"interophub/content"
	"interophub/search"
)

// benchConfig configures the bench command.
type benchConfig struct {
	Items        int
	JSON         bool
	Queries      int    // per class
	Profile      string // CPU profile of the index build, for finding where time goes
	QueryProfile string // CPU profile of our query mix
	InProcess    bool   // build the index in this process, not by a reindex child
}

func parseBench(args []string, stderr io.Writer) (benchConfig, error) {
	cfg := benchConfig{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.Items, "items", 100000, "entries in the generated catalogue")
	fs.BoolVar(&cfg.JSON, "json", false, "print the results as JSON on standard output")
	fs.IntVar(&cfg.Queries, "queries", 200, "queries per class")
	fs.StringVar(&cfg.Profile, "cpuprofile", "", "write a CPU profile of the index build to this file")
	fs.StringVar(&cfg.QueryProfile, "query-cpuprofile", "", "write a CPU profile of the query mix (ours) to this file")
	fs.BoolVar(&cfg.InProcess, "in-process", false, "build the index in this process (its peak memory then includes the corpus generation)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 || cfg.Items < 1 || cfg.Queries < 1 {
		fmt.Fprintln(stderr, "bench: --items and --queries must be positive, and there are no arguments")
		return cfg, errors.New("usage")
	}
	return cfg, nil
}

// Result shapes, as documented in docs/interfaces.md.
type benchClass struct {
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	QPS      float64 `json:"qps"`
	BaseP50  float64 `json:"baseline_p50_ms"`
	BaseP99  float64 `json:"baseline_p99_ms"`
	RatioP99 float64 `json:"ratio_p99"`
}

type benchResult struct {
	Items int `json:"items"`
	Index struct {
		DocsPerSec float64 `json:"docs_per_sec"`
		Seconds    float64 `json:"seconds"`
		SizeBytes  int64   `json:"size_bytes"`
		PeakRSS    int64   `json:"peak_rss_bytes"`
	} `json:"index"`
	ColdStartMS float64                `json:"cold_start_ms"`
	Classes     map[string]*benchClass `json:"classes"`
	HTTP        struct {
		P50         float64 `json:"search_page_p50_ms"`
		P99         float64 `json:"search_page_p99_ms"`
		RPS         float64 `json:"requests_per_sec"`
		Concurrency int     `json:"concurrency"`
	} `json:"http"`
}

var benchClasses = []string{"term", "phrase", "typo", "filtered", "faceted", "browse", "suggest"}

// benchQuery is one query of the mix, run the same way on both engines.
type benchQuery struct {
	Text    string
	Filters map[string][]string
	Suggest bool
}

func runBench(ctx context.Context, cfg benchConfig, stdout, stderr io.Writer) error {
	say := func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	dir, err := os.MkdirTemp("", "interophub-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	demo, err := catalogue.ReadDemo(content.Catalogue())
	if err != nil {
		return err
	}
	c := newCorpus(demo, 20261125)
	res := &benchResult{Items: cfg.Items, Classes: map[string]*benchClass{}}

	// 1. The corpus, in the database (Markdown rendering is not measured).
	start := time.Now()
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: func(string) (string, error) { return "", nil }})
	if err != nil {
		return err
	}
	for i := range demo.Organisations {
		if _, err := store.SaveOrganisation(ctx, demo.Organisations[i]); err != nil {
			return err
		}
	}
	for _, o := range c.organisations() {
		if _, err := store.SaveOrganisation(ctx, o); err != nil {
			return err
		}
	}
	const batch = 1000
	for i := 0; i < cfg.Items; i += batch {
		ins := make([]catalogue.EntryInput, 0, batch)
		for j := i; j < min(i+batch, cfg.Items); j++ {
			ins = append(ins, c.entry(j))
		}
		if err := store.SaveEntries(ctx, ins); err != nil {
			return err
		}
		say("generated %d of %d entries", min(i+batch, cfg.Items), cfg.Items)
	}
	if pending, err := store.PendingChanges(ctx, 1<<30); err == nil && len(pending) > 0 {
		_ = store.AckChanges(ctx, pending[len(pending)-1].ID)
	}
	say("corpus ready in %.1f s", time.Since(start).Seconds())

	// 2. The index, from scratch: by the reindex command in a process of its
	// own, so that its time and peak memory are the rebuild's alone.
	if err := store.Close(); err != nil {
		return err
	}
	if cfg.InProcess || cfg.Profile != "" {
		if err := rebuildInProcess(ctx, dir, cfg, res, say); err != nil {
			return err
		}
	} else {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, exe, "reindex", "--data", dir)
		cmd.Stderr = stderr
		start = time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		res.Index.Seconds = time.Since(start).Seconds()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.Index.PeakRSS = ru.Maxrss << 10 // kilobytes on Linux
		}
	}
	res.Index.DocsPerSec = float64(cfg.Items) / res.Index.Seconds
	res.Index.SizeBytes = dirSize(filepath.Join(dir, "index"))
	say("index: %.0f entries/s, %.1f s, %d MB, peak RSS %d MB", res.Index.DocsPerSec, res.Index.Seconds, res.Index.SizeBytes>>20, res.Index.PeakRSS>>20)

	// 3. Cold start with the index on disk: open everything, serve a page.
	start = time.Now()
	store, err = catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: content.NewMarkdown().Render})
	if err != nil {
		return err
	}
	defer store.Close()
	ix, _, err := search.Open(dir, nil, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	web, err := app.New(app.Deps{Catalogue: store, Search: ix, Accounts: store, Workflow: store, Follows: store, Attachments: store, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	req, _ := http.NewRequest(http.MethodGet, "/en/search?q="+url.QueryEscape(pick(rand.New(rand.NewPCG(1, 1)), c.titles["en"])), nil)
	if resp, err := web.Test(req, -1); err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("cold start page: %v", err)
	}
	res.ColdStartMS = ms(time.Since(start))
	say("cold start to first search page: %.0f ms", res.ColdStartMS)

	// 4. The query mix, in process: ours, then the FTS5 baseline.
	queries := benchQueries(c, cfg.Queries)
	stopProfile, err := startProfile(cfg.QueryProfile)
	if err != nil {
		return err
	}
	for _, class := range benchClasses {
		lat, qps, err := measure(queries[class], func(q benchQuery) error { return oursOnce(ctx, store, ix, q) }, true)
		if err != nil {
			return fmt.Errorf("%s: %w", class, err)
		}
		res.Classes[class] = &benchClass{P50: pct(lat, 50), P95: pct(lat, 95), P99: pct(lat, 99), QPS: qps}
		say("%-8s ours     p50 %6.2f ms  p99 %6.2f ms  %6.0f q/s", class, pct(lat, 50), pct(lat, 99), qps)
	}
	stopProfile()
	fts, err := newFTSBaseline(ctx, dir, store, cfg.Items, say)
	if err != nil {
		return err
	}
	defer fts.Close()
	for _, class := range benchClasses {
		// The baseline's latencies only: its throughput is not reported.
		lat, _, err := measure(queries[class], func(q benchQuery) error { return fts.query(ctx, q) }, false)
		if err != nil {
			return fmt.Errorf("baseline %s: %w", class, err)
		}
		cl := res.Classes[class]
		cl.BaseP50, cl.BaseP99 = pct(lat, 50), pct(lat, 99)
		cl.RatioP99 = cl.P99 / max(cl.BaseP99, 0.001)
		say("%-8s baseline p50 %6.2f ms  p99 %6.2f ms  ratio %.2f", class, cl.BaseP50, cl.BaseP99, cl.RatioP99)
	}

	// 5. The HTML search page over real HTTP, 8 at a time.
	if err := benchHTTP(web, queries, res); err != nil {
		return err
	}
	say("search page over HTTP: p50 %.2f ms, p99 %.2f ms, %.0f requests/s at concurrency %d", res.HTTP.P50, res.HTTP.P99, res.HTTP.RPS, res.HTTP.Concurrency)

	if cfg.JSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(res)
	}
	printBench(stdout, res)
	return nil
}

// rebuildInProcess builds the index in the bench's own process, with an
// optional CPU profile.
func rebuildInProcess(ctx context.Context, dir string, cfg benchConfig, res *benchResult, say func(string, ...any)) error {
	store, err := catalogue.Open(ctx, catalogue.Options{Dir: dir, Render: func(string) (string, error) { return "", nil }})
	if err != nil {
		return err
	}
	defer store.Close()
	resetPeakRSS()
	ix, _, err := search.Open(dir, nil, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	stopProfile, err := startProfile(cfg.Profile)
	if err != nil {
		return err
	}
	defer stopProfile()
	start := time.Now()
	err = ix.Rebuild(ctx, store, int64(cfg.Items), func(done, total int64) {
		if done%20000 < rebuildProgressStep || done == total {
			say("indexed %d of %d", done, total)
		}
	})
	if err != nil {
		return err
	}
	res.Index.Seconds = time.Since(start).Seconds()
	res.Index.PeakRSS = peakRSS()
	return nil
}

const rebuildProgressStep = 1000

// oursOnce is what a results page needs from the hub: the search, the
// entries' titles and summaries from the database, and their highlights.
func oursOnce(ctx context.Context, store *catalogue.Store, ix *search.Index, q benchQuery) error {
	var ids []uint
	var terms map[uint]map[string]bool
	if q.Suggest {
		var err error
		if ids, err = ix.Suggest(ctx, q.Text, "en", 8); err != nil {
			return err
		}
	} else {
		r, err := ix.Search(ctx, search.Request{Text: q.Text, Lang: "en", Filters: q.Filters})
		if err != nil {
			return err
		}
		terms = map[uint]map[string]bool{}
		for _, h := range r.Hits {
			ids = append(ids, h.ID)
			terms[h.ID] = h.Terms
		}
	}
	entries, err := store.EntriesByIDs(ctx, ids, "en")
	if err != nil {
		return err
	}
	for _, e := range entries {
		_ = search.Highlight(e.TitleIn("en"), "en", terms[e.ID])
		_ = search.Highlight(e.SummaryIn("en"), "en", terms[e.ID])
	}
	return nil
}

// benchQueries draws the query mix from the corpus's own words.
func benchQueries(c *corpus, n int) map[string][]benchQuery {
	r := rand.New(rand.NewPCG(7, 7))
	out := map[string][]benchQuery{}
	lang := func() string {
		if p := r.Float64(); p < 0.7 {
			return "en"
		} else if p < 0.85 {
			return "vi"
		}
		return pick(r, []string{"fr", "de", "es"})
	}
	long := func(l string) string {
		for {
			if w := pick(r, c.titles[l]); len([]rune(w)) >= 6 {
				return w
			}
		}
	}
	filter := func() map[string][]string {
		switch r.IntN(3) {
		case 0:
			return map[string][]string{"country": {benchCountries[zipf(r, len(benchCountries))]}}
		case 1:
			return map[string][]string{"layer": {benchLayers[zipf(r, len(benchLayers))]}}
		default:
			return map[string][]string{"kind": {string(benchKinds[r.IntN(len(benchKinds))])}}
		}
	}
	for range n {
		l := lang()
		out["term"] = append(out["term"], benchQuery{Text: c.phrase(r, c.titles[l], 1+r.IntN(3))})
		e := c.entry(r.IntN(1 << 20))
		ws := words(e.Translations[0].Summary)
		k := r.IntN(max(len(ws)-2, 1))
		out["phrase"] = append(out["phrase"], benchQuery{Text: `"` + strings.Join(ws[k:min(k+2, len(ws))], " ") + `"`})
		out["typo"] = append(out["typo"], benchQuery{Text: typo(r, long(l))})
		out["filtered"] = append(out["filtered"], benchQuery{Text: pick(r, c.titles[l]), Filters: filter()})
		out["faceted"] = append(out["faceted"], benchQuery{Text: c.phrase(r, c.titles[l], 1+r.IntN(2)), Filters: map[string][]string{
			"country": {benchCountries[zipf(r, 8)], benchCountries[8+r.IntN(8)]},
			"layer":   {benchLayers[r.IntN(3)], benchLayers[3+r.IntN(3)]},
		}})
		var f map[string][]string
		if r.IntN(2) == 0 {
			f = filter()
		}
		out["browse"] = append(out["browse"], benchQuery{Filters: f})
		w := []rune(long(l))
		out["suggest"] = append(out["suggest"], benchQuery{Text: string(w[:3+r.IntN(3)]), Suggest: true})
	}
	return out
}

// typo changes one letter of a word: drops, doubles or swaps one.
func typo(r *rand.Rand, w string) string {
	rs := []rune(w)
	i := 1 + r.IntN(len(rs)-2)
	switch r.IntN(3) {
	case 0:
		return string(append(rs[:i:i], rs[i+1:]...))
	case 1:
		return string(append(append(rs[:i+1:i+1], rs[i]), rs[i+1:]...))
	default:
		rs[i], rs[i+1] = rs[i+1], rs[i]
		return string(rs)
	}
}

// measure runs every query once sequentially for latencies, then, when
// concurrent, all of them again with 8 workers for throughput.
func measure(qs []benchQuery, run func(benchQuery) error, concurrent bool) (lat []time.Duration, qps float64, err error) {
	for _, q := range qs {
		start := time.Now()
		if err := run(q); err != nil {
			return nil, 0, fmt.Errorf("%+v: %w", q, err)
		}
		lat = append(lat, time.Since(start))
	}
	if !concurrent {
		return lat, 0, nil
	}
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan benchQuery)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range next {
				_ = run(q)
			}
		}()
	}
	for _, q := range qs {
		next <- q
	}
	close(next)
	wg.Wait()
	return lat, float64(len(qs)) / time.Since(start).Seconds(), nil
}

func pct(lat []time.Duration, p int) float64 {
	s := append([]time.Duration(nil), lat...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return ms(s[max(i, 0)])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchHTTP serves the app on a loopback port and requests search pages
// (the term, filtered and faceted queries) with 8 clients.
func benchHTTP(web interface{ Listener(net.Listener) error }, queries map[string][]benchQuery, res *benchResult) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = web.Listener(ln) }()
	defer ln.Close()
	var urls []string
	for _, class := range []string{"term", "filtered", "faceted", "typo"} {
		for _, q := range queries[class] {
			v := url.Values{"q": {q.Text}}
			for k, vals := range q.Filters {
				v[k] = vals
			}
			urls = append(urls, "http://"+ln.Addr().String()+"/en/search?"+v.Encode())
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 10 * time.Second}
	const workers = 8
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	next := make(chan string)
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range next {
				t := time.Now()
				resp, err := client.Get(u)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: status %d", u, resp.StatusCode)
					}
				}
				mu.Lock()
				lat = append(lat, time.Since(t))
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for range 3 {
		for _, u := range urls {
			next <- u
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	res.HTTP.P50, res.HTTP.P99 = pct(lat, 50), pct(lat, 99)
	res.HTTP.RPS = float64(len(lat)) / time.Since(start).Seconds()
	res.HTTP.Concurrency = workers
	return nil
}

func printBench(w io.Writer, r *benchResult) {
	fmt.Fprintf(w, "Interop Hub search bench: %d entries\n\n", r.Items)
	fmt.Fprintf(w, "index build   %8.0f entries/s  %6.1f s  %6d MB on disk  peak RSS %d MB\n", r.Index.DocsPerSec, r.Index.Seconds, r.Index.SizeBytes>>20, r.Index.PeakRSS>>20)
	fmt.Fprintf(w, "cold start    %8.0f ms to the first search page\n\n", r.ColdStartMS)
	fmt.Fprintf(w, "%-9s %8s %8s %8s %9s | %13s %13s %9s\n", "class", "p50 ms", "p95 ms", "p99 ms", "q/s (x8)", "FTS5 p50 ms", "FTS5 p99 ms", "p99 ratio")
	for _, name := range benchClasses {
		c := r.Classes[name]
		fmt.Fprintf(w, "%-9s %8.2f %8.2f %8.2f %9.0f | %13.2f %13.2f %9.2f\n", name, c.P50, c.P95, c.P99, c.QPS, c.BaseP50, c.BaseP99, c.RatioP99)
	}
	fmt.Fprintf(w, "\nsearch page over HTTP, concurrency %d: p50 %.2f ms, p99 %.2f ms, %.0f requests/s\n", r.HTTP.Concurrency, r.HTTP.P50, r.HTTP.P99, r.HTTP.RPS)
}

// startProfile starts a CPU profile into the file at path; the returned
// function stops it. An empty path profiles nothing.
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// resetPeakRSS resets the kernel's record of the process's peak resident
// memory (Linux), so peakRSS measures what follows.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident memory in bytes (Linux; 0 elsewhere).
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
