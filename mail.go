package main

import (
	"context"
	"flag"
	"log/slog"
	"strconv"
	"sync"

	"interophub/app"
	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/notify"
)

// mailConfig is how the site reaches its mail server.
type mailConfig struct {
	SMTP notify.SMTPConfig
}

// mailFlags adds the SMTP flags to a command, with environment variables
// as defaults. The password is read from HUB_SMTP_PASSWORD only, so it
// never shows in a process list.
func mailFlags(fs *flag.FlagSet, cfg *mailConfig) {
	port, _ := strconv.Atoi(envOr("HUB_SMTP_PORT", "0"))
	fs.StringVar(&cfg.SMTP.Host, "smtp-host", envOr("HUB_SMTP_HOST", ""), "mail server; empty keeps mails in the outbox, shown to administrators (env HUB_SMTP_HOST)")
	fs.IntVar(&cfg.SMTP.Port, "smtp-port", port, "mail server port; 0: 465 with --smtp-tls tls, else 587 (env HUB_SMTP_PORT)")
	fs.StringVar(&cfg.SMTP.Username, "smtp-user", envOr("HUB_SMTP_USER", ""), "mail server user name; the password comes from HUB_SMTP_PASSWORD (env HUB_SMTP_USER)")
	fs.StringVar(&cfg.SMTP.TLS, "smtp-tls", envOr("HUB_SMTP_TLS", "starttls"), "none, starttls or tls (env HUB_SMTP_TLS)")
	fs.StringVar(&cfg.SMTP.From, "mail-from", envOr("HUB_MAIL_FROM", "Interop Hub <noreply@localhost>"), "sender of the hub's mails (env HUB_MAIL_FROM)")
	cfg.SMTP.Password = envOr("HUB_SMTP_PASSWORD", "")
}

// startMailWorker runs the notification worker until ctx ends; the
// returned function waits for it to stop.
func startMailWorker(ctx context.Context, cfg mailConfig, baseURL string, tr *i18n.Catalog, store *catalogue.Store, logger *slog.Logger) (func(), error) {
	key, err := store.Secret(ctx, "unsubscribe")
	if err != nil {
		return nil, err
	}
	composer, err := app.NewMailComposer(tr, baseURL, key)
	if err != nil {
		return nil, err
	}
	w := &notify.Worker{Store: store, Composer: composer, Logger: logger, Wake: store.Queued()}
	if cfg.SMTP.Host != "" {
		sender, err := notify.NewSMTPSender(cfg.SMTP)
		if err != nil {
			return nil, err
		}
		w.Sender = sender
	} else {
		logger.Warn("no mail server configured (--smtp-host): mails stay in the outbox, see /en/admin/mail")
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.Run(ctx)
	}()
	return wg.Wait, nil
}
