package publiccode

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxProblems caps the problems of one file; a generated file could
// otherwise report one per line.
const maxProblems = 500

// reader walks a publiccode.yml document and collects its problems.
type reader struct {
	vocab    *hubVocab
	version  version
	problems []Problem
	capped   bool
}

// field is one key of a mapping with its value.
type field struct {
	name string
	path string
	key  *yaml.Node
	val  *yaml.Node
}

// line is the field's line: its key's.
func (f field) line() int { return f.key.Line }

func (r *reader) add(severity, key string, line int, msg, fix string) {
	if len(r.problems) >= maxProblems {
		if !r.capped {
			r.capped = true
			r.problems = append(r.problems, Problem{Key: "", Line: line, Severity: SeverityWarning,
				Message: fmt.Sprintf("More than %d problems; the rest are not listed.", maxProblems),
				Fix:     "Fix the problems listed and check the file again."})
		}
		if severity != SeverityError {
			return
		}
	}
	r.problems = append(r.problems, Problem{Key: key, Line: line, Severity: severity, Message: msg, Fix: fix})
}

func (r *reader) warn(key string, line int, msg, fix string) {
	r.add(SeverityWarning, key, line, msg, fix)
}

func (r *reader) fail(key string, line int, msg, fix string) {
	r.add(SeverityError, key, line, msg, fix)
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// join builds a key path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index builds the key path of a list item.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// kindName says what a node is, for messages.
func kindName(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a set of keys"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(n):
		return "an empty value"
	default:
		return "a single value"
	}
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// pairs lists the keys of a mapping node in file order. Merge keys
// ("<<: *defaults", or a list of such) add the keys of the mappings they
// name that the node does not set itself, as YAML says.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	var out, merged [][2]*yaml.Node
	own := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && v != nil {
			sources := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				sources = v.Content
			}
			for _, m := range sources {
				if m = resolve(m); m == nil || m.Kind != yaml.MappingNode {
					continue
				}
				for j := 0; j+1 < len(m.Content); j += 2 {
					merged = append(merged, [2]*yaml.Node{m.Content[j], resolve(m.Content[j+1])})
				}
			}
			continue
		}
		own[k.Value] = true
		out = append(out, [2]*yaml.Node{k, v})
	}
	for _, p := range merged {
		if !own[p[0].Value] {
			own[p[0].Value] = true
			out = append(out, p)
		}
	}
	return out
}

// fields reads the keys of a section. Keys the schema does not know are
// reported and left out, deprecated ones reported and kept; when schema is
// nil every key is kept (a map keyed by language). A key given twice keeps
// its first value.
func (r *reader) fields(path string, line int, n *yaml.Node, schema map[string]keyRule) (map[string]field, []field) {
	n = resolve(n)
	if isNull(n) {
		return map[string]field{}, nil
	}
	if n.Kind != yaml.MappingNode {
		r.warn(path, nodeLine(n, line), fmt.Sprintf("%s should be a set of keys, but it is %s; it is ignored.", describe(path), kindName(n)),
			"Write the keys of this section indented below it, one per line.")
		return map[string]field{}, nil
	}
	byName := map[string]field{}
	var order []field
	for _, p := range pairs(n) {
		k, v := p[0], p[1]
		if k.Kind != yaml.ScalarNode {
			r.warn(path, k.Line, fmt.Sprintf("A key in %s is %s, not a name; it is ignored.", describe(path), kindName(k)),
				"Use plain names as keys.")
			continue
		}
		f := field{name: k.Value, path: join(path, k.Value), key: k, val: v}
		if _, dup := byName[f.name]; dup {
			r.warn(f.path, k.Line, "This key is given twice; the second one is ignored.", "Keep one "+f.name+" key in "+describe(path)+".")
			continue
		}
		if schema != nil {
			rule, known := schema[f.name]
			if !known {
				r.warn(f.path, k.Line, "Unknown key, ignored.", unknownKeyFix(f.name, schema))
				continue
			}
			if rule.deprecated != "" {
				r.warn(f.path, k.Line, rule.deprecated, rule.fix)
			}
		}
		byName[f.name] = f
		order = append(order, f)
	}
	return byName, order
}

// describe names a key path for messages: "the file" for the root.
func describe(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}

func nodeLine(n *yaml.Node, fallback int) int {
	if n != nil && n.Line > 0 {
		return n.Line
	}
	return fallback
}

// unknownKeyFix suggests the known key a misspelt one was probably meant
// to be.
func unknownKeyFix(name string, schema map[string]keyRule) string {
	lower := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
	for known, rule := range schema {
		if rule.deprecated == "" && strings.ToLower(known) == lower {
			return fmt.Sprintf("Did you mean %q? Keys are case-sensitive.", known)
		}
	}
	return "Remove it, or check its spelling against the publiccode.yml standard."
}

// text reads a field that holds one value. It reports a list or a set of
// keys and returns false for them and for an empty value.
func (r *reader) text(f field) (string, bool) {
	if f.val == nil || isNull(f.val) {
		return "", false
	}
	if f.val.Kind != yaml.ScalarNode {
		r.warn(f.path, f.line(), fmt.Sprintf("%s should be a single value, but it is %s; it is ignored.", f.name, kindName(f.val)),
			"Write it as one value on the same line as the key.")
		return "", false
	}
	s := strings.TrimSpace(f.val.Value)
	return s, s != ""
}

// item is one value of a list, with its key path and line.
type item struct {
	path string
	line int
	node *yaml.Node
}

// list reads a field that holds a list. A single value is read as a list
// of one, with a warning.
func (r *reader) list(f field) []item {
	if isNull(f.val) {
		return nil
	}
	switch f.val.Kind {
	case yaml.SequenceNode:
		out := make([]item, 0, len(f.val.Content))
		for i, c := range f.val.Content {
			out = append(out, item{path: index(f.path, i), line: nodeLine(c, f.line()), node: resolve(c)})
		}
		return out
	case yaml.ScalarNode:
		r.warn(f.path, f.line(), f.name+" should be a list, but it is a single value; it is read as a list of one.",
			"Write each value on its own line below the key, starting with \"- \".")
		return []item{{path: index(f.path, 0), line: nodeLine(f.val, f.line()), node: f.val}}
	default:
		r.warn(f.path, f.line(), f.name+" should be a list, but it is a set of keys; it is ignored.",
			"Write each value on its own line below the key, starting with \"- \".")
		return nil
	}
}

// sections reads a field that holds a list of sections (contacts,
// dependencies). A single section is read as a list of one, with a warning.
func (r *reader) sections(f field) []item {
	if f.val != nil && f.val.Kind == yaml.MappingNode {
		r.warn(f.path, f.line(), f.name+" should be a list, but it is a single set of keys; it is read as a list of one.",
			"Start the item with \"- \" on the line below "+f.name+":.")
		return []item{{path: index(f.path, 0), line: nodeLine(f.val, f.line()), node: f.val}}
	}
	return r.list(f)
}

// isSection reports whether a field holds a set of keys (or nothing);
// fields reports the others.
func isSection(f field) bool {
	return isNull(f.val) || f.val.Kind == yaml.MappingNode
}

// texts reads a list of single values; other items are reported and left
// out.
func (r *reader) texts(f field) []item {
	var out []item
	for _, it := range r.list(f) {
		if isNull(it.node) {
			r.warn(it.path, it.line, "This list item is empty; it is ignored.", "Remove the empty \"- \" line.")
			continue
		}
		if it.node.Kind != yaml.ScalarNode {
			r.warn(it.path, it.line, fmt.Sprintf("This item of %s should be a single value, but it is %s; it is ignored.", f.name, kindName(it.node)),
				"Write one value per \"- \" line.")
			continue
		}
		if strings.TrimSpace(it.node.Value) == "" {
			continue
		}
		out = append(out, it)
	}
	return out
}

// value is an item's trimmed text.
func (it item) value() string { return strings.TrimSpace(it.node.Value) }

// asField turns a list item into a field, to read it as a section.
func (it item) asField(name string) field {
	return field{name: name, path: it.path, key: &yaml.Node{Line: it.line}, val: it.node}
}

// boolean reads a true/false field.
func (r *reader) boolean(f field) (value, ok bool) {
	s, ok := r.text(f)
	if !ok {
		return false, false
	}
	switch s {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	r.warn(f.path, f.line(), fmt.Sprintf("%s should be true or false, but it is %q; it is ignored.", f.name, s),
		"Write true or false, without quotes.")
	return false, false
}
