package content

import (
	"embed"
	"io/fs"
)

//go:embed catalogue courses
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

// CourseFiles are the courses, one folder each, laid out as described in
// courses/README.md.
func CourseFiles() fs.FS {
	sub, err := fs.Sub(files, "courses")
	if err != nil {
		panic(err) // the path is a constant inside the embedded tree
	}
	return sub
}
