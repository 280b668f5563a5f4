package app

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"interophub/catalogue"
)

// Attachments is what the web layer needs for the files uploaded with
// entries.
type Attachments interface {
	AddAttachment(ctx context.Context, entryID, uploaderID uint, fileName string, r io.Reader) (*catalogue.Attachment, error)
	Attachments(ctx context.Context, entryID uint) ([]catalogue.Attachment, error)
	AttachmentByStoredName(ctx context.Context, name string) (*catalogue.Attachment, error)
	AttachmentEntry(ctx context.Context, a *catalogue.Attachment) (*catalogue.Entry, error)
	OpenAttachment(a *catalogue.Attachment) (*os.File, error)
	DeleteAttachment(ctx context.Context, id uint) error
}

var _ Attachments = (*catalogue.Store)(nil)

// isUploadRoute reports whether the request is a POST to the upload route.
func isUploadRoute(c *fiber.Ctx) bool { return isUploadPath(c.Method(), c.Path()) }

// isUploadPath reports whether method and path are the upload route's,
// /{lang}/contribute/{slug}/attachments, matched as loosely as the router
// matches them (any case, a trailing slash).
func isUploadPath(method, path string) bool {
	if method != fiber.MethodPost {
		return false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return len(parts) == 4 && strings.EqualFold(parts[1], "contribute") && strings.EqualFold(parts[3], "attachments")
}

// attachmentTimeout is how long reading an upload or writing a download
// may take: 10 MB in two minutes needs less than 1 Mbit/s, where the
// server's timeouts (made for pages) would cut slow connections off.
const attachmentTimeout = 2 * time.Minute

// attachmentTimeouts gives uploads and downloads of attachments their
// timeouts, and every other request the site's body limit; it is the
// server's HeaderReceived hook, called before the body is read.
func attachmentTimeouts(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	switch {
	case isUploadPath(string(h.Method()), path):
		return fasthttp.RequestConfig{ReadTimeout: attachmentTimeout}
	case h.IsGet() && strings.HasPrefix(path, "/attachments/"):
		return fasthttp.RequestConfig{WriteTimeout: attachmentTimeout, MaxRequestBodySize: BodyLimit}
	}
	// Everything else is refused past BodyLimit while being read, not
	// after an upload-sized body has been buffered.
	return fasthttp.RequestConfig{MaxRequestBodySize: BodyLimit}
}

// limitBody keeps BodyLimit for every request but uploads: the server
// itself accepts bodies as large as an attachment needs (uploadBodyLimit).
func (s *server) limitBody(c *fiber.Ctx) error {
	if isUploadRoute(c) {
		return c.Next()
	}
	if c.Request().Header.ContentLength() > BodyLimit || len(c.Body()) > BodyLimit {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}

// canAttach reports whether u may add or remove files of e. Files of a
// public entry are public at once, and those of a proposal are what a
// moderator is reviewing, so there only moderators may change them;
// contributors add files to drafts, which a moderator then reviews whole.
func canAttach(u *catalogue.User, e *catalogue.Entry) bool {
	if !catalogue.CanEdit(u, e) {
		return false
	}
	switch e.State {
	case catalogue.StateDraft, catalogue.StateChangesRequested:
		return true
	}
	return u.Role.AtLeast(catalogue.RoleModerator)
}

// attachableEntry loads the :slug entry for a change to its files.
func (s *server) attachableEntry(c *fiber.Ctx) (*catalogue.Entry, error) {
	e, err := s.editableEntry(c)
	if err != nil {
		return nil, err
	}
	if !canAttach(s.user(c), e) {
		return nil, fiber.ErrForbidden
	}
	return e, nil
}

// attachmentUpload adds a file to an entry (multipart field "file").
func (s *server) attachmentUpload(c *fiber.Ctx) error {
	e, err := s.attachableEntry(c)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	f := s.newForm(c)
	fh, err := c.FormFile("file")
	if err != nil || fh.Filename == "" {
		f.Errors["file"] = loc.Tr("attachment.file.missing")
		return s.renderWorkflow(c, e, f, fiber.StatusUnprocessableEntity)
	}
	if fh.Size > catalogue.MaxAttachment {
		f.fail(loc, "file", "too_large")
		return s.renderWorkflow(c, e, f, fiber.StatusRequestEntityTooLarge)
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	_, err = s.attachments.AddAttachment(c.UserContext(), e.ID, s.user(c).ID, fh.Filename, file)
	switch {
	case err == nil:
		return c.Redirect(s.contributeURL(c, e.Slug, "saved=1"), fiber.StatusSeeOther)
	case errors.Is(err, catalogue.ErrTooLarge):
		f.fail(loc, "file", "too_large")
		return s.renderWorkflow(c, e, f, fiber.StatusRequestEntityTooLarge)
	case f.addValidation(loc, err, nil):
		return s.renderWorkflow(c, e, f, fiber.StatusUnprocessableEntity)
	}
	return err
}

// attachmentDelete removes one of an entry's files.
func (s *server) attachmentDelete(c *fiber.Ctx) error {
	e, err := s.attachableEntry(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	list, err := s.attachments.Attachments(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.ID == uint(id) {
			if err := s.attachments.DeleteAttachment(c.UserContext(), a.ID); err != nil {
				return err
			}
			return c.Redirect(s.contributeURL(c, e.Slug, "saved=1"), fiber.StatusSeeOther)
		}
	}
	return fiber.ErrNotFound
}
