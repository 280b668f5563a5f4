package catalogue

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and strips its combining marks, as the search index
// does for accent-free matching ("Đăng ký" -> "dang ky"); a few letters
// that are not composed with a mark are mapped by hand.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || ('A' <= s[i] && s[i] <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case r == 'ß':
			b.WriteString("ss")
			continue
		case r == 'ł' || r == 'Ł':
			r = 'l'
		case r == 'ø' || r == 'Ø':
			r = 'o'
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
			continue
		case r == 'ħ' || r == 'Ħ':
			r = 'h'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
