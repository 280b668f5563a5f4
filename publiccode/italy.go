package publiccode

import "gopkg.in/yaml.v3"

// The Italian country section ("it", or "IT") is accepted as it is: the
// hub does not map it. Only its forms from before version 0.2 of the
// extension get a gentle warning.

// italianOldKeys are keys of the "it" section replaced or dropped in 0.2,
// with how to fix them.
var italianOldKeys = map[string]string{
	"spid":       "Use piattaforme: spid: instead.",
	"cie":        "Use piattaforme: cie: instead.",
	"anpr":       "Use piattaforme: anpr: instead.",
	"pagopa":     "Use piattaforme: pagopa: instead.",
	"designKit":  "Use conforme: lineeGuidaDesign: instead.",
	"ecosistemi": "Remove it; list the topics under categories.",
}

// italianOldConformity are the keys of it.conforme replaced in 0.2.
var italianOldConformity = map[string]string{
	"accessibile":    "lineeGuidaDesign",
	"interoperabile": "modelloInteroperabilita",
	"sicurezza":      "misureMinimeSicurezza",
	"privacy":        "gdpr",
}

// readItaly reports the pre-0.2 forms of the Italian section.
func (r *reader) readItaly(top map[string]field) {
	for _, section := range []string{"it", "IT"} {
		f, ok := top[section]
		if !ok {
			continue
		}
		n := resolve(f.val)
		if n == nil || n.Kind != yaml.MappingNode {
			continue
		}
		for _, p := range pairs(n) {
			k, v := p[0], p[1]
			if fix, old := italianOldKeys[k.Value]; old {
				r.warn(join(f.path, k.Value), k.Line, "This key of the Italian section is deprecated since 0.2; it is accepted.", fix)
			}
			if k.Value != "conforme" || v == nil || v.Kind != yaml.MappingNode {
				continue
			}
			for _, q := range pairs(v) {
				if repl, old := italianOldConformity[q[0].Value]; old {
					r.warn(join(f.path, "conforme."+q[0].Value), q[0].Line, "This key of the Italian section is deprecated since 0.2; it is accepted.",
						"Use "+repl+" instead.")
				}
			}
		}
	}
}
