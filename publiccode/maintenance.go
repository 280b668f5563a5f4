package publiccode

import (
	"fmt"
	"strings"

	"interophub/catalogue"
)

// maintenanceTypes are the values of maintenance.type.
var maintenanceTypes = []string{"internal", "contract", "community", "none"}

// readMaintenance maps maintenance.contacts (and contractors) to the
// entry's contacts. Phone numbers and affiliations are not kept.
func (r *reader) readMaintenance(top map[string]field, res *Result) {
	f, ok := top["maintenance"]
	if !ok {
		r.warn("maintenance", 0, "maintenance is missing.",
			"Add maintenance: with type: (internal, contract, community or none) and the contacts.")
		return
	}
	keys, _ := r.fields(f.path, f.line(), f.val, maintenanceKeys)
	if !isSection(f) {
		return
	}
	kind := ""
	if tf, ok := keys["type"]; !ok {
		r.warn(join(f.path, "type"), f.line(), "maintenance.type is missing.", "Add type: internal, contract, community or none.")
	} else if s, ok := r.text(tf); ok {
		if contains(maintenanceTypes, s) {
			kind = s
		} else {
			r.warn(tf.path, tf.line(), fmt.Sprintf("maintenance.type %q is not a type of the standard.", s),
				"Use internal, contract, community or none.")
		}
	}
	contractors := r.readPeople(keys, "contractors", contractorKeys, res)
	contacts := r.readPeople(keys, "contacts", contactKeys, res)
	switch {
	case kind == "contract" && contractors == 0:
		r.warn(join(f.path, "contractors"), f.line(), "maintenance.type is contract but no contractor is listed.",
			"List the contractors under contractors: with name and until.")
	case (kind == "internal" || kind == "community") && contacts == 0:
		r.warn(join(f.path, "contacts"), f.line(), fmt.Sprintf("maintenance.type is %s but no contact is listed.", kind),
			"List at least one contact under contacts: with name and email.")
	}
}

// readPeople reads a list of contacts or contractors and adds them to the
// entry's contacts. It returns how many items the list has.
func (r *reader) readPeople(keys map[string]field, key string, schema map[string]keyRule, res *Result) int {
	f, ok := keys[key]
	if !ok {
		return 0
	}
	items := r.sections(f)
	for _, it := range items {
		pk, _ := r.fields(it.path, it.line, it.node, schema)
		var c catalogue.Contact
		if nf, ok := pk["name"]; ok {
			c.Name, _ = r.text(nf)
		}
		if ef, ok := pk["email"]; ok {
			if s, ok := r.text(ef); ok {
				if validEmail(s) {
					c.Email = s
				} else {
					r.warn(ef.path, ef.line(), fmt.Sprintf("%q is not an e-mail address; it is ignored.", s),
						"Write a plain address such as team@example.org, without a name or brackets.")
				}
			}
		}
		for _, other := range []string{"phone", "affiliation"} {
			if of, ok := pk[other]; ok {
				r.text(of)
			}
		}
		if wf, ok := pk["website"]; ok {
			c.URL, _ = r.url(wf)
		}
		if uf, ok := pk["until"]; ok {
			if s, ok := r.text(uf); ok {
				if _, ok := parseDate(s); !ok {
					r.warn(uf.path, uf.line(), fmt.Sprintf("until %q is not a date written as YYYY-MM-DD.", s),
						"Use an ISO 8601 date such as 2024-03-01.")
				}
			}
		} else if key == "contractors" && len(pk) > 0 {
			r.warn(join(it.path, "until"), it.line, "until is missing: the date the maintenance contract ends.",
				"Add until: with a date such as 2026-12-31.")
		}
		switch {
		case c.Name == "" && c.Email == "" && c.URL == "":
			if len(pk) > 0 {
				r.warn(it.path, it.line, "This contact has no name, e-mail or website; it is left out.", "Add name: and email: to it.")
			}
			continue
		case c.Name == "":
			r.warn(join(it.path, "name"), it.line, "name is missing; the e-mail address or website is used as the name.",
				"Add name: the person's or team's name.")
			c.Name = strings.TrimSpace(c.Email + " " + c.URL)
		}
		if len(res.Input.Contacts) >= catalogue.MaxListItems {
			r.warn(it.path, it.line, fmt.Sprintf("More than %d contacts; this one is left out.", catalogue.MaxListItems),
				"Keep the main points of contact.")
			continue
		}
		res.Input.Contacts = append(res.Input.Contacts, c)
	}
	return len(items)
}
