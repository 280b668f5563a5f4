package catalogue

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxAttachment is the largest file an entry may carry, in bytes (10 MiB).
const MaxAttachment = 10 << 20

// ErrTooLarge is returned (wrapped) when an uploaded file is larger than
// MaxAttachment.
var ErrTooLarge = errors.New("too large")

// maxFileName is the longest file name kept, in characters.
const maxFileName = 255

// attachmentType is one line of the allow list.
type attachmentType struct {
	sniffed string // the media type http.DetectContentType reports
	stored  string // the Content-Type the file is stored and served with
	// zipPart, for the office formats (which sniff as a zip archive), is
	// what the archive must hold: the ODF mimetype member's content, or
	// the folder of an OOXML document's parts.
	zipPart string
}

const (
	mimeZip   = "application/zip"
	mimeText  = "text/plain"
	odfPrefix = "application/vnd.oasis.opendocument."
	oxmlDoc   = "application/vnd.openxmlformats-officedocument."
)

// attachmentTypes is the allow list, by lower-case extension. A file is
// accepted only when its content sniffs as the type its extension says.
var attachmentTypes = map[string]attachmentType{
	"pdf":  {sniffed: "application/pdf", stored: "application/pdf"},
	"png":  {sniffed: "image/png", stored: "image/png"},
	"jpg":  {sniffed: "image/jpeg", stored: "image/jpeg"},
	"jpeg": {sniffed: "image/jpeg", stored: "image/jpeg"},
	"gif":  {sniffed: "image/gif", stored: "image/gif"},
	"webp": {sniffed: "image/webp", stored: "image/webp"},
	"txt":  {sniffed: mimeText, stored: mimeText},
	"md":   {sniffed: mimeText, stored: mimeText},
	"csv":  {sniffed: mimeText, stored: "text/csv"},
	"odt":  {sniffed: mimeZip, stored: odfPrefix + "text", zipPart: odfPrefix + "text"},
	"ods":  {sniffed: mimeZip, stored: odfPrefix + "spreadsheet", zipPart: odfPrefix + "spreadsheet"},
	"odp":  {sniffed: mimeZip, stored: odfPrefix + "presentation", zipPart: odfPrefix + "presentation"},
	"docx": {sniffed: mimeZip, stored: oxmlDoc + "wordprocessingml.document", zipPart: "word/"},
	"xlsx": {sniffed: mimeZip, stored: oxmlDoc + "spreadsheetml.sheet", zipPart: "xl/"},
	"pptx": {sniffed: mimeZip, stored: oxmlDoc + "presentationml.presentation", zipPart: "ppt/"},
}

// storedName is the form of the names AddAttachment generates.
var storedName = regexp.MustCompile(`^[0-9a-f]{32}\.[a-z]{2,4}$`)

// uploadDir is the folder of the attachments' files.
func (s *Store) uploadDir() string { return filepath.Join(s.dir, "uploads") }

// AddAttachment stores the file read from r, uploaded by uploaderID under
// fileName, with the entry entryID. The file must be on the allow list:
// its extension and its sniffed content must agree (a ValidationError on
// field "file" otherwise) and it must not be larger than MaxAttachment
// (ErrTooLarge). It is written under the data folder with a generated name.
func (s *Store) AddAttachment(ctx context.Context, entryID, uploaderID uint, fileName string, r io.Reader) (*Attachment, error) {
	a, err := s.addAttachment(ctx, entryID, uploaderID, fileName, r)
	if err != nil {
		return nil, fmt.Errorf("catalogue: add attachment %q: %w", fileName, err)
	}
	return a, nil
}

func (s *Store) addAttachment(ctx context.Context, entryID, uploaderID uint, fileName string, r io.Reader) (*Attachment, error) {
	name := cleanFileName(fileName)
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	t, ok := attachmentTypes[ext]
	if !ok {
		return nil, fileProblem("type")
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	head = head[:n]
	if n == 0 {
		return nil, fileProblem("empty")
	}
	media, params, err := mime.ParseMediaType(http.DetectContentType(head))
	if err != nil || media != t.sniffed {
		return nil, fileProblem("type")
	}
	contentType := t.stored
	if cs := params["charset"]; cs != "" && strings.HasPrefix(media, "text/") {
		contentType += "; charset=" + cs
	}

	dir := s.uploadDir()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		if !keep {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	sum := sha256.New()
	w := io.MultiWriter(tmp, sum)
	if _, err := w.Write(head); err != nil {
		return nil, err
	}
	rest, err := io.Copy(w, io.LimitReader(r, MaxAttachment+1-int64(n)))
	if err != nil {
		return nil, err
	}
	size := int64(n) + rest
	if size > MaxAttachment {
		return nil, fmt.Errorf("%d bytes or more, at most %d: %w", size, MaxAttachment, ErrTooLarge)
	}
	if t.zipPart != "" && !zipHolds(tmp, size, t.zipPart) {
		return nil, fileProblem("type")
	}
	if err := tmp.Sync(); err != nil {
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	random := make([]byte, 16)
	if _, err := rand.Read(random); err != nil {
		return nil, err
	}
	a := &Attachment{
		EntryID: entryID, UploaderID: uploaderID, StoredName: hex.EncodeToString(random) + "." + ext,
		FileName: name, ContentType: contentType, Size: size, SHA256: hex.EncodeToString(sum.Sum(nil)),
	}
	final := filepath.Join(dir, a.StoredName)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return nil, err
	}
	keep = true
	if err := s.w.WithContext(ctx).Create(a).Error; err != nil {
		_ = os.Remove(final)
		return nil, err
	}
	return a, nil
}

// fileProblem is a validation problem with the uploaded file.
func fileProblem(problem string) error {
	return &ValidationError{Fields: []FieldError{{"file", problem}}}
}

// zipHolds reports whether the zip archive f (of size bytes) is the office
// document part says: an ODF archive whose mimetype member is part, or an
// OOXML package with a content types list and parts in the folder part.
func zipHolds(f io.ReaderAt, size int64, part string) bool {
	z, err := zip.NewReader(f, size)
	if err != nil {
		return false
	}
	var types, parts bool
	for _, m := range z.File {
		switch {
		case m.Name == "mimetype" && strings.HasPrefix(part, odfPrefix):
			rc, err := m.Open()
			if err != nil {
				return false
			}
			b, err := io.ReadAll(io.LimitReader(rc, 128))
			_ = rc.Close()
			return err == nil && string(b) == part
		case m.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(m.Name, part):
			parts = true
		}
	}
	return types && parts && !strings.HasPrefix(part, odfPrefix)
}

// cleanFileName keeps the last element of an uploaded file's name (browsers
// may send a whole path, with either slash), without control or formatting
// characters (which could hide the real extension), at most 255 characters
// long with its extension kept.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	if utf8.RuneCountInString(name) > maxFileName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimSpace(string(stem[:maxFileName-utf8.RuneCountInString(ext)])) + ext
	}
	return name
}

// Attachments lists the files of an entry, oldest first.
func (s *Store) Attachments(ctx context.Context, entryID uint) ([]Attachment, error) {
	var out []Attachment
	if err := s.r.WithContext(ctx).Where("entry_id = ?", entryID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: attachments of entry %d: %w", entryID, err)
	}
	return out, nil
}

// AttachmentByStoredName finds an attachment by its generated file name;
// ErrNotFound when no attachment has it.
func (s *Store) AttachmentByStoredName(ctx context.Context, name string) (*Attachment, error) {
	if !storedName.MatchString(name) {
		return nil, fmt.Errorf("catalogue: attachment %q: %w", name, ErrNotFound)
	}
	var a Attachment
	if err := s.r.WithContext(ctx).Where("stored_name = ?", name).Take(&a).Error; err != nil {
		return nil, fmt.Errorf("catalogue: attachment %q: %w", name, notFound(err))
	}
	return &a, nil
}

// AttachmentEntry loads the workflow's view of an attachment's entry: its
// id, kind, slug, state, owner and creator, enough for CanEdit.
func (s *Store) AttachmentEntry(ctx context.Context, a *Attachment) (*Entry, error) {
	e, err := entryForWorkflow(s.r.WithContext(ctx), "id", a.EntryID)
	if err != nil {
		return nil, fmt.Errorf("catalogue: entry of attachment %q: %w", a.StoredName, err)
	}
	return e, nil
}

// OpenAttachment opens an attachment's file for reading; the caller closes
// it. A missing file is ErrNotFound.
func (s *Store) OpenAttachment(a *Attachment) (*os.File, error) {
	if !storedName.MatchString(a.StoredName) {
		return nil, fmt.Errorf("catalogue: open attachment %q: %w", a.StoredName, ErrNotFound)
	}
	f, err := os.Open(filepath.Join(s.uploadDir(), a.StoredName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("catalogue: open attachment %q: %w", a.StoredName, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("catalogue: open attachment: %w", err)
	}
	return f, nil
}

// DeleteAttachment removes an attachment: its row, then its file.
func (s *Store) DeleteAttachment(ctx context.Context, id uint) error {
	var a Attachment
	err := s.w.WithContext(ctx).Take(&a, id).Error
	if err == nil {
		err = s.w.WithContext(ctx).Delete(&Attachment{}, id).Error
	}
	if err != nil {
		return fmt.Errorf("catalogue: delete attachment %d: %w", id, notFound(err))
	}
	if storedName.MatchString(a.StoredName) {
		err := os.Remove(filepath.Join(s.uploadDir(), a.StoredName))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("catalogue: delete attachment file %q: %w", a.StoredName, err)
		}
	}
	return nil
}
