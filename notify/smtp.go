package notify

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTPConfig is how to reach the mail server.
type SMTPConfig struct {
	Host     string
	Port     int // 0: 25, 587 for "starttls", 465 for "tls"
	Username string
	Password string // used only with Username
	// TLS is "none" (plain text, for a relay on the same host), "starttls"
	// (upgrade required, the default) or "tls" (implicit TLS).
	TLS  string
	From string // the sender, "Interop Hub <hub@example.org>"
}

// dialTimeout bounds connecting to the server and, as go-mail applies it
// to the whole session, each conversation with it.
const dialTimeout = 10 * time.Second

// SMTPSender delivers messages to an SMTP server with go-mail, one
// connection per message.
type SMTPSender struct {
	client *mail.Client
	from   string
}

var _ Sender = (*SMTPSender)(nil)

// NewSMTPSender checks cfg and returns a sender for it. It does not
// connect: a server that is down is an error of Send, retried later.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("notify: smtp: a host is required")
	}
	if _, err := netmail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("notify: smtp: sender %q: %w", cfg.From, err)
	}
	opts := []mail.Option{mail.WithTimeout(dialTimeout), mail.WithoutRset()}
	port := cfg.Port
	switch cfg.TLS {
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		port = orDefault(port, mail.DefaultPort)
	case "starttls", "":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		port = orDefault(port, mail.DefaultPortTLS)
	case "tls":
		opts = append(opts, mail.WithSSL())
		port = orDefault(port, mail.DefaultPortSSL)
	default:
		return nil, fmt.Errorf("notify: smtp: TLS mode %q: want none, starttls or tls", cfg.TLS)
	}
	opts = append(opts, mail.WithPort(port))
	if cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password))
	}
	client, err := mail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: smtp: %w", err)
	}
	return &SMTPSender{client: client, from: cfg.From}, nil
}

func orDefault(port, def int) int {
	if port == 0 {
		return def
	}
	return port
}

// Send delivers m. It returns nil once the server has accepted the
// message (its reply to the end of DATA), whatever happens after.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("notify: smtp: connect: %w", err)
	}
	err = s.client.SendWithSMTPClient(conn, msg)
	if err != nil && !msg.IsDelivered() {
		_ = conn.Close()
		return fmt.Errorf("notify: smtp: send %s: %w", m.MessageID, err)
	}
	// Accepted: a failing QUIT does not make the message undelivered.
	_ = s.client.CloseWithSMTPClient(conn)
	return nil
}

// message builds the MIME message: UTF-8 text (and HTML when given),
// quoted-printable, the headers encoded where they need to be.
func (s *SMTPSender) message(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("notify: smtp: sender: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("notify: smtp: recipient %q: %w", m.To, err)
	}
	msg.Subject(oneLine(m.Subject))
	if id := strings.Trim(oneLine(m.MessageID), "<> "); id != "" {
		msg.SetMessageIDWithValue(id)
	} else {
		msg.SetMessageID()
	}
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if u := oneLine(m.ListUnsubscribe); u != "" {
		if !strings.HasPrefix(u, "<") {
			u = "<" + u + ">"
		}
		msg.SetGenHeader(mail.HeaderListUnsubscribe, u)
		msg.SetGenHeader(mail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// oneLine keeps a header value on one line: no header injection.
func oneLine(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s))
}
