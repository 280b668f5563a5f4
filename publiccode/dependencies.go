package publiccode

import "fmt"

// readDependencies checks dependsOn; the hub does not record dependencies.
func (r *reader) readDependencies(top map[string]field) {
	f, ok := top["dependsOn"]
	if !ok {
		return
	}
	_, groups := r.fields(f.path, f.line(), f.val, dependsOnKeys)
	for _, g := range groups {
		for _, it := range r.sections(g) {
			keys, _ := r.fields(it.path, it.line, it.node, dependencyKeys)
			if nf, ok := keys["name"]; !ok {
				r.warn(join(it.path, "name"), it.line, "This dependency has no name.", "Add name: the name of the software depended on.")
			} else {
				r.text(nf)
			}
			for _, key := range []string{"versionMin", "versionMax", "version"} {
				if vf, ok := keys[key]; ok {
					r.text(vf)
				}
			}
			if of, ok := keys["optional"]; ok {
				r.boolean(of)
			}
			if len(keys) == 0 && !isNull(it.node) {
				r.warn(it.path, it.line, fmt.Sprintf("This dependency of %s is not described by its keys.", g.name),
					"Write each dependency as - name: ... with its version keys below.")
			}
		}
	}
}
