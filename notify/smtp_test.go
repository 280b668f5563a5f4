package notify_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"interophub/notify"
)

// received is a message the test SMTP server accepted.
type received struct {
	From      string
	To        []string
	MessageID string
	Header    netmail.Header
	Text      string // the text/plain part, decoded
	HTML      string // the text/html part, decoded
}

// smtpServer is an SMTP server on 127.0.0.1 that records what it accepts.
type smtpServer struct {
	t    *testing.T
	srv  *smtp.Server
	port int

	mu   sync.Mutex
	msgs []received
}

// startSMTP serves on 127.0.0.1:port (0: any free port) until the test ends.
func startSMTP(t *testing.T, port int) *smtpServer {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := &smtpServer{t: t, port: l.Addr().(*net.TCPAddr).Port}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{server: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// freePort returns a port on 127.0.0.1 where nothing listens.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// byMessageID counts the accepted messages by Message-ID.
func (s *smtpServer) byMessageID() map[string]int {
	out := map[string]int{}
	for _, m := range s.messages() {
		out[m.MessageID]++
	}
	return out
}

func (s *smtpServer) sender(t *testing.T) *notify.SMTPSender {
	t.Helper()
	return newSender(t, s.port)
}

func newSender(t *testing.T, port int) *notify.SMTPSender {
	t.Helper()
	snd, err := notify.NewSMTPSender(notify.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none", From: "Interop Hub <hub@example.org>"})
	if err != nil {
		t.Fatal(err)
	}
	return snd
}

type session struct {
	server *smtpServer
	from   string
	to     []string
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error { x.from = from; return nil }
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error   { x.to = append(x.to, to); return nil }
func (x *session) Reset()                                      { x.from, x.to = "", nil }
func (x *session) Logout() error                               { return nil }

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		x.server.t.Errorf("server received an unparsable message: %v\n%s", err, raw)
		return err
	}
	rec := received{From: x.from, To: x.to, MessageID: msg.Header.Get("Message-Id"), Header: msg.Header}
	if err := readBody(msg.Header, msg.Body, &rec); err != nil {
		x.server.t.Errorf("server received a bad body: %v\n%s", err, raw)
		return err
	}
	x.server.mu.Lock()
	x.server.msgs = append(x.server.msgs, rec)
	x.server.mu.Unlock()
	return nil
}

type header interface{ Get(string) string }

// readBody decodes a text or multipart/alternative body into rec.
func readBody(h header, body io.Reader, rec *received) error {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := readBody(p.Header, p, rec); err != nil {
				return err
			}
		}
	}
	if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch mediaType {
	case "text/plain":
		rec.Text = string(text)
	case "text/html":
		rec.HTML = string(text)
	}
	return nil
}

func TestNewSMTPSenderChecksConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  notify.SMTPConfig
		ok   bool
	}{
		{"plain", notify.SMTPConfig{Host: "127.0.0.1", TLS: "none", From: "hub@example.org"}, true},
		{"starttls by default", notify.SMTPConfig{Host: "mail.example.org", From: "Hub <hub@example.org>", Username: "u", Password: "p"}, true},
		{"implicit tls", notify.SMTPConfig{Host: "mail.example.org", TLS: "tls", From: "hub@example.org"}, true},
		{"no host", notify.SMTPConfig{From: "hub@example.org"}, false},
		{"bad sender", notify.SMTPConfig{Host: "127.0.0.1", From: "not an address"}, false},
		{"unknown TLS mode", notify.SMTPConfig{Host: "127.0.0.1", TLS: "ssl3", From: "hub@example.org"}, false},
		{"bad port", notify.SMTPConfig{Host: "127.0.0.1", Port: 70000, From: "hub@example.org"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := notify.NewSMTPSender(tt.cfg)
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok = %v", err, tt.ok)
			}
		})
	}
}

func TestSMTPSenderMessage(t *testing.T) {
	srv := startSMTP(t, 0)
	err := srv.sender(t).Send(t.Context(), notify.Message{
		To: "ann@example.org", Subject: "Nouveautés: « X-Road »\r\nBcc: evil@example.org",
		Text: "Bonjour Ann,\nX-Road a été publié.", HTML: "<p>X-Road a été publié.</p>",
		MessageID: "<0123abcd@interophub>", ListUnsubscribe: "https://hub.example/unsubscribe/7",
	})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages", len(msgs))
	}
	m := msgs[0]
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	checks := []struct {
		what, got, want string
	}{
		{"envelope sender", m.From, "hub@example.org"},
		{"recipients", strings.Join(m.To, ","), "ann@example.org"},
		{"Message-ID", m.MessageID, "<0123abcd@interophub>"},
		{"subject", subject, "Nouveautés: « X-Road » Bcc: evil@example.org"},
		{"Bcc header", m.Header.Get("Bcc"), ""},
		{"List-Unsubscribe", m.Header.Get("List-Unsubscribe"), "<https://hub.example/unsubscribe/7>"},
		{"List-Unsubscribe-Post", m.Header.Get("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click"},
		{"text", strings.ReplaceAll(m.Text, "\r\n", "\n"), "Bonjour Ann,\nX-Road a été publié."},
		{"html", m.HTML, "<p>X-Road a été publié.</p>"},
	}
	if err != nil {
		t.Errorf("subject %q: %v", m.Header.Get("Subject"), err)
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if m.Header.Get("Date") == "" {
		t.Error("no Date header")
	}

	// Without an unsubscribe link there are no list headers.
	err = srv.sender(t).Send(t.Context(), notify.Message{To: "ann@example.org", Subject: "Confirm", Text: "Link", MessageID: "<1@interophub>"})
	if err != nil {
		t.Fatal(err)
	}
	if m := srv.messages()[1]; m.Header.Get("List-Unsubscribe") != "" || m.Header.Get("List-Unsubscribe-Post") != "" || m.HTML != "" {
		t.Errorf("account mail headers = %v, html %q", m.Header, m.HTML)
	}
}

func TestSMTPSenderServerDown(t *testing.T) {
	err := newSender(t, freePort(t)).Send(t.Context(), notify.Message{To: "ann@example.org", Subject: "x", Text: "x", MessageID: "<2@interophub>"})
	if err == nil {
		t.Fatal("sending to a port where nothing listens succeeded")
	}
}
