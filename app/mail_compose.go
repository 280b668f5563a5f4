package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"interophub/app/i18n"
	"interophub/catalogue"
	"interophub/notify"
)

// MailComposer writes the hub's mails in each user's language: account
// mails (confirmation, password reset) and notifications, one per mail or
// several as a digest, each with the link that stops it.
type MailComposer struct {
	i18n    *i18n.Catalog
	baseURL string
	key     []byte
}

var _ notify.Composer = (*MailComposer)(nil)

// NewMailComposer builds the composer over the UI strings (nil loads
// them). The key signs unsubscribe links: use the same secret as the site
// (Accounts.Secret("unsubscribe")).
func NewMailComposer(tr *i18n.Catalog, baseURL string, key []byte) (*MailComposer, error) {
	if tr == nil {
		var err error
		if tr, err = i18n.New(); err != nil {
			return nil, err
		}
	}
	if baseURL == "" {
		baseURL = "http://localhost:8080"
	}
	return &MailComposer{i18n: tr, baseURL: strings.TrimRight(baseURL, "/"), key: key}, nil
}

// Compose writes the message of one mail of the outbox.
func (m *MailComposer) Compose(_ context.Context, mail catalogue.Mail, items []catalogue.MailItem) (notify.Message, error) {
	loc := m.i18n.Locale(mail.Lang)
	if loc == nil {
		loc = m.i18n.Locale(i18n.Fallback)
	}
	msg := notify.Message{To: mail.To, MessageID: mail.MessageID}
	if len(items) == 0 {
		return msg, fmt.Errorf("app: compose mail %d: no notifications", mail.ID)
	}
	var b strings.Builder
	line := func(s string) { b.WriteString(s); b.WriteString("\n") }
	line(loc.Tr("mail.greeting"))
	line("")
	if len(items) == 1 && items[0].Event == nil {
		subject, body, err := m.accountMail(loc, items[0].Notification)
		if err != nil {
			return msg, err
		}
		msg.Subject = subject
		line(body)
	} else {
		if len(items) == 1 {
			msg.Subject = m.eventSubject(loc, items[0])
		} else {
			msg.Subject = loc.TrN("mail.digest.subject", len(items))
			line(loc.TrN("mail.digest.intro", len(items)))
			line("")
		}
		var unsubscribe []string
		for _, it := range items {
			line(m.eventText(loc, it))
			if it.Entry != nil && it.Entry.State.Public() {
				line(m.baseURL + "/" + loc.Lang + it.Entry.Path())
			}
			if it.Follow != nil {
				u := m.UnsubscribeURL(loc.Lang, it.Follow.ID)
				line(loc.Tr("mail.because."+string(it.Follow.Target), "Value", followLabel(loc, it.Follow)) + " " + loc.Tr("mail.unsubscribe", "URL", u))
				unsubscribe = append(unsubscribe, u)
			}
			line("")
		}
		if len(unsubscribe) == 1 {
			msg.ListUnsubscribe = unsubscribe[0]
		}
		line(loc.Tr("mail.settings", "URL", m.baseURL+"/"+loc.Lang+"/account"))
	}
	line("")
	line(loc.Tr("mail.signature"))
	msg.Subject = loc.Tr("site.name") + ": " + msg.Subject
	msg.Text = b.String()
	return msg, nil
}

// accountMail is the subject and text of a confirmation, reset or
// "already registered" mail.
func (m *MailComposer) accountMail(loc *i18n.Locale, n catalogue.Notification) (string, string, error) {
	var payload map[string]string
	if n.Payload != "" {
		if err := json.Unmarshal([]byte(n.Payload), &payload); err != nil {
			return "", "", fmt.Errorf("app: compose %s mail: %w", n.Kind, err)
		}
	}
	base := m.baseURL + "/" + loc.Lang
	switch n.Kind {
	case string(catalogue.TokenConfirm):
		link := base + "/account/confirm?token=" + url.QueryEscape(payload["token"])
		return loc.Tr("mail.confirm.subject"), loc.Tr("mail.confirm.text", "URL", link), nil
	case string(catalogue.TokenReset):
		link := base + "/account/reset/new?token=" + url.QueryEscape(payload["token"])
		return loc.Tr("mail.reset.subject"), loc.Tr("mail.reset.text", "URL", link), nil
	case "exists":
		return loc.Tr("mail.exists.subject"), loc.Tr("mail.exists.text", "URL", base+"/account/reset"), nil
	}
	return "", "", fmt.Errorf("app: compose mail: unknown kind %q", n.Kind)
}

// eventKey is the message key of an event: its kind, or for a moderator's
// decision on a proposed change (a state event for the change's author)
// whether it was validated or sent back.
func eventKey(ev *catalogue.Event) string {
	switch {
	case ev.Kind == catalogue.EventState && ev.RecipientID != nil && ev.From == ev.To:
		return "mail.event.revision_ok"
	case ev.Kind == catalogue.EventState && ev.RecipientID != nil:
		return "mail.event.revision_back"
	}
	return "mail.event." + string(ev.Kind)
}

func (m *MailComposer) eventSubject(loc *i18n.Locale, it catalogue.MailItem) string {
	return loc.Tr(eventKey(it.Event)+".subject", "Title", itemTitle(loc, it))
}

func (m *MailComposer) eventText(loc *i18n.Locale, it catalogue.MailItem) string {
	ev := it.Event
	args := []any{"Title", itemTitle(loc, it), "Version", ev.Detail}
	if key := eventKey(ev); key != "mail.event."+string(ev.Kind) {
		text := loc.Tr(key+".text", args...)
		if ev.Detail != "" {
			text += "\n" + loc.Tr("mail.event.comment", "Comment", ev.Detail)
		}
		return text
	}
	if ev.Kind == catalogue.EventState {
		args = append(args, "From", loc.Tr("state."+string(ev.From)), "To", loc.Tr("state."+string(ev.To)))
		text := loc.Tr("mail.event.state.text", args...)
		if ev.Detail != "" {
			text += "\n" + loc.Tr("mail.event.comment", "Comment", ev.Detail)
		}
		return text
	}
	return loc.Tr("mail.event."+string(ev.Kind)+".text", args...)
}

func itemTitle(loc *i18n.Locale, it catalogue.MailItem) string {
	if it.Entry != nil {
		return it.Entry.TitleIn(loc.Lang)
	}
	return "#" + strconv.FormatUint(uint64(it.Event.EntryID), 10)
}

// followLabel names what a follow is about in a mail.
func followLabel(loc *i18n.Locale, f *catalogue.Follow) string {
	switch f.Target {
	case catalogue.FollowKind:
		return loc.Tr("kind." + f.Value + ".plural")
	case catalogue.FollowSearch:
		if q, err := url.ParseQuery(f.Value); err == nil && q.Get("q") != "" {
			return q.Get("q")
		}
	}
	return f.Value
}

// UnsubscribeURL is the signed one-click link that ends one follow.
func (m *MailComposer) UnsubscribeURL(lang string, followID uint) string {
	id := strconv.FormatUint(uint64(followID), 10)
	return m.baseURL + "/unsubscribe/" + id + "/" + signFollow(m.key, id) + "?lang=" + lang
}

// signFollow is the signature of an unsubscribe link.
func signFollow(key []byte, followID string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("unsubscribe:" + followID))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// validFollowSignature checks an unsubscribe link's signature.
func validFollowSignature(key []byte, followID, sig string) bool {
	return subtle.ConstantTimeCompare([]byte(signFollow(key, followID)), []byte(sig)) == 1
}
