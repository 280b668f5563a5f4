// Command interophub runs Interop Hub, a catalogue of interoperable
// solutions, standards, good practices and courses for digital public
// services. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"interophub/app"
	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/content"
	"interophub/harvest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code: 0 on success,
// 1 on failure, 2 on a usage error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	// execute runs a parsed command until it ends or SIGINT/SIGTERM.
	execute := func(parseErr error, do func(ctx context.Context) error) int {
		if parseErr != nil {
			return 2
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := do(ctx); err != nil {
			logger.Error(cmd, "err", err)
			return 1
		}
		return 0
	}
	switch cmd {
	case "serve":
		cfg, err := parseServe(args, stderr)
		return execute(err, func(ctx context.Context) error { return serve(ctx, cfg, logger) })
	case "reindex":
		dataDir, err := parseReindex(args, stderr)
		return execute(err, func(ctx context.Context) error { return reindex(ctx, dataDir, stderr, logger) })
	case "bench":
		cfg, err := parseBench(args, stderr)
		return execute(err, func(ctx context.Context) error { return runBench(ctx, cfg, stdout, stderr) })
	case "user":
		cfg, err := parseUserAdd(args, stderr)
		return execute(err, func(ctx context.Context) error { return userAdd(ctx, cfg, stdin, stdout, stderr) })
	case "courses":
		return coursesReport(args, stdout, stderr)
	case "import":
		cfg, err := parseImport(args, stderr)
		if err != nil {
			return 2
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := runImport(ctx, cfg, stdout); errors.Is(err, errRejected) {
			return 1
		} else if err != nil {
			logger.Error("import", "err", err)
			return 1
		}
		return 0
	case "export":
		cfg, err := parseExport(args, stderr)
		return execute(err, func(ctx context.Context) error { return exportRDF(ctx, cfg, stdout) })
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "interophub: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

const usage = `Usage: interophub [command] [flags]

Commands:
  serve    run the web site (the default)
  reindex  rebuild the search index from the database, showing progress
  bench    measure search and indexing on a generated catalogue (--items N, --json)
  user add create an account: --email, --name, --role, --password-stdin
  courses  the translation report: which lessons exist in which language
  import   import rdf PATH|URL, or import publiccode PATH...: harvest other catalogues
  export   export rdf: the published catalogue as ADMS-AP RDF (--format, --out)
  help     show this help

Run "interophub <command> -h" for the flags of a command.
`

// serveConfig is the configuration of the serve command.
type serveConfig struct {
	Addr    string
	Data    string
	BaseURL string
	Contact string
	NoDemo  bool
	Mail    mailConfig
	// TrustedProxies is a comma-separated list of proxy addresses or
	// ranges whose X-Forwarded-For is believed.
	TrustedProxies string
}

// parseServe reads serve's flags, with environment variables as defaults.
func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	var cfg serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", envOr("HUB_ADDR", ":8080"), "address to listen on (env HUB_ADDR)")
	fs.StringVar(&cfg.Data, "data", envOr("HUB_DATA", "./data"), "data folder: database, index, uploads (env HUB_DATA)")
	fs.StringVar(&cfg.BaseURL, "base-url", envOr("HUB_BASE_URL", "http://localhost:8080"), "public address of the site, for absolute links (env HUB_BASE_URL)")
	fs.StringVar(&cfg.Contact, "contact-email", envOr("HUB_CONTACT_EMAIL", ""), "editorial team's e-mail address shown on the About page (env HUB_CONTACT_EMAIL)")
	fs.BoolVar(&cfg.NoDemo, "no-demo", false, "do not load the demo catalogue into an empty database")
	mailFlags(fs, &cfg.Mail)
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", envOr("HUB_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For header is believed (env HUB_TRUSTED_PROXIES)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return cfg, errors.New("unexpected argument")
	}
	if tls := cfg.Mail.SMTP.TLS; tls != "none" && tls != "starttls" && tls != "tls" {
		fmt.Fprintf(stderr, "serve: --smtp-tls %q is not one of none, starttls, tls\n", tls)
		return cfg, errors.New("bad smtp-tls")
	}
	if cfg.Contact != "" {
		if a, err := mail.ParseAddress(cfg.Contact); err != nil || a.Name != "" {
			fmt.Fprintf(stderr, "serve: --contact-email %q is not an e-mail address\n", cfg.Contact)
			return cfg, errors.New("bad contact e-mail")
		}
	}
	return cfg, nil
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// openStore opens the catalogue in the data folder with the program's one
// Markdown configuration.
func openStore(ctx context.Context, dataDir string) (*catalogue.Store, error) {
	md := content.NewMarkdown()
	return catalogue.Open(ctx, catalogue.Options{Dir: dataDir, Render: md.Render})
}

// serve runs the site until ctx is cancelled, then shuts down gracefully.
func serve(ctx context.Context, cfg serveConfig, logger *slog.Logger) error {
	start := time.Now()
	// The UI strings (25 languages) load while the database and the index
	// open: they need neither.
	type loaded struct {
		tr  *i18n.Catalog
		err error
	}
	translations := make(chan loaded, 1)
	go func() {
		tr, err := i18n.New()
		translations <- loaded{tr, err}
	}()
	store, err := openStore(ctx, cfg.Data)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			logger.Error("close store", "err", err)
		}
	}()
	if !cfg.NoDemo {
		n, err := store.LoadDemo(ctx, content.Catalogue())
		if err != nil {
			return err
		}
		if n > 0 {
			logger.Info("loaded the demo catalogue", "entries", n)
		}
	}
	courses := loadCourses(logger)
	index, err := openIndex(ctx, cfg.Data, store, courses, logger)
	if err != nil {
		return err
	}
	defer index.close()

	l := <-translations
	if l.err != nil {
		return l.err
	}
	tr := l.tr
	if n, err := store.FailInterruptedRuns(ctx); err != nil {
		return err
	} else if n > 0 {
		logger.Warn("harvest runs interrupted by the last stop were marked failed", "runs", n)
	}
	harvestRoot := filepath.Join(cfg.Data, "harvest") // folder sources of publiccode.yml files live here
	if err := os.MkdirAll(harvestRoot, 0o750); err != nil {
		return err
	}
	harvester := &harvest.Harvester{Store: store, Base: strings.TrimRight(cfg.BaseURL, "/"), Owner: "interop-hub", Log: logger, Root: harvestRoot}
	harvestCtx, stopHarvests := context.WithCancel(ctx)
	harvestsDone := make(chan struct{})
	go func() { defer close(harvestsDone); harvester.Schedule(harvestCtx, time.Minute) }()
	defer func() { stopHarvests(); <-harvestsDone; harvester.Wait() }()
	web, err := app.New(app.Deps{Translations: tr, Courses: courses, Harvester: harvester, TrustedProxies: strings.FieldsFunc(cfg.TrustedProxies, func(r rune) bool { return r == ',' || r == ' ' }), Catalogue: store, Search: index.Index, Accounts: store, Workflow: store, Follows: store, Attachments: store, Logger: logger, BaseURL: cfg.BaseURL, ContactEmail: cfg.Contact})
	if err != nil {
		return err
	}
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	waitWorker, err := startMailWorker(workerCtx, cfg.Mail, cfg.BaseURL, tr, store, logger)
	if err != nil {
		stopWorker()
		return err
	}
	defer func() { stopWorker(); waitWorker() }()
	errc := make(chan error, 1)
	go func() { errc <- web.Listen(cfg.Addr) }()
	logger.Info("serving", "addr", cfg.Addr, "data", cfg.Data, "base_url", cfg.BaseURL, "startup_ms", time.Since(start).Milliseconds())
	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	if err := web.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// loadCourses reads the embedded courses; a broken course is left out and
// each of its problems logged with its file and line.
func loadCourses(logger *slog.Logger) *content.Courses {
	courses, errs := content.LoadCourses(content.CourseFiles(), content.NewMarkdown(), i18n.Languages)
	for _, err := range errs {
		logger.Error("course refused", "problem", err)
	}
	return courses
}
