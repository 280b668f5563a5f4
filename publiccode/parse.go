// Package publiccode reads and writes publiccode.yml files, the metadata
// standard for public software (publiccodeyml/publiccode.yml, versions 0.1
// to 0.7), and maps them to catalogue entries the way Joinup maps them to
// ADMS-AP. Reading never stops at the first problem: every problem found is
// reported with its key, its line and how to fix it.
package publiccode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"

	"gopkg.in/yaml.v3"

	"interophub/catalogue"
)

// MaxSize is the largest file Parse reads, in bytes (1 MiB).
const MaxSize = 1 << 20

// ErrTooLarge is returned (wrapped) when a file is larger than MaxSize.
var ErrTooLarge = errors.New("file too large")

// ErrNotYAML is returned (wrapped) when a file is not YAML at all.
var ErrNotYAML = errors.New("not YAML")

// Severities of a problem.
const (
	SeverityError   = "error"   // the file is rejected
	SeverityWarning = "warning" // the file is imported; something was left out or guessed
)

// Result is what a publiccode.yml file gives the catalogue.
type Result struct {
	// Input is the entry to save: a published solution.
	Input catalogue.EntryInput
	// Organisations are the owner and the reusing organisations, to create
	// when missing.
	Organisations []catalogue.Organisation
	// Problems lists everything noticed, in file order.
	Problems []Problem
	// Rejected is true when name, url or description is missing.
	Rejected bool
}

// Problem is one thing wrong with a file.
type Problem struct {
	Key      string // key path: "description.en.longDescription", "maintenance.contacts[0].email"
	Line     int    // 1-based, 0 when unknown
	Severity string // SeverityError or SeverityWarning
	Message  string // what is wrong
	Fix      string // how to fix it
}

// String formats the problem as one line: "12 url error: ... — ...".
func (p Problem) String() string {
	key := p.Key
	if key == "" {
		key = "(file)"
	}
	return fmt.Sprintf("%d %s %s: %s — %s", p.Line, key, p.Severity, p.Message, p.Fix)
}

// Parse reads a publiccode.yml file. It returns an error only when data is
// larger than MaxSize (ErrTooLarge) or is not YAML at all (ErrNotYAML);
// anything else wrong is a Problem of the Result.
func Parse(data []byte) (*Result, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("publiccode: %w: %d bytes, more than the %d allowed", ErrTooLarge, len(data), MaxSize)
	}
	v, err := hubVocabulary()
	if err != nil {
		return nil, fmt.Errorf("publiccode: load vocabularies: %w", err)
	}
	r := &reader{vocab: v}
	root, err := r.decode(data)
	if err != nil {
		return nil, fmt.Errorf("publiccode: %w: %v", ErrNotYAML, err)
	}
	res := r.read(root)
	sort.SliceStable(r.problems, func(i, j int) bool { return r.problems[i].Line < r.problems[j].Line })
	res.Problems = r.problems
	for _, p := range r.problems {
		if p.Severity == SeverityError {
			res.Rejected = true
		}
	}
	return res, nil
}

// decode parses the first YAML document of data. A file indented with tabs,
// which YAML forbids, is read again with each leading tab as two spaces.
func (r *reader) decode(data []byte) (root *yaml.Node, err error) {
	root, extra, err := decodeFirst(data)
	if err != nil {
		line, fixed := expandTabs(data)
		if line == 0 {
			return nil, err
		}
		root, extra, err = decodeFirst(fixed)
		if err != nil {
			return nil, fmt.Errorf("%v (the file is also indented with tabs from line %d)", err, line)
		}
		r.warn("", line, "The file is indented with tabs, which YAML does not allow; each tab was read as two spaces.",
			"Indent with spaces only.")
	}
	if extra {
		r.warn("", 0, "The file holds more than one YAML document; only the first is read.",
			"Keep one document in publiccode.yml and remove the \"---\" separators after it.")
	}
	if root == nil {
		r.warn("", 0, "The file is empty.", "Write the publiccode.yml keys, starting with publiccodeYmlVersion, name, url and description.")
	}
	return root, nil
}

// decodeFirst returns the root node of the first document (nil when there
// is none) and whether another document follows.
func decodeFirst(data []byte) (root *yaml.Node, extra bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			root, extra, err = nil, false, fmt.Errorf("YAML parser failure: %v", p)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, false, nil
		}
		return nil, false, err
	}
	var next yaml.Node
	extra = !errors.Is(dec.Decode(&next), io.EOF)
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0], extra, nil
	}
	return nil, extra, nil
}

// expandTabs replaces the tabs that start lines by two spaces each. It
// returns the first line with such a tab, 0 when there is none.
func expandTabs(data []byte) (int, []byte) {
	first := 0
	lines := bytes.Split(data, []byte("\n"))
	for i, l := range lines {
		j := 0
		for j < len(l) && (l[j] == ' ' || l[j] == '\t') {
			j++
		}
		indent := l[:j]
		if !bytes.Contains(indent, []byte("\t")) {
			continue
		}
		if first == 0 {
			first = i + 1
		}
		lines[i] = append(bytes.ReplaceAll(indent, []byte("\t"), []byte("  ")), l[j:]...)
	}
	return first, bytes.Join(lines, []byte("\n"))
}
