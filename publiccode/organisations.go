package publiccode

import (
	"fmt"

	"interophub/catalogue"
)

// readOrganisations sets the entry's owner (from legal, else from
// organisation.name) and maps usedBy to reuses. Both go into the result's
// organisations, to create when missing.
func (r *reader) readOrganisations(top map[string]field, owner string, res *Result) {
	if f, ok := top["organisation"]; ok {
		name := r.readOrganisation(f)
		if owner == "" {
			owner = name
		}
	}
	if f, ok := top["fundedBy"]; ok {
		for _, it := range r.sections(f) {
			r.readOrganisation(it.asField("fundedBy"))
		}
	}
	ownerLine := 0
	if f, ok := top["legal"]; ok {
		ownerLine = f.line()
	}
	if owner == "" {
		r.warn("legal.mainCopyrightOwner", ownerLine, "No owner is named (legal.mainCopyrightOwner, legal.repoOwner or organisation.name); the importer's default organisation owns the entry.",
			"Add legal: mainCopyrightOwner: with the name of the organisation that owns the software.")
	} else if slug := slugify(owner); slug == "" {
		r.warn("legal.mainCopyrightOwner", ownerLine, fmt.Sprintf("Owner %q has no Latin letters or digits to make an address from; the importer's default organisation owns the entry.", owner),
			"Give the owner's name in Latin script as well.")
	} else {
		res.Input.Owner = slug
		addOrganisation(res, owner, slug)
	}
	f, ok := top["usedBy"]
	if !ok {
		return
	}
	for _, it := range r.texts(f) {
		name := it.value()
		slug := slugify(name)
		if slug == "" {
			r.warn(it.path, it.line, fmt.Sprintf("%q has no Latin letters or digits to make an address from; it is left out.", name),
				"Give the organisation's name in Latin script as well.")
			continue
		}
		dup := false
		for _, u := range res.Input.Reuses {
			dup = dup || u.Organisation == slug
		}
		if dup {
			r.warn(it.path, it.line, fmt.Sprintf("%q is listed twice in usedBy; it is kept once.", name), "Remove the repeated name.")
			continue
		}
		res.Input.Reuses = append(res.Input.Reuses, catalogue.ReuseInput{Organisation: slug})
		addOrganisation(res, name, slug)
	}
}

// readOrganisation checks an organisation (name and uri) and returns its name.
func (r *reader) readOrganisation(f field) string {
	keys, _ := r.fields(f.path, f.line(), f.val, organisationKeys)
	name := ""
	if nf, ok := keys["name"]; ok {
		name, _ = r.text(nf)
	}
	uf, ok := keys["uri"]
	if !ok {
		if len(keys) > 0 {
			r.warn(join(f.path, "uri"), f.line(), "uri is missing.", "Add uri: an address that identifies the organisation.")
		}
		return name
	}
	r.text(uf)
	return name
}

// addOrganisation lists an organisation once.
func addOrganisation(res *Result, name, slug string) {
	for _, o := range res.Organisations {
		if o.Slug == slug {
			return
		}
	}
	res.Organisations = append(res.Organisations, catalogue.Organisation{Name: name, Slug: slug})
}
