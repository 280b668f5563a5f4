// Package search will hold the Bleve full-text index: a cache of the
// catalogue that can always be rebuilt from the database. Until it lands,
// the web layer's search page filters the database directly.
package search
