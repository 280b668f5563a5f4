// Package static holds the site's stylesheets, scripts and images, embedded
// in the binary. The web layer serves them under content-hashed names.
package static

import "embed"

// Files are the assets, by path relative to this folder ("css/app.css").
//
//go:embed css img js
var Files embed.FS
