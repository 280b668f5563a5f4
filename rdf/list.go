package rdf

// emitList writes an RDF collection of items (rdf:first / rdf:rest cells
// ending in rdf:nil) through emit, with cells from fresh, and returns its
// head: what both readers do for ( ... ) and parseType="Collection".
func emitList(items []Term, fresh func() Term, emit func(s, p, o Term)) Term {
	head := IRI(RDFNS + "nil")
	for i := len(items) - 1; i >= 0; i-- {
		cell := fresh()
		emit(cell, IRI(RDFNS+"first"), items[i])
		emit(cell, IRI(RDFNS+"rest"), head)
		head = cell
	}
	return head
}
