package publiccode

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"interophub/catalogue"
)

// version is a publiccodeYmlVersion read as 0.<minor>.
type version struct {
	text  string
	minor int  // -1 when unknown
	major bool // "0": the latest 0.x
}

// newestMinor is the newest minor version of the standard this package knows.
const newestMinor = 7

var versionPattern = regexp.MustCompile(`^0(?:\.(\d+)(?:\.\d+)?)?$`)

// parseVersion reads "0.4", "0.2.1" or "0".
func parseVersion(s string) (version, bool) {
	m := versionPattern.FindStringSubmatch(s)
	if m == nil {
		return version{text: s, minor: -1}, false
	}
	if m[1] == "" {
		return version{text: s, minor: newestMinor, major: true}, true
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 1000 {
		return version{text: s, minor: -1}, false
	}
	return version{text: s, minor: n}, true
}

// before reports whether the file is known to follow a version older than
// 0.<minor>.
func (v version) before(minor int) bool { return v.minor >= 0 && v.minor < minor }

// parseDate reads a YYYY-MM-DD date.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil && len(s) == len(time.DateOnly)
}

// isHTTPURL reports whether s is an absolute http(s) URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}

// validEmail reports whether s is a plain e-mail address.
func validEmail(s string) bool {
	_, ok := catalogue.NormalizeEmail(s)
	return ok
}

var languageTag = regexp.MustCompile(`^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{1,8})*$`)

// baseLanguage is the primary subtag of an IETF BCP 47 tag, lower-cased:
// "pt-BR" -> "pt". A three-letter ISO 639-2 code with a two-letter one is
// read as the two-letter code ("ita" -> "it"). note says how the tag was
// read when it was not written as BCP 47 asks; ok is false when s is not
// shaped like a tag.
func baseLanguage(s string) (base, note string, ok bool) {
	if !languageTag.MatchString(s) {
		return "", "", false
	}
	head, _, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	base = strings.ToLower(head)
	if len(base) == 3 {
		if b, err := language.ParseBase(base); err == nil && len(b.String()) == 2 {
			note = fmt.Sprintf("%q is a three-letter code; it is read as %q.", s, b.String())
			base = b.String()
		}
	}
	if note == "" && strings.Contains(s, "_") {
		note = fmt.Sprintf("%q separates its parts with \"_\"; it is read as %q.", s, strings.ReplaceAll(s, "_", "-"))
	}
	return base, note, true
}

// licenceAliases maps deprecated SPDX ids still found in the wild to the
// ids that replaced them.
var licenceAliases = map[string]string{
	"gpl-2.0": "GPL-2.0-only", "gpl-2.0+": "GPL-2.0-or-later",
	"gpl-3.0": "GPL-3.0-only", "gpl-3.0+": "GPL-3.0-or-later",
	"agpl-3.0": "AGPL-3.0-only", "agpl-3.0+": "AGPL-3.0-or-later",
	"lgpl-2.1": "LGPL-2.1-only", "lgpl-2.1+": "LGPL-2.1-or-later",
	"lgpl-3.0": "LGPL-3.0-only",
}

// licenceIDs splits an SPDX expression into its licence ids, in order:
// "(EUPL-1.2 OR MIT) AND Apache-2.0" -> EUPL-1.2, MIT, Apache-2.0. Ids
// after WITH are exceptions, not licences, and are left out.
func licenceIDs(expr string) []string {
	expr = strings.NewReplacer("(", " ", ")", " ").Replace(expr)
	var out []string
	skip := false
	for _, w := range strings.Fields(expr) {
		switch strings.ToUpper(w) {
		case "OR", "AND":
			continue
		case "WITH":
			skip = true
			continue
		}
		if skip {
			skip = false
			continue
		}
		out = append(out, w)
	}
	return out
}
