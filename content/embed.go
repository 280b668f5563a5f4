package content

import (
	"embed"
	"io/fs"
)

//go:embed catalogue
var files embed.FS

// Catalogue is the demo catalogue, laid out as described in
// catalogue/README.md.
func Catalogue() fs.FS {
	sub, err := fs.Sub(files, "catalogue")
	if err != nil {
		panic(err) // the path is a constant inside the embedded tree
	}
	return sub
}
