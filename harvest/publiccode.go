package harvest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"interophub/catalogue"
	"interophub/publiccode"
)

// ImportPubliccode imports publiccode.yml files, folders of them or URLs
// (the command line's import publiccode): one run; an entry is known by
// its file's absolute path (or URL), so importing a file again updates it.
func (h *Harvester) ImportPubliccode(ctx context.Context, paths []string) (*catalogue.HarvestRun, error) {
	origin := strings.Join(paths, " ")
	run, err := h.Store.StartHarvestRun(ctx, nil, origin)
	if err != nil {
		return nil, err
	}
	return run, h.complete(ctx, origin, run, func() error {
		return h.applyPubliccodeAs(ctx, run, "publiccode:files", paths, h.Owner, false)
	})
}

// applyPubliccode reads a source's publiccode.yml files (a URL, a file or
// a folder) and applies them as the whole of key.
func (h *Harvester) applyPubliccode(ctx context.Context, run *catalogue.HarvestRun, key string, where []string, owner string) error {
	return h.applyPubliccodeAs(ctx, run, key, where, owner, true)
}

func (h *Harvester) applyPubliccodeAs(ctx context.Context, run *catalogue.HarvestRun, key string, where []string, owner string, full bool) error {
	var assets []catalogue.HarvestAsset
	for _, w := range where {
		if isURL(w) {
			data, _, err := h.Fetch(ctx, w, "application/yaml, text/yaml;q=0.9, text/plain;q=0.5")
			if err != nil {
				return err
			}
			assets = append(assets, publiccodeAsset(w, data))
			continue
		}
		files, err := publiccodeFiles(w)
		if err != nil {
			return err
		}
		for _, f := range files {
			data, err := h.readFile(f)
			if errors.Is(err, ErrTooLarge) {
				assets = append(assets, rejectedFile(f, err.Error()))
				continue
			}
			if err != nil {
				return err
			}
			assets = append(assets, publiccodeAsset(f, data))
		}
	}
	return h.Store.ApplyHarvest(ctx, run, key, owner, assets, full)
}

// publiccodeFiles lists a path's publiccode.yml files: the file itself,
// or every .yml and .yaml file below a folder, in name order.
func publiccodeFiles(path string) ([]string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if !info.IsDir() {
		return []string{abs}, nil
	}
	var out []string
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != abs {
			return filepath.SkipDir
		}
		if ext := strings.ToLower(filepath.Ext(p)); !d.IsDir() && (ext == ".yml" || ext == ".yaml") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read the folder %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the folder %s holds no .yml or .yaml file", path)
	}
	sort.Strings(out)
	return out, nil
}

// publiccodeAsset reads one file into an asset; a file that cannot be read
// at all is a rejected asset, so that the report names it.
func publiccodeAsset(subject string, data []byte) catalogue.HarvestAsset {
	res, err := publiccode.Parse(data)
	if err != nil {
		return rejectedFile(subject, err.Error())
	}
	a := catalogue.HarvestAsset{Subject: subject, Input: res.Input, Organisations: res.Organisations}
	for _, p := range res.Problems {
		a.Problems = append(a.Problems, catalogue.HarvestProblem{Where: p.Key, Line: p.Line, Severity: p.Severity, Message: p.Message, Fix: p.Fix})
	}
	if res.Rejected && !a.Rejected() {
		a.Problems = append(a.Problems, catalogue.HarvestProblem{Where: "name, url, description", Severity: "error",
			Message: "a publiccode.yml file needs a name, a url and a description", Fix: "Add the missing keys."})
	}
	return a
}

func rejectedFile(subject, why string) catalogue.HarvestAsset {
	return catalogue.HarvestAsset{Subject: subject, Problems: []catalogue.HarvestProblem{{
		Where: "file", Severity: "error", Message: why,
		Fix: "Give a publiccode.yml file: YAML text of at most 1 MiB.",
	}}}
}
