package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"interophub/adms"
	"interophub/catalogue"
	"interophub/harvest"
	"interophub/rdf"
)

// importConfig is the configuration of "import rdf|publiccode".
type importConfig struct {
	Kind    string // rdf or publiccode
	Data    string
	BaseURL string
	Format  rdf.Format
	Owner   string
	JSON    bool
	Paths   []string
}

const importUsage = `Usage:
  interophub import rdf [--format turtle|rdfxml|jsonld|ntriples] [--owner SLUG] [--json] PATH|URL
  interophub import publiccode [--owner SLUG] [--json] PATH...
`

// parseImport reads the flags of "import".
func parseImport(args []string, stderr io.Writer) (importConfig, error) {
	var cfg importConfig
	if len(args) == 0 || (args[0] != "rdf" && args[0] != "publiccode") {
		fmt.Fprint(stderr, importUsage)
		return cfg, errors.New("usage")
	}
	cfg.Kind = args[0]
	fs := flag.NewFlagSet("import "+cfg.Kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Data, "data", envOr("HUB_DATA", "./data"), "data folder (env HUB_DATA)")
	fs.StringVar(&cfg.BaseURL, "base-url", envOr("HUB_BASE_URL", "http://localhost:8080"), "this site's public address: its own URIs are read back as its entries (env HUB_BASE_URL)")
	fs.StringVar(&cfg.Owner, "owner", "interop-hub", "slug of the organisation that owns imported entries that name no publisher")
	fs.BoolVar(&cfg.JSON, "json", false, "print the report as JSON")
	format := ""
	if cfg.Kind == "rdf" {
		fs.StringVar(&format, "format", "", "the document's format; default: from the content type, the suffix or the content")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return cfg, err
	}
	cfg.Paths = fs.Args()
	var problems []string
	if len(cfg.Paths) == 0 {
		problems = append(problems, "give what to import")
	}
	if cfg.Kind == "rdf" && len(cfg.Paths) > 1 {
		problems = append(problems, "import rdf reads one file or URL")
	}
	if format != "" {
		f, err := rdf.ParseFormat(format)
		if err != nil {
			problems = append(problems, err.Error())
		}
		cfg.Format = f
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "import %s: %s\n\n%s", cfg.Kind, strings.Join(problems, "; "), importUsage)
		return cfg, errors.New("usage")
	}
	return cfg, nil
}

// errRejected makes the command exit 1 when some entities were rejected;
// the others were imported.
var errRejected = errors.New("some entries were rejected")

// runImport imports, prints the report and returns errRejected when
// something was rejected.
func runImport(ctx context.Context, cfg importConfig, stdout io.Writer) error {
	store, err := openStore(ctx, cfg.Data)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.OrganisationBySlug(ctx, cfg.Owner); err != nil {
		return fmt.Errorf("no organisation %q owns imported entries: give an existing one with --owner", cfg.Owner)
	}
	h := &harvest.Harvester{Store: store, Base: strings.TrimRight(cfg.BaseURL, "/"), Owner: cfg.Owner}
	var run *catalogue.HarvestRun
	if cfg.Kind == "rdf" {
		run, err = h.ImportRDF(ctx, cfg.Paths[0], cfg.Format)
	} else {
		run, err = h.ImportPubliccode(ctx, cfg.Paths)
	}
	if err != nil {
		return err
	}
	full, err := store.HarvestRunByID(ctx, run.ID)
	if err != nil {
		return err
	}
	if err := printReport(stdout, full, cfg.JSON); err != nil {
		return err
	}
	if full.Rejected > 0 {
		return errRejected
	}
	return nil
}

// reportItem is one line of the JSON report.
type reportItem struct {
	Result   string                     `json:"result"`
	Slug     string                     `json:"slug,omitempty"`
	Subject  string                     `json:"subject"`
	Problems []catalogue.HarvestProblem `json:"problems"`
}

// printReport prints a run: one line per entity, then the totals.
func printReport(w io.Writer, run *catalogue.HarvestRun, asJSON bool) error {
	if asJSON {
		out := struct {
			Run       uint         `json:"run"`
			Origin    string       `json:"origin"`
			Created   int          `json:"created"`
			Updated   int          `json:"updated"`
			Unchanged int          `json:"unchanged"`
			Rejected  int          `json:"rejected"`
			Gone      int          `json:"gone"`
			Items     []reportItem `json:"items"`
		}{run.ID, run.Origin, run.Created, run.Updated, run.Unchanged, run.Rejected, run.Gone, []reportItem{}}
		for _, it := range run.Items {
			out.Items = append(out.Items, reportItem{Result: it.Result, Slug: it.Slug, Subject: it.Subject, Problems: nonNil(it.ProblemList())})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, it := range run.Items {
		name := it.Slug
		if it.Result == catalogue.ItemRejected || name == "" {
			name = it.Subject
		}
		line := it.Result + " " + name
		var reasons []string
		for _, p := range it.ProblemList() {
			if it.Result == catalogue.ItemRejected && p.Severity != "error" {
				continue
			}
			reasons = append(reasons, p.Where+": "+p.Message)
		}
		if len(reasons) > 0 && it.Result == catalogue.ItemRejected {
			line += ": " + strings.Join(reasons, "; ")
		} else if len(reasons) > 0 {
			line += fmt.Sprintf(" (%d warnings: %s)", len(reasons), strings.Join(reasons, "; "))
		}
		fmt.Fprintln(w, line)
	}
	_, err := fmt.Fprintf(w, "%d created, %d updated, %d unchanged, %d rejected, %d gone (run %d)\n",
		run.Created, run.Updated, run.Unchanged, run.Rejected, run.Gone, run.ID)
	return err
}

func nonNil(ps []catalogue.HarvestProblem) []catalogue.HarvestProblem {
	if ps == nil {
		return []catalogue.HarvestProblem{}
	}
	return ps
}

// exportConfig is the configuration of "export rdf".
type exportConfig struct {
	Data, BaseURL, Out string
	Format             rdf.Format
}

// parseExport reads the flags of "export rdf".
func parseExport(args []string, stderr io.Writer) (exportConfig, error) {
	var cfg exportConfig
	if len(args) == 0 || args[0] != "rdf" {
		fmt.Fprint(stderr, "Usage: interophub export rdf [--format turtle|rdfxml|jsonld|ntriples] [--out FILE]\n")
		return cfg, errors.New("usage")
	}
	fs := flag.NewFlagSet("export rdf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Data, "data", envOr("HUB_DATA", "./data"), "data folder (env HUB_DATA)")
	fs.StringVar(&cfg.BaseURL, "base-url", envOr("HUB_BASE_URL", "http://localhost:8080"), "public address of the site: the base of every URI (env HUB_BASE_URL)")
	fs.StringVar(&cfg.Out, "out", "", "file to write; default: standard output")
	format := fs.String("format", "turtle", "turtle, rdfxml, jsonld or ntriples")
	if err := fs.Parse(args[1:]); err != nil {
		return cfg, err
	}
	f, err := rdf.ParseFormat(*format)
	if err != nil || fs.NArg() > 0 {
		if err == nil {
			err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
		}
		fmt.Fprintf(stderr, "export rdf: %v\n", err)
		return cfg, errors.New("usage")
	}
	cfg.Format = f
	return cfg, nil
}

// exportRDF writes the whole published catalogue.
func exportRDF(ctx context.Context, cfg exportConfig, stdout io.Writer) error {
	store, err := openStore(ctx, cfg.Data)
	if err != nil {
		return err
	}
	defer store.Close()
	all, err := store.AllPublicEntries(ctx)
	if err != nil {
		return err
	}
	x, err := adms.NewExporter(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil {
		return err
	}
	w := stdout
	if cfg.Out != "" {
		f, err := os.Create(cfg.Out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := rdf.Write(w, cfg.Format, x.Catalogue("Interop Hub", adms.LatestUpdate(all), all), adms.Prefixes); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && cfg.Out != "" {
		return f.Close()
	}
	return nil
}
