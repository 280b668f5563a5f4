package publiccode

import "fmt"

// readLegal maps legal.license to the entry's licence: an SPDX expression
// of several licences gives its first licence the hub knows. It returns
// the owner it names: the main copyright owner, else the repository owner.
func (r *reader) readLegal(top map[string]field, res *Result) (owner string) {
	f, ok := top["legal"]
	if !ok {
		r.warn("legal", 0, "legal is missing; the licence is left empty.",
			"Add legal: license: with the SPDX id of the licence, e.g. EUPL-1.2.")
		return ""
	}
	keys, _ := r.fields(f.path, f.line(), f.val, legalKeys)
	if !isSection(f) {
		return ""
	}
	for _, key := range []string{"mainCopyrightOwner", "repoOwner", "authorsFile"} {
		if kf, ok := keys[key]; ok {
			if s, ok := r.text(kf); ok && owner == "" && key != "authorsFile" {
				owner = s
			}
		}
	}
	lf, ok := keys["license"]
	if !ok {
		r.warn(join(f.path, "license"), f.line(), "legal.license is missing; the licence is left empty.",
			"Add license: with the SPDX id of the licence, e.g. EUPL-1.2.")
		return owner
	}
	expr, ok := r.text(lf)
	if !ok {
		return owner
	}
	ids := licenceIDs(expr)
	for _, id := range ids {
		code, exact := r.vocab.licence(id)
		if code == "" {
			continue
		}
		switch {
		case len(ids) > 1:
			r.warn(lf.path, lf.line(), fmt.Sprintf("license %q names several licences; the hub records one, %s.", expr, code),
				"Nothing to do if that is right; the other licences are stated in the repository.")
		case !exact:
			r.warn(lf.path, lf.line(), fmt.Sprintf("license %q is not a current SPDX id; it is read as %s.", expr, code),
				fmt.Sprintf("Write %s.", code))
		}
		res.Input.Licence = code
		return owner
	}
	r.warn(lf.path, lf.line(), fmt.Sprintf("license %q is not a licence the hub knows; the licence is left empty.", expr),
		"Use an SPDX id such as EUPL-1.2, Apache-2.0, MIT or AGPL-3.0-or-later; see https://spdx.org/licenses/.")
	return owner
}
