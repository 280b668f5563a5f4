package app

import (
	"fmt"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"interophub/app/i18n"
	"interophub/catalogue"
)

// attachmentCSP forbids everything to a served file: no scripts, no
// styles, no plugins, and a sandbox should a browser render it anyway.
const attachmentCSP = "default-src 'none'; sandbox"

// inlineTypes are the attachments a browser may show in the page rather
// than download.
var inlineTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// attachmentShow serves an attachment's file. Files of public entries are
// served to everybody, others only to the entry's editors and moderators;
// anybody else gets a 404, as if the file did not exist.
func (s *server) attachmentShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	a, err := s.attachments.AttachmentByStoredName(ctx, c.Params("name"))
	if err != nil {
		return err
	}
	e, err := s.attachments.AttachmentEntry(ctx, a)
	if err != nil {
		return err
	}
	if !e.State.Public() {
		u := s.user(c)
		if u == nil || (!catalogue.CanEdit(u, e) && !u.Role.AtLeast(catalogue.RoleModerator)) {
			return fiber.ErrNotFound
		}
	}
	f, err := s.attachments.OpenAttachment(a)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	disposition := "attachment"
	if inlineTypes[mediaType(a.ContentType)] {
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentDisposition, disposition+"; filename*=UTF-8''"+encodeRFC5987(a.FileName))
	c.Set(fiber.HeaderContentSecurityPolicy, attachmentCSP)
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.SendStream(f, int(st.Size())) // fasthttp closes f
}

// mediaType is a Content-Type without its parameters.
func mediaType(contentType string) string {
	if t, _, err := mime.ParseMediaType(contentType); err == nil {
		return t
	}
	return contentType
}

// encodeRFC5987 percent-encodes a file name for filename*= (RFC 5987,
// RFC 6266): every byte but the attr-chars.
func encodeRFC5987(s string) string {
	const attrChars = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte(attrChars, ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}

// attachmentItem is an attachment as the pages list it.
type attachmentItem struct {
	ID   uint
	Name string // as uploaded
	URL  string
	Type string // the extension, in capitals: PDF, PNG, DOCX
	Size string // in KB or MB, in the page's language
}

// attachmentItems loads an entry's attachments for a page.
func (s *server) attachmentItems(c *fiber.Ctx, entryID uint) ([]attachmentItem, error) {
	list, err := s.attachments.Attachments(c.UserContext(), entryID)
	if err != nil {
		return nil, err
	}
	loc := s.locale(c)
	out := make([]attachmentItem, 0, len(list))
	for _, a := range list {
		out = append(out, attachmentItem{
			ID: a.ID, Name: a.FileName, URL: "/attachments/" + a.StoredName,
			Type: strings.ToUpper(strings.TrimPrefix(path.Ext(a.StoredName), ".")),
			Size: fileSize(loc, a.Size),
		})
	}
	return out, nil
}

// fileSize writes a size in kilobytes (whole, rounded up) below a megabyte,
// else in megabytes with one decimal, with the language's decimal sign.
func fileSize(loc *i18n.Locale, n int64) string {
	if n < 1<<20 {
		return loc.Tr("attachment.size.kb", "Size", (n+1023)/1024)
	}
	p := message.NewPrinter(language.Make(loc.Lang))
	return loc.Tr("attachment.size.mb", "Size", p.Sprintf("%.1f", float64(n)/(1<<20)))
}
