package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // FTS5 is compiled in; mattn's driver needs a build tag for it

	"interophub/catalogue"
)

// ftsBaseline is the bench's yardstick: the same catalogue in a SQLite FTS5
// table (unicode61 tokens, diacritics removed, bm25 ranking, top 20 with
// highlighted titles) and its facet values in a plain table, queried for
// the same facet counts.
type ftsBaseline struct{ db *sql.DB }

func newFTSBaseline(ctx context.Context, dir string, store *catalogue.Store, items int, say func(string, ...any)) (*ftsBaseline, error) {
	db, err := sql.Open("sqlite", filepath.Join(dir, "fts.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	f := &ftsBaseline{db: db}
	for _, stmt := range []string{
		`CREATE TABLE docs(id INTEGER PRIMARY KEY, kind TEXT, updated INTEGER, title TEXT, summary TEXT)`,
		`CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, keywords, tokenize='unicode61 remove_diacritics 2')`,
		`CREATE TABLE facets(doc INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, err
		}
	}
	var after uint
	loaded := 0
	for {
		ids, err := store.PublicEntryIDs(ctx, after, 1000)
		if err != nil || len(ids) == 0 {
			if err != nil {
				return nil, err
			}
			break
		}
		after = ids[len(ids)-1]
		entries, err := store.IndexableEntries(ctx, ids)
		if err != nil {
			return nil, err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			var titles, summaries, bodies, keywords []string
			for _, t := range e.Translations {
				titles, summaries = append(titles, t.Title), append(summaries, t.Summary)
				bodies = append(bodies, t.Body, t.Problem, t.Solution, t.Results, t.Lessons)
			}
			for _, k := range e.Keywords {
				keywords = append(keywords, k.Value)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO docs VALUES (?, ?, ?, ?, ?)`, e.ID, e.Kind, e.UpdatedAt.Unix(), e.TitleIn("en"), e.SummaryIn("en")); err != nil {
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO fts(rowid, title, summary, body, keywords) VALUES (?, ?, ?, ?, ?)`, e.ID,
				strings.Join(titles, "\n"), strings.Join(summaries, "\n"), strings.Join(bodies, "\n"), strings.Join(keywords, "\n")); err != nil {
				return nil, err
			}
			values := [][2]string{{"kind", string(e.Kind)}, {"licence", e.Licence}, {"status", e.Status}}
			if e.Owner != nil {
				values = append(values, [2]string{"org", e.Owner.Slug})
			}
			for _, c := range e.Concepts {
				values = append(values, [2]string{string(c.Scheme), c.Code})
			}
			for _, v := range values {
				if v[1] == "" {
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO facets VALUES (?, ?, ?)`, e.ID, v[0], v[1]); err != nil {
					return nil, err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		loaded += len(entries)
		if loaded%20000 == 0 || loaded == items {
			say("FTS5 baseline: loaded %d of %d", loaded, items)
		}
	}
	for _, stmt := range []string{
		`CREATE INDEX facets_doc ON facets(doc)`,
		`CREATE INDEX facets_name_value ON facets(name, value, doc)`,
		`CREATE INDEX docs_updated ON docs(updated)`,
		`INSERT INTO fts(fts) VALUES ('optimize')`,
		`ANALYZE`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (f *ftsBaseline) Close() error { return f.db.Close() }

// match turns a query into an FTS5 expression: every word must appear,
// "phrases" as phrases, and the last word as a prefix for suggestions.
func ftsMatch(q benchQuery) string {
	var parts []string
	text := q.Text
	for {
		i := strings.Index(text, `"`)
		j := strings.Index(text[i+1:], `"`)
		if i < 0 || j < 0 {
			break
		}
		parts = append(parts, `"`+strings.ReplaceAll(text[i+1:i+1+j], `"`, "")+`"`)
		text = text[:i] + " " + text[i+2+j:]
	}
	ws := words(text)
	for i, w := range ws {
		p := `"` + w + `"`
		if q.Suggest && i == len(ws)-1 {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// filterSQL is the condition on doc id for the filters, except one facet.
func filterSQL(filters map[string][]string, except string, col string) (string, []any) {
	var conds []string
	var args []any
	for name, values := range filters {
		if name == except || len(values) == 0 {
			continue
		}
		conds = append(conds, col+" IN (SELECT doc FROM facets WHERE name = ? AND value IN (?"+strings.Repeat(",?", len(values)-1)+"))")
		args = append(args, name)
		for _, v := range values {
			args = append(args, v)
		}
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// query runs what a results page needs: the top 20 with highlighted
// titles, the total, and facet counts (each selected facet counted without
// its own filter, like ours).
func (f *ftsBaseline) query(ctx context.Context, q benchQuery) error {
	match := ftsMatch(q)
	if q.Suggest {
		rows, err := f.db.QueryContext(ctx, `SELECT rowid, title FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 8`, match)
		if err != nil {
			return err
		}
		return drain(rows)
	}
	// matched is the set of documents the text matches.
	matched, margs := "SELECT id FROM docs", []any(nil)
	if match != "" {
		matched, margs = "SELECT rowid AS id FROM fts WHERE fts MATCH ?", []any{match}
	}
	cond, cargs := filterSQL(q.Filters, "", "rowid")
	if match != "" {
		// Rank first, then highlight the 20 (highlighting every match
		// before the LIMIT would be far slower).
		rows, err := f.db.QueryContext(ctx, `WITH top AS (SELECT rowid AS id, bm25(fts) AS rank FROM fts WHERE fts MATCH ? AND `+cond+` ORDER BY rank LIMIT 20)
			SELECT fts.rowid, highlight(fts, 0, '<mark>', '</mark>'), snippet(fts, 1, '<mark>', '</mark>', '…', 24)
			FROM top JOIN fts ON fts.rowid = top.id WHERE fts MATCH ? ORDER BY top.rank`, append(append([]any{match}, cargs...), match)...)
		if err != nil {
			return err
		}
		if err := drain(rows); err != nil {
			return err
		}
	} else {
		dcond, dargs := filterSQL(q.Filters, "", "id")
		rows, err := f.db.QueryContext(ctx, `SELECT id, title, summary FROM docs WHERE `+dcond+` ORDER BY updated DESC LIMIT 20`, dargs...)
		if err != nil {
			return err
		}
		if err := drain(rows); err != nil {
			return err
		}
	}
	// Facet counts: the matching documents joined to their facet rows
	// through the doc index (the plan SQLite does well with).
	all, aargs := filterSQL(q.Filters, "", "m.id")
	rows, err := f.db.QueryContext(ctx, `SELECT f.name, f.value, COUNT(*) FROM (`+matched+`) AS m
		JOIN facets f ON f.doc = m.id WHERE `+all+` GROUP BY f.name, f.value`, append(margs, aargs...)...)
	if err != nil {
		return fmt.Errorf("facets: %w", err)
	}
	if err := drain(rows); err != nil {
		return err
	}
	for name := range q.Filters {
		cond, args := filterSQL(q.Filters, name, "m.id")
		rows, err := f.db.QueryContext(ctx, `SELECT f.value, COUNT(*) FROM (`+matched+`) AS m
			JOIN facets f ON f.doc = m.id AND f.name = ? WHERE `+cond+` GROUP BY f.value`,
			append(append(append([]any{}, margs...), name), args...)...)
		if err != nil {
			return err
		}
		if err := drain(rows); err != nil {
			return err
		}
	}
	return nil
}

func drain(rows *sql.Rows) error {
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}
