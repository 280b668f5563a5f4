package rdf

import (
	"unicode/utf8"
)

// Names and IRIs for the RDF/XML reader and writer: XML names (NCName),
// language tags, XML 1.0 characters and RFC 3986 reference resolution.

// rxIsNameStart tells whether r may start an XML name (XML 1.0 5th ed.,
// production [4], without the colon).
func rxIsNameStart(r rune) bool {
	return r >= 'A' && r <= 'Z' || r == '_' || r >= 'a' && r <= 'z' ||
		r >= 0xC0 && r <= 0xD6 || r >= 0xD8 && r <= 0xF6 || r >= 0xF8 && r <= 0x2FF ||
		r >= 0x370 && r <= 0x37D || r >= 0x37F && r <= 0x1FFF || r >= 0x200C && r <= 0x200D ||
		r >= 0x2070 && r <= 0x218F || r >= 0x2C00 && r <= 0x2FEF || r >= 0x3001 && r <= 0xD7FF ||
		r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFFD || r >= 0x10000 && r <= 0xEFFFF
}

// rxIsNameChar tells whether r may continue an XML name (production [4a],
// without the colon).
func rxIsNameChar(r rune) bool {
	return rxIsNameStart(r) || r == '-' || r == '.' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

// rxIsNCName tells whether s is an XML name without colons.
func rxIsNCName(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		if i == 0 && !rxIsNameStart(r) || !rxIsNameChar(r) {
			return false
		}
	}
	return true
}

// rxBadXMLChar is the first character of s that XML 1.0 cannot hold,
// or -1 (utf8.RuneError for invalid UTF-8).
func rxBadXMLChar(s string) rune {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return r
			}
		}
		if !rxIsXMLChar(r) {
			return r
		}
	}
	return -1
}

// rxIsXMLChar tells whether XML 1.0 allows the character r.
func rxIsXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
