// Package harvest imports other catalogues into this one: ADMS-AP /
// DCAT-AP RDF and publiccode.yml files, from a file, a folder or a URL,
// once or on a schedule, keeping a report of every run.
package harvest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"interophub/adms"
	"interophub/catalogue"
	"interophub/rdf"
)

// Harvester fetches, reads and applies sources.
type Harvester struct {
	Store    *catalogue.Store
	Base     string       // this site's base URL: its own addresses read back as its entries
	Client   *http.Client // nil: a client with the timeouts below
	MaxBytes int64        // the largest document read; 0: DefaultMaxBytes
	Owner    string       // slug of the organisation owning imported entries that name none
	Log      *slog.Logger
	// Root is the only folder (and what is below it) a publiccode.yml
	// source may read from this server; "" allows no folder source.
	Root string

	defaultOnce   sync.Once
	defaultClient *http.Client // one client (and connection pool) for every fetch

	mu      sync.Mutex
	busy    map[uint]bool // sources being harvested
	running sync.WaitGroup
}

// DefaultMaxBytes is the largest document a harvest reads.
const DefaultMaxBytes = 50 << 20

// FetchTimeout bounds a whole download.
const FetchTimeout = 60 * time.Second

func (h *Harvester) maxBytes() int64 {
	if h.MaxBytes > 0 {
		return h.MaxBytes
	}
	return DefaultMaxBytes
}

func (h *Harvester) client() *http.Client {
	if h.Client != nil {
		return h.Client
	}
	h.defaultOnce.Do(func() {
		h.defaultClient = &http.Client{
			Timeout: FetchTimeout,
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
				TLSHandshakeTimeout:   10 * time.Second,
				ResponseHeaderTimeout: 20 * time.Second,
				IdleConnTimeout:       90 * time.Second,
				MaxIdleConnsPerHost:   2,
			},
		}
	})
	return h.defaultClient
}

// ErrTooLarge is returned for a document over the size limit.
var ErrTooLarge = errors.New("the document is larger than the limit")

// Fetch downloads url, refusing what is not a success, too slow or too
// large; it returns the body and its content type. Errors are in plain
// words.
func (h *Harvester) Fetch(ctx context.Context, url, accept string) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", fmt.Errorf("%q is not a web address: %w", url, err)
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "InteropHub-harvester/1")
	res, err := h.client().Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, "", fmt.Errorf("%s did not answer in time: %w", url, err)
		}
		return nil, "", fmt.Errorf("could not reach %s: %w", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("%s answered %s", url, res.Status)
	}
	limit := h.maxBytes()
	if res.ContentLength > limit {
		return nil, "", fmt.Errorf("%w: %s announces %d bytes, over %d", ErrTooLarge, url, res.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading %s: %w", url, err)
	}
	if int64(len(data)) > limit {
		return nil, "", fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, url, limit)
	}
	return data, res.Header.Get("Content-Type"), nil
}

// readFile reads a local file within the size limit.
func (h *Harvester) readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, h.maxBytes()+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > h.maxBytes() {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, path, h.maxBytes())
	}
	return data, nil
}

// isURL reports whether s is a web address rather than a path.
func isURL(s string) bool { return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") }

// rdfAccept asks for the formats we read, Turtle first.
const rdfAccept = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7"

// detectFormat picks the format of an RDF document: the one asked for,
// else the content type, else the name's suffix, else a look at its
// first bytes.
func detectFormat(asked rdf.Format, contentType, name string, data []byte) (rdf.Format, error) {
	if asked != "" {
		return asked, nil
	}
	// text/plain says nothing (raw file hosts send it for everything).
	if mt, _, _ := mime.ParseMediaType(contentType); mt != "text/plain" {
		if f, ok := rdf.FormatOfMediaType(contentType); ok {
			return f, nil
		}
	}
	if u, err := url.Parse(name); err == nil && u.Path != "" {
		name = u.Path // not the query string
	}
	if f, ok := rdf.FormatOfExtension(name); ok {
		return f, nil
	}
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	switch {
	case bytes.HasPrefix(head, []byte("<?xml")) || bytes.HasPrefix(head, []byte("<rdf:RDF")):
		return rdf.RDFXML, nil
	case bytes.HasPrefix(head, []byte("{")) || bytes.HasPrefix(head, []byte("[")):
		return rdf.JSONLD, nil
	case bytes.HasPrefix(head, []byte("@prefix")) || bytes.HasPrefix(head, []byte("PREFIX")) || bytes.HasPrefix(head, []byte("@base")):
		return rdf.Turtle, nil
	}
	return "", fmt.Errorf("cannot tell the RDF format of %s: give it with --format (turtle, rdfxml, jsonld or ntriples)", name)
}

// readAssets parses an RDF document and reads its assets.
func (h *Harvester) readAssets(ctx context.Context, data []byte, format rdf.Format, base string) ([]catalogue.HarvestAsset, error) {
	triples, err := rdf.Read(bytes.NewReader(data), format, base)
	if err != nil {
		return nil, fmt.Errorf("the document is not valid %s: %w", format, err)
	}
	reader, err := adms.NewReader(h.Base)
	if err != nil {
		return nil, err
	}
	var out []catalogue.HarvestAsset
	for _, a := range reader.Read(triples) {
		ha := toHarvestAsset(a)
		// This site's own export read back: its entries are here already.
		if a.Subject == reader.EntryURI(a.Input.Kind, a.Input.Slug) {
			if _, err := h.Store.EntryBySlug(ctx, a.Input.Kind, a.Input.Slug); err == nil {
				ha.Problems = append(ha.Problems, catalogue.HarvestProblem{Where: "@id", Severity: "error",
					Message: "this is this site's own entry " + a.Input.Slug + ": it is not imported over itself",
					Fix:     "Harvest other catalogues' documents, not this site's own export."})
			}
		}
		out = append(out, ha)
	}
	return out, nil
}

func toHarvestAsset(a adms.Asset) catalogue.HarvestAsset {
	ha := catalogue.HarvestAsset{Subject: a.Subject, Input: a.Input, Organisations: a.Organisations}
	for _, p := range a.Rejected {
		ha.Problems = append(ha.Problems, catalogue.HarvestProblem{Where: p.Property, Severity: "error", Message: p.Message})
	}
	for _, p := range a.Warnings {
		ha.Problems = append(ha.Problems, catalogue.HarvestProblem{Where: p.Property, Severity: "warning", Message: p.Message})
	}
	return ha
}

// ImportRDF imports an RDF document from a file or a URL (the command
// line's import rdf): one run, entries keyed by where they came from.
func (h *Harvester) ImportRDF(ctx context.Context, pathOrURL string, format rdf.Format) (*catalogue.HarvestRun, error) {
	origin, key := pathOrURL, pathOrURL
	if !isURL(pathOrURL) {
		abs, err := filepath.Abs(pathOrURL)
		if err == nil {
			origin, key = abs, "file:"+abs
		}
	}
	run, err := h.Store.StartHarvestRun(ctx, nil, origin)
	if err != nil {
		return nil, err
	}
	return run, h.complete(ctx, origin, run, func() error {
		return h.applyRDF(ctx, run, key, pathOrURL, format, h.Owner)
	})
}

// applyRDF fetches or reads an RDF document and applies it as the whole
// of key.
func (h *Harvester) applyRDF(ctx context.Context, run *catalogue.HarvestRun, key, where string, format rdf.Format, owner string) error {
	var data []byte
	var contentType string
	var err error
	base := where
	if isURL(where) {
		data, contentType, err = h.Fetch(ctx, where, rdfAccept)
	} else {
		data, err = h.readFile(where)
		base = "file://" + filepath.ToSlash(run.Origin)
	}
	if err != nil {
		return err
	}
	format, err = detectFormat(format, contentType, where, data)
	if err != nil {
		return err
	}
	assets, err := h.readAssets(ctx, data, format, base)
	if err != nil {
		return err
	}
	return h.Store.ApplyHarvest(ctx, run, key, owner, assets, true)
}

// ErrBusy is returned when a harvest of the source is already running.
var ErrBusy = errors.New("a harvest of this source is already running")

// claim marks a source as being harvested; false when it already is.
func (h *Harvester) claim(id uint) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.busy == nil {
		h.busy = map[uint]bool{}
	}
	if h.busy[id] {
		return false
	}
	h.busy[id] = true
	return true
}

func (h *Harvester) release(id uint) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.busy, id)
}

// Run harvests one source now and returns when it is done.
func (h *Harvester) Run(ctx context.Context, src *catalogue.HarvestSource) (*catalogue.HarvestRun, error) {
	if !h.claim(src.ID) {
		return nil, ErrBusy
	}
	defer h.release(src.ID)
	run, err := h.Store.StartHarvestRun(ctx, src, src.URL)
	if err != nil {
		return nil, err
	}
	return run, h.execute(ctx, src, run)
}

// Start begins a harvest of one source and goes on in the background (an
// administrator's "Harvest now"): the run it returns shows the progress.
// Wait waits for the harvests started so.
func (h *Harvester) Start(ctx context.Context, src *catalogue.HarvestSource) (*catalogue.HarvestRun, error) {
	if !h.claim(src.ID) {
		return nil, ErrBusy
	}
	run, err := h.Store.StartHarvestRun(ctx, src, src.URL)
	if err != nil {
		h.release(src.ID)
		return nil, err
	}
	h.running.Add(1)
	go func() {
		defer h.running.Done()
		defer h.release(src.ID)
		_ = h.execute(context.WithoutCancel(ctx), src, run) // the run keeps its error
	}()
	return run, nil
}

// Wait waits for the harvests Start began.
func (h *Harvester) Wait() { h.running.Wait() }

// execute reads and applies a source for a run already started.
func (h *Harvester) execute(ctx context.Context, src *catalogue.HarvestSource, run *catalogue.HarvestRun) error {
	return h.complete(ctx, src.Name, run, func() error {
		owner := h.Owner
		if src.Owner != nil {
			owner = src.Owner.Slug
		}
		switch src.Kind {
		case catalogue.SourceRDF:
			var format rdf.Format
			if src.Format != "" {
				var err error
				if format, err = rdf.ParseFormat(src.Format); err != nil {
					return err
				}
			}
			return h.applyRDF(ctx, run, src.Key(), src.URL, format, owner)
		case catalogue.SourcePubliccode:
			if !isURL(src.URL) && !h.insideRoot(src.URL) {
				return fmt.Errorf("a folder source must be inside %s on the server (%s is not)", h.rootName(), src.URL)
			}
			return h.applyPubliccode(ctx, run, src.Key(), []string{src.URL}, owner)
		}
		return fmt.Errorf("unknown source kind %q", src.Kind)
	})
}

// complete runs apply for a run already started and records the run's
// end, failed with apply's error; a panic (a hostile document) fails the
// run, not the process.
func (h *Harvester) complete(ctx context.Context, name string, run *catalogue.HarvestRun, apply func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the harvest stopped on an internal error: %v", r)
			h.log().Error("harvest panicked", "source", name, "panic", r)
		}
		if ferr := h.Store.FinishHarvestRun(context.WithoutCancel(ctx), run, err); ferr != nil && err == nil {
			err = ferr
		}
		if err != nil {
			h.log().Warn("harvest failed", "source", name, "err", err)
		}
	}()
	return apply()
}

func (h *Harvester) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Schedule runs due sources until ctx ends, checking every interval.
func (h *Harvester) Schedule(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		due, err := h.Store.DueHarvestSources(ctx, time.Now().UTC())
		if err != nil && ctx.Err() == nil {
			h.log().Error("harvest schedule", "err", err)
		}
		for _, src := range due {
			if ctx.Err() != nil {
				return
			}
			_, _ = h.Run(ctx, src) // the run keeps its error; a busy source waits for the next turn
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// insideRoot reports whether path is Root or below it, links resolved.
func (h *Harvester) insideRoot(path string) bool {
	if h.Root == "" {
		return false
	}
	root, err := filepath.EvalSymlinks(h.Root)
	if err != nil {
		return false
	}
	p, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (h *Harvester) rootName() string {
	if h.Root == "" {
		return "the harvest folder (none is configured)"
	}
	return h.Root
}
