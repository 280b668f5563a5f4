package publiccode

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"interophub/catalogue"
)

// sourceTitle is the title of the distribution a file's url becomes.
const sourceTitle = "Source code"

// statusOf maps developmentStatus to the ADMS status codes the hub uses.
var statusOf = map[string]string{
	"concept":     "under-development",
	"development": "under-development",
	"beta":        "under-development",
	"stable":      "completed",
	"obsolete":    "deprecated",
}

// softwareTypes are the values of softwareType since 0.2.
var softwareTypes = []string{
	"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
	"standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
}

// read maps the document to a Result; Parse sorts its problems.
func (r *reader) read(root *yaml.Node) *Result {
	res := &Result{Input: catalogue.EntryInput{Kind: catalogue.KindSolution, State: catalogue.StatePublished}}
	root = resolve(root)
	if root != nil && root.Kind != yaml.MappingNode {
		r.warn("", root.Line, fmt.Sprintf("The file should be a set of keys, but it is %s.", kindName(root)),
			"Start the file with keys such as publiccodeYmlVersion: \"0.4\" and name: My software.")
		root = nil
	}
	if root == nil {
		// An empty file: only the keys that reject it are worth listing.
		for _, key := range []string{"name", "url", "description"} {
			r.fail(key, 0, key+" is missing; the file is rejected.", "Write a publiccode.yml file with at least name, url and description.")
		}
		return res
	}
	top, _ := r.fields("", 0, root, topKeys)
	r.readVersion(top)

	name, _ := r.required(top, "name", "Add name: the short name most people know the software by, e.g. name: Medusa.")
	repo, hasURL := r.required(top, "url", "Add url: the address of the source code repository, e.g. url: https://github.com/example/medusa.git.")
	if hasURL && !isHTTPURL(repo) {
		r.warn("url", top["url"].line(), fmt.Sprintf("url %q is not an absolute http(s) address; it is not used as a link.", repo),
			"Use the https address of the repository, e.g. https://github.com/example/medusa.git.")
		repo = ""
	}
	res.Input.Slug = r.slug(name, repo, top["name"].key)

	r.readDescriptions(top, name, res)
	r.readRelease(top, repo, res)
	r.readStatus(top, res)
	owner := r.readLegal(top, res)
	r.readCategories(top, res)
	r.readAudience(top, res)
	r.readLocalisation(top, res)
	r.readMaintenance(top, res)
	r.readOrganisations(top, owner, res)
	r.readDependencies(top)
	r.readItaly(top)
	r.readOther(top)
	return res
}

// readVersion reads publiccodeYmlVersion, or its pre-0.2 spelling.
func (r *reader) readVersion(top map[string]field) {
	r.version = version{minor: -1}
	f, ok := top["publiccodeYmlVersion"]
	if !ok {
		f, ok = top["publiccode-yml-version"]
	}
	if !ok {
		r.warn("publiccodeYmlVersion", 0, "publiccodeYmlVersion is missing; the file is read without version-specific rules.",
			"Add publiccodeYmlVersion: \"0.4\" (or the version the file follows) at the top of the file.")
		return
	}
	s, ok := r.text(f)
	if !ok {
		r.warn(f.path, f.line(), "publiccodeYmlVersion is empty.", "Write the version the file follows, e.g. publiccodeYmlVersion: \"0.4\".")
		return
	}
	v, ok := parseVersion(s)
	switch {
	case !ok || v.minor == 0:
		r.warn(f.path, f.line(), fmt.Sprintf("%q is not a version of the publiccode.yml standard; the file is read without version-specific rules.", s),
			"Write a version such as \"0.4\", in quotes.")
		v.minor = -1
	case v.minor > newestMinor:
		r.warn(f.path, f.line(), fmt.Sprintf("Version %s is newer than the versions this hub knows (up to 0.%d); keys it does not know are reported as unknown.", s, newestMinor),
			fmt.Sprintf("Nothing to do if the file is right; otherwise use version 0.%d or older.", newestMinor))
	}
	r.version = v
}

// required reads a mandatory single value; a missing one rejects the file.
func (r *reader) required(top map[string]field, key, fix string) (string, bool) {
	f, ok := top[key]
	if !ok {
		r.fail(key, 0, key+" is missing; the file is rejected.", fix)
		return "", false
	}
	s, ok := r.text(f)
	if !ok {
		r.fail(key, f.line(), key+" is empty; the file is rejected.", fix)
		return "", false
	}
	return s, true
}

// slug makes the entry's slug from its name, or from the repository's
// last path segment when the name has no letter or digit in Latin script.
func (r *reader) slug(name, repo string, key *yaml.Node) string {
	if name == "" {
		return ""
	}
	if s := slugify(name); s != "" {
		return s
	}
	line := nodeLine(key, 0)
	if u, err := url.Parse(repo); err == nil && repo != "" {
		if s := slugify(strings.TrimSuffix(path.Base(u.Path), ".git")); s != "" {
			r.warn("name", line, "name has no Latin letters or digits to make an address from; the repository name is used.",
				"Nothing to do; or give the software a name in Latin script as well.")
			return s
		}
	}
	r.warn("name", line, "name has no Latin letters or digits to make an address from; \"solution\" is used.",
		"Give the software a name in Latin script as well.")
	return "solution"
}

// slugify folds s to ASCII and joins its words with hyphens, within the
// catalogue's 120 characters.
func slugify(s string) string {
	out := catalogue.Slugify(catalogue.Fold(s))
	if len(out) > 120 {
		out = strings.TrimRight(out[:120], "-")
	}
	return out
}

// readRelease maps url, softwareVersion, releaseDate and isBasedOn to one
// release of the solution, and landingURL to its homepage.
func (r *reader) readRelease(top map[string]field, repo string, res *Result) {
	in := &res.Input
	rel := catalogue.Release{Version: "current"}
	if f, ok := top["softwareVersion"]; ok {
		if s, ok := r.text(f); ok {
			if utf8.RuneCountInString(s) > 64 {
				r.warn(f.path, f.line(), "softwareVersion is longer than 64 characters; it is cut.", "Use a short version number such as 1.4.2.")
				s = string([]rune(s)[:64])
			}
			rel.Version = s
		}
	}
	if f, ok := top["releaseDate"]; ok {
		if s, ok := r.text(f); ok {
			if t, ok := parseDate(s); ok {
				rel.Date = &t
				in.UpdatedAt = t
			} else {
				r.warn(f.path, f.line(), fmt.Sprintf("releaseDate %q is not a date written as YYYY-MM-DD; it is ignored.", s),
					"Use an ISO 8601 date such as 2024-03-01.")
			}
		}
	} else if r.version.before(4) {
		r.warn("releaseDate", 0, fmt.Sprintf("releaseDate is missing; version %s requires it.", r.version.text),
			"Add releaseDate: the date of the latest release, such as 2024-03-01.")
	}
	if repo != "" {
		rel.Distributions = []catalogue.Distribution{{Title: sourceTitle, URL: repo}}
	}
	if f, ok := top["isBasedOn"]; ok {
		var bases []string
		for _, it := range r.oneOrMany(f) {
			if !isHTTPURL(it.value()) {
				r.warn(it.path, it.line, fmt.Sprintf("isBasedOn %q is not an absolute http(s) address; it is ignored.", it.value()),
					"Give the address of the repository of the software this one is based on.")
				continue
			}
			bases = append(bases, it.value())
		}
		if len(bases) > 0 {
			rel.Notes = "Based on " + strings.Join(bases, ", ") + "."
		}
	}
	if repo != "" || rel.Version != "current" || rel.Date != nil || rel.Notes != "" {
		in.Releases = []catalogue.Release{rel}
	}
	in.Homepage = repo
	if f, ok := top["landingURL"]; ok {
		if s, ok := r.text(f); ok {
			if isHTTPURL(s) {
				in.Homepage = s
			} else {
				instead := "it is ignored"
				if repo != "" {
					instead = "url is used as the homepage instead"
				}
				r.warn(f.path, f.line(), fmt.Sprintf("landingURL %q is not an absolute http(s) address; %s.", s, instead),
					"Use the full address of the software's web page, starting with https://.")
			}
		}
	}
}

// oneOrMany reads a field that holds one value or a list of values.
func (r *reader) oneOrMany(f field) []item {
	if f.val != nil && f.val.Kind == yaml.ScalarNode {
		if _, ok := r.text(f); !ok {
			return nil
		}
		return []item{{path: f.path, line: f.line(), node: f.val}}
	}
	return r.texts(f)
}

// readStatus maps developmentStatus and checks softwareType and platforms.
func (r *reader) readStatus(top map[string]field, res *Result) {
	if f, ok := top["developmentStatus"]; !ok {
		r.warn("developmentStatus", 0, "developmentStatus is missing; the status is left empty.",
			"Add developmentStatus: one of concept, development, beta, stable or obsolete.")
	} else if s, ok := r.text(f); ok {
		if code, ok := statusOf[strings.ToLower(s)]; ok {
			res.Input.Status = code
		} else {
			r.warn(f.path, f.line(), fmt.Sprintf("developmentStatus %q is not a status of the standard; the status is left empty.", s),
				"Use one of concept, development, beta, stable or obsolete.")
		}
	}
	if f, ok := top["softwareType"]; !ok {
		r.warn("softwareType", 0, "softwareType is missing.", "Add softwareType, e.g. softwareType: standalone/web.")
	} else if s, ok := r.text(f); ok && !contains(softwareTypes, s) {
		fix := "Use one of " + strings.Join(softwareTypes, ", ") + "."
		if s == "standalone" {
			fix = "Name the kind of standalone software, e.g. standalone/web or standalone/desktop."
		}
		r.warn(f.path, f.line(), fmt.Sprintf("softwareType %q is not a type of the standard.", s), fix)
	}
	if f, ok := top["platforms"]; !ok {
		r.warn("platforms", 0, "platforms is missing.", "Add platforms: a list such as - web, - linux, - windows.")
	} else {
		r.texts(f)
	}
}

// readCategories maps categories (and pre-0.2 tags) to English keywords.
func (r *reader) readCategories(top map[string]field, res *Result) {
	found := false
	for _, key := range []string{"categories", "tags"} {
		f, ok := top[key]
		if !ok {
			continue
		}
		found = true
		for _, it := range r.texts(f) {
			addKeyword(r, &res.Input, "en", it.value(), it.path, it.line)
		}
	}
	if !found && !r.version.before(2) && r.version.before(4) {
		r.warn("categories", 0, fmt.Sprintf("categories is missing; version %s requires it.", r.version.text),
			"Add categories: a list of the standard's categories, such as - document-management.")
	}
}

// addKeyword adds a keyword once per language, within the catalogue's
// limits.
func addKeyword(r *reader, in *catalogue.EntryInput, lang, value, key string, line int) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	if in.Keywords == nil {
		in.Keywords = map[string][]string{}
	}
	for _, k := range in.Keywords[lang] {
		if strings.EqualFold(k, value) {
			return
		}
	}
	if utf8.RuneCountInString(value) > 200 {
		r.warn(key, line, "This keyword is longer than 200 characters; it is left out.", "Use a short word or phrase.")
		return
	}
	if len(in.Keywords[lang]) >= catalogue.MaxListItems {
		r.warn(key, line, fmt.Sprintf("More than %d keywords; this one is left out.", catalogue.MaxListItems), "Keep the most telling keywords.")
		return
	}
	in.Keywords[lang] = append(in.Keywords[lang], value)
}

// readOther checks the remaining keys the hub does not map.
func (r *reader) readOther(top map[string]field) {
	for _, key := range []string{"applicationSuite", "logo"} {
		if f, ok := top[key]; ok {
			r.text(f)
		}
	}
	if f, ok := top["roadmap"]; ok {
		r.url(f)
	}
}

// url reads a field holding an http(s) address; others are reported.
func (r *reader) url(f field) (string, bool) {
	s, ok := r.text(f)
	if !ok {
		return "", false
	}
	if !isHTTPURL(s) {
		r.warn(f.path, f.line(), fmt.Sprintf("%s %q is not an absolute http(s) address; it is ignored.", f.name, s),
			"Use a full address starting with https://.")
		return "", false
	}
	return s, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
