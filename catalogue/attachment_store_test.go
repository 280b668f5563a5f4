package catalogue

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// openAttachmentStore is a store with two draft entries (ids in entries) by
// a contributor (user), and its data folder.
func openAttachmentStore(t *testing.T) (s *Store, dir string, entries [2]uint, user uint) {
	t.Helper()
	f := newWF(t)
	for i, slug := range []string{"att-one", "att-two"} {
		e, err := f.s.CreateEntry(context.Background(), wfInput(slug, "Attached "+slug), f.member, "")
		if err != nil {
			t.Fatal(err)
		}
		entries[i] = e.ID
	}
	return f.s, f.s.dir, entries, f.member.ID
}

func encodeImage(t *testing.T, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipFile builds a zip archive of name/content pairs, in order, stored
// without compression.
func zipFile(t *testing.T, members ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i := 0; i+1 < len(members); i += 2 {
		w, err := z.CreateHeader(&zip.FileHeader{Name: members[i], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, members[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const testPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

var generatedName = regexp.MustCompile(`^[0-9a-f]{32}\.[a-z]+$`)

func TestAddAttachmentAllowedTypes(t *testing.T) {
	s, dir, entries, user := openAttachmentStore(t)
	ctx := context.Background()
	pngData := encodeImage(t, png.Encode)
	jpegData := encodeImage(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) })
	gifData := encodeImage(t, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) })
	webp := "RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
	odt := zipFile(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office:document-content/>")
	ods := zipFile(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>")
	odp := zipFile(t, "mimetype", "application/vnd.oasis.opendocument.presentation", "content.xml", "<x/>")
	docx := zipFile(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>")
	xlsx := zipFile(t, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>")
	pptx := zipFile(t, "[Content_Types].xml", "<Types/>", "ppt/presentation.xml", "<p/>")

	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"pdf", "Guide.pdf", []byte(testPDF), "application/pdf"},
		{"png", "diagram.PNG", pngData, "image/png"},
		{"jpg", "photo.jpg", jpegData, "image/jpeg"},
		{"jpeg", "photo.jpeg", jpegData, "image/jpeg"},
		{"gif", "anim.gif", gifData, "image/gif"},
		{"webp", "pic.webp", []byte(webp), "image/webp"},
		{"txt", "notes.txt", []byte("Plain notes.\n"), "text/plain; charset=utf-8"},
		{"md", "README.md", []byte("# Title\n\nSome *text*.\n"), "text/plain; charset=utf-8"},
		{"csv", "data.csv", []byte("a,b\n1,2\n"), "text/csv; charset=utf-8"},
		{"odt", "report.odt", odt, "application/vnd.oasis.opendocument.text"},
		{"ods", "sheet.ods", ods, "application/vnd.oasis.opendocument.spreadsheet"},
		{"odp", "slides.odp", odp, "application/vnd.oasis.opendocument.presentation"},
		{"docx", "report.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xlsx", "sheet.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"pptx", "slides.pptx", pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := s.AddAttachment(ctx, entries[0], user, tt.file, bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if a.ContentType != tt.want {
				t.Errorf("content type %q, want %q", a.ContentType, tt.want)
			}
			if a.FileName != tt.file || a.Size != int64(len(tt.data)) || a.EntryID != entries[0] || a.UploaderID != user {
				t.Errorf("attachment %+v", a)
			}
			sum := sha256.Sum256(tt.data)
			if a.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("sha256 %s", a.SHA256)
			}
			if !generatedName.MatchString(a.StoredName) || !strings.HasSuffix(a.StoredName, "."+strings.ToLower(tt.name)) {
				t.Errorf("stored name %q", a.StoredName)
			}
			onDisk, err := os.ReadFile(filepath.Join(dir, "uploads", a.StoredName))
			if err != nil || !bytes.Equal(onDisk, tt.data) {
				t.Fatalf("file on disk: %v", err)
			}
			found, err := s.AttachmentByStoredName(ctx, a.StoredName)
			if err != nil || found.ID != a.ID {
				t.Fatalf("by stored name: %v %+v", err, found)
			}
			f, err := s.OpenAttachment(found)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(f)
			_ = f.Close()
			if !bytes.Equal(got, tt.data) {
				t.Error("opened file differs")
			}
		})
	}
	list, err := s.Attachments(ctx, entries[0])
	if err != nil || len(list) != len(tests) {
		t.Fatalf("list: %d %v", len(list), err)
	}
	if other, _ := s.Attachments(ctx, entries[1]); len(other) != 0 {
		t.Errorf("another entry has %d attachments", len(other))
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "uploads", ".upload-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestAddAttachmentRefusesOtherTypes(t *testing.T) {
	s, dir, entries, user := openAttachmentStore(t)
	ctx := context.Background()
	pngData := encodeImage(t, png.Encode)
	tests := []struct {
		name, file, data, problem string
	}{
		{"html as pdf", "report.pdf", "<!DOCTYPE html><html><script>alert(1)</script></html>", "type"},
		{"html as txt", "notes.txt", "<html><body onload=alert(1)>", "type"},
		{"html", "page.html", "<html></html>", "type"},
		{"svg", "logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "type"},
		{"script", "run.js", "alert(1)", "type"},
		{"executable", "setup.exe", "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "type"},
		{"png named pdf", "diagram.pdf", string(pngData), "type"},
		{"no extension", "README", "text", "type"},
		{"plain zip as docx", "report.docx", string(zipFile(t, "a.txt", "a")), "type"},
		{"ods named odt", "report.odt", string(zipFile(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet")), "type"},
		{"zip", "files.zip", string(zipFile(t, "a.txt", "a")), "type"},
		{"empty", "empty.txt", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddAttachment(ctx, entries[0], user, tt.file, strings.NewReader(tt.data))
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0] != (FieldError{"file", tt.problem}) {
				t.Fatalf("err = %v, want a %q problem on file", err, tt.problem)
			}
		})
	}
	if list, _ := s.Attachments(ctx, entries[0]); len(list) != 0 {
		t.Errorf("%d attachments stored", len(list))
	}
	files, _ := os.ReadDir(filepath.Join(dir, "uploads"))
	if len(files) != 0 {
		t.Errorf("%d files left in uploads", len(files))
	}
}

func TestAddAttachmentSizeLimit(t *testing.T) {
	s, dir, entries, user := openAttachmentStore(t)
	ctx := context.Background()
	exact := append([]byte("a,b\n"), bytes.Repeat([]byte("x"), MaxAttachment-4)...)
	a, err := s.AddAttachment(ctx, entries[0], user, "big.csv", bytes.NewReader(exact))
	if err != nil || a.Size != MaxAttachment {
		t.Fatalf("file of exactly MaxAttachment: %v", err)
	}
	over := io.MultiReader(bytes.NewReader(exact), strings.NewReader("!"), strings.NewReader(strings.Repeat("y", 1<<20)))
	if _, err := s.AddAttachment(ctx, entries[0], user, "bigger.csv", over); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over the limit: err = %v, want ErrTooLarge", err)
	}
	files, _ := os.ReadDir(filepath.Join(dir, "uploads"))
	if len(files) != 1 {
		t.Errorf("%d files in uploads, want 1", len(files))
	}
}

func TestCleanFileName(t *testing.T) {
	long := strings.Repeat("é", 300) + ".pdf"
	tests := []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{`C:\Users\ana\Documents\report.pdf`, "report.pdf"},
		{"../../etc/passwd.txt", "passwd.txt"},
		{"  spaced name.txt  ", "spaced name.txt"},
		{"bad\x00\r\nname\x7f.txt", "badname.txt"},
		{"invoice\u202etxt.exe.pdf", "invoicetxt.exe.pdf"},
		{"in\xffvalid.txt", "invalid.txt"},
		{"..", ""},
		{"dir/", ""},
		{long, strings.Repeat("é", 251) + ".pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := cleanFileName(tt.in); got != tt.want {
				t.Errorf("cleanFileName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAddAttachmentKeepsCleanName(t *testing.T) {
	s, _, entries, user := openAttachmentStore(t)
	a, err := s.AddAttachment(context.Background(), entries[0], user, "C:\\fakepath\\Plan\u202e.txt", strings.NewReader("plan"))
	if err != nil {
		t.Fatal(err)
	}
	if a.FileName != "Plan.txt" {
		t.Errorf("file name %q", a.FileName)
	}
}

func TestAttachmentLookupAndDelete(t *testing.T) {
	s, dir, entries, user := openAttachmentStore(t)
	ctx := context.Background()
	a, err := s.AddAttachment(ctx, entries[0], user, "notes.txt", strings.NewReader("notes"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "../hub.db", strings.ToUpper(a.StoredName), "0123456789abcdef0123456789abcdef.txt"} {
		if _, err := s.AttachmentByStoredName(ctx, name); !errors.Is(err, ErrNotFound) {
			t.Errorf("%q: err = %v, want ErrNotFound", name, err)
		}
	}
	if _, err := s.OpenAttachment(&Attachment{StoredName: "../hub.db"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("open outside uploads: err = %v", err)
	}
	if err := s.DeleteAttachment(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "uploads", a.StoredName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file still there: %v", err)
	}
	if _, err := s.AttachmentByStoredName(ctx, a.StoredName); !errors.Is(err, ErrNotFound) {
		t.Errorf("row still there: %v", err)
	}
	if err := s.DeleteAttachment(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: err = %v", err)
	}
}

func TestAttachmentEntry(t *testing.T) {
	f := newWF(t)
	ctx := context.Background()
	e, err := f.s.CreateEntry(ctx, wfInput("att-entry", "Attached"), f.member, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.s.AddAttachment(ctx, e.ID, f.member.ID, "a.txt", strings.NewReader("a"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.AttachmentEntry(ctx, a)
	if err != nil || got.ID != e.ID || got.State != StateDraft || got.OwnerID != f.ria {
		t.Fatalf("entry %+v %v", got, err)
	}
}
