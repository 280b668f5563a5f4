package publiccode

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestParseGolden reads every testdata/*.yml and compares what Parse makes
// of it with testdata/<name>.golden.
func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("%d fixtures, want at least 20", len(files))
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".yml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := report(data)
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./publiccode -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("report differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

// minimal is a valid 0.4 file the table tests change.
const minimal = `publiccodeYmlVersion: "0.4"
name: Medusa
url: https://github.com/example/medusa.git
platforms: [web]
developmentStatus: stable
softwareType: standalone/web
description:
  en:
    shortDescription: A document manager for town halls.
    longDescription: %s
legal:
  license: EUPL-1.2
  mainCopyrightOwner: City of Example
maintenance:
  type: community
  contacts:
    - name: Jane Doe
localisation:
  localisationReady: true
  availableLanguages: [en]
`

func TestParseCases(t *testing.T) {
	long := strings.Repeat("Medusa keeps the documents of a town hall in order. ", 4)
	tests := []struct {
		name     string
		data     []byte
		err      error
		rejected bool
		problem  string // a substring of some problem's message, "" for none at all
	}{
		{"valid", []byte(strings.Replace(minimal, "%s", long, 1)), nil, false, ""},
		{"too large", bytes.Repeat([]byte("# padding line\n"), MaxSize/15+1), ErrTooLarge, false, ""},
		{"just over the limit", make([]byte, MaxSize+1), ErrTooLarge, false, ""},
		{"binary", []byte{0xff, 0xfe, 0x00, 0x01, ':', '\t', '['}, ErrNotYAML, false, ""},
		{"long description over 10000", []byte(strings.Replace(minimal, "%s", strings.Repeat("word ", 2100), 1)), nil, false, "more than the 10000 allowed"},
		{"long description too short", []byte(strings.Replace(minimal, "%s", "Short.", 1)), nil, false, "less than the 150 required"},
		{"null document", []byte("~\n"), nil, true, "name is missing"},
		{"scalar document", []byte("just some words\n"), nil, true, "should be a set of keys"},
		{"many problems are capped", []byte("name: x\n" + manyUnknown(600)), nil, true, "the rest are not listed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(tc.data)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Rejected != tc.rejected {
				t.Errorf("rejected = %v, want %v (%v)", res.Rejected, tc.rejected, res.Problems)
			}
			if tc.problem == "" {
				if len(res.Problems) > 0 {
					t.Errorf("problems: %v", res.Problems)
				}
				return
			}
			for _, p := range res.Problems {
				if strings.Contains(p.Message, tc.problem) {
					return
				}
			}
			t.Errorf("no problem says %q: %v", tc.problem, res.Problems)
		})
	}
}

func manyUnknown(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("unknown" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + ": 1\n")
	}
	return b.String()
}

// TestParseProblemOrder checks that problems come in file order and carry
// lines and fixes.
func TestParseProblemOrder(t *testing.T) {
	data, err := os.ReadFile("testdata/wrong-types.yml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for _, p := range res.Problems {
		if p.Line < last {
			t.Errorf("problem %v comes after line %d", p, last)
		}
		last = p.Line
		if p.Message == "" || p.Fix == "" || (p.Severity != SeverityError && p.Severity != SeverityWarning) {
			t.Errorf("incomplete problem %+v", p)
		}
	}
}
