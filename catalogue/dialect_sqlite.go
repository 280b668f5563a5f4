package catalogue

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// This file is the only place that knows the store runs on SQLite. Everything
// else speaks portable SQL through GORM.

// openSQLite opens the database file at path twice: one connection that does
// every write (SQLite allows one writer at a time; queuing writers in Go
// instead of in SQLite's busy handler avoids "database is locked") and a
// small pool of read-only connections, which WAL lets run beside the writer.
func openSQLite(path string, readConns int) (writer, reader *gorm.DB, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, nil, fmt.Errorf("catalogue: create data folder: %w", err)
	}
	params := url.Values{}
	params.Set("_journal_mode", "WAL")
	params.Set("_synchronous", "NORMAL")
	params.Set("_foreign_keys", "on")
	params.Set("_busy_timeout", "5000")
	params.Set("_txlock", "immediate")
	cfg := &gorm.Config{Logger: logger.Discard, TranslateError: true}

	writer, err = gorm.Open(sqlite.Open("file:"+path+"?"+params.Encode()), cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("catalogue: open %s: %w", path, err)
	}
	wdb, err := writer.DB()
	if err != nil {
		return nil, nil, fmt.Errorf("catalogue: open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)

	params.Set("_query_only", "true")
	params.Del("_txlock")
	reader, err = gorm.Open(sqlite.Open("file:"+path+"?"+params.Encode()), cfg)
	if err != nil {
		_ = wdb.Close()
		return nil, nil, fmt.Errorf("catalogue: open %s for reading: %w", path, err)
	}
	rdb, err := reader.DB()
	if err != nil {
		_ = wdb.Close()
		return nil, nil, fmt.Errorf("catalogue: open %s for reading: %w", path, err)
	}
	rdb.SetMaxOpenConns(readConns)
	rdb.SetMaxIdleConns(readConns)
	return writer, reader, nil
}
