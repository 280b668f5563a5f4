package adms_test

import (
	"bytes"
	"testing"
	"time"

	"interophub/adms"
	"interophub/rdf"
)

// BenchmarkExport writes the demo catalogue (every public entry) in each
// format; BenchmarkImport reads it back and maps it to entries.
func BenchmarkExport(b *testing.B) {
	entries := demoEntries(b)
	x, _ := adms.NewExporter(base)
	for _, f := range rdf.Formats {
		b.Run(string(f), func(b *testing.B) {
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				if err := rdf.Write(&buf, f, x.Catalogue("Interop Hub", time.Now(), entries), adms.Prefixes); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "bytes/doc")
		})
	}
}

func BenchmarkImport(b *testing.B) {
	entries := demoEntries(b)
	x, _ := adms.NewExporter(base)
	r, _ := adms.NewReader(base)
	triples := x.Catalogue("Interop Hub", time.Now(), entries)
	for _, f := range rdf.Formats {
		var buf bytes.Buffer
		if err := rdf.Write(&buf, f, triples, adms.Prefixes); err != nil {
			b.Fatal(err)
		}
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				back, err := rdf.Read(bytes.NewReader(buf.Bytes()), f, base+"/")
				if err != nil {
					b.Fatal(err)
				}
				if n := len(r.Read(back)); n != len(entries) {
					b.Fatalf("%d assets", n)
				}
			}
		})
	}
}
