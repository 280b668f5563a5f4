package catalogue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrHarvested is returned (wrapped) for a manual edit of an entry that
// follows its harvest source: detach it first.
var ErrHarvested = errors.New("the entry is harvested from another catalogue")

// SaveHarvestSource creates or (with an ID) updates a source. owner is the
// slug of the organisation that owns entries whose source names none.
func (s *Store) SaveHarvestSource(ctx context.Context, src *HarvestSource, owner string) error {
	var problems []FieldError
	src.Name, src.URL = strings.TrimSpace(src.Name), strings.TrimSpace(src.URL)
	if src.Name == "" {
		problems = append(problems, FieldError{"name", "required"})
	}
	if src.Kind != SourceRDF && src.Kind != SourcePubliccode {
		problems = append(problems, FieldError{"kind", "unknown"})
	}
	if u, err := url.Parse(src.URL); src.URL == "" {
		problems = append(problems, FieldError{"url", "required"})
	} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		if src.Kind == SourceRDF || !strings.HasPrefix(src.URL, "/") {
			problems = append(problems, FieldError{"url", "format"})
		}
	}
	if !slices.Contains(Schedules, src.Schedule) {
		problems = append(problems, FieldError{"schedule", "unknown"})
	}
	var org Organisation
	if err := s.r.WithContext(ctx).Select("id").Where("slug = ?", owner).Take(&org).Error; err != nil {
		problems = append(problems, FieldError{"owner", "unknown"})
	}
	if len(problems) > 0 {
		return &ValidationError{Fields: problems}
	}
	src.OwnerID = org.ID
	if every := ScheduleEvery(src.Schedule); every > 0 && src.NextRunAt == nil {
		now := time.Now().UTC()
		src.NextRunAt = &now // a new schedule runs at once
	} else if every == 0 {
		src.NextRunAt = nil
	}
	if err := s.w.WithContext(ctx).Omit("Owner").Save(src).Error; err != nil {
		return fmt.Errorf("catalogue: save harvest source: %w", err)
	}
	return nil
}

// HarvestSources lists the sources with their owner and last run.
func (s *Store) HarvestSources(ctx context.Context) ([]*HarvestSource, error) {
	var out []*HarvestSource
	if err := s.r.WithContext(ctx).Preload("Owner").Order("name, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: harvest sources: %w", err)
	}
	for _, src := range out {
		var run HarvestRun
		err := s.r.WithContext(ctx).Where("source_id = ?", src.ID).Order("id DESC").Take(&run).Error
		if err == nil {
			src.LastRun = &run
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fmt.Errorf("catalogue: harvest sources: %w", err)
		}
	}
	return out, nil
}

// HarvestSourceByID loads one source with its owner.
func (s *Store) HarvestSourceByID(ctx context.Context, id uint) (*HarvestSource, error) {
	var src HarvestSource
	if err := s.r.WithContext(ctx).Preload("Owner").Take(&src, id).Error; err != nil {
		return nil, fmt.Errorf("catalogue: harvest source %d: %w", id, notFound(err))
	}
	return &src, nil
}

// DeleteHarvestSource removes a source and its runs; its entries stay,
// detached from it.
func (s *Store) DeleteHarvestSource(ctx context.Context, id uint) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		err := tx.Model(&HarvestedEntry{}).Where("source_id = ? AND detached_at IS NULL", id).
			Updates(map[string]any{"detached_at": now, "source_id": nil}).Error
		if err != nil {
			return err
		}
		return tx.Delete(&HarvestSource{}, id).Error
	})
	if err != nil {
		return fmt.Errorf("catalogue: delete harvest source %d: %w", id, err)
	}
	return nil
}

// DueHarvestSources are the scheduled sources whose next run has come.
func (s *Store) DueHarvestSources(ctx context.Context, now time.Time) ([]*HarvestSource, error) {
	var out []*HarvestSource
	err := s.r.WithContext(ctx).Preload("Owner").Where("next_run_at IS NOT NULL AND next_run_at <= ?", now).
		Order("next_run_at").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: due harvest sources: %w", err)
	}
	return out, nil
}

// StartHarvestRun records a run beginning; src is nil for an import from
// the command line. A scheduled source's next run is set at once, so that
// a crash during the run does not retry it in a loop.
func (s *Store) StartHarvestRun(ctx context.Context, src *HarvestSource, origin string) (*HarvestRun, error) {
	run := &HarvestRun{Origin: origin, StartedAt: time.Now().UTC(), Status: RunRunning}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if src != nil {
			run.SourceID = &src.ID
			if every := ScheduleEvery(src.Schedule); every > 0 {
				next := run.StartedAt.Add(every)
				if err := tx.Model(src).Update("next_run_at", next).Error; err != nil {
					return err
				}
			}
		}
		return tx.Omit("Items").Create(run).Error
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: start harvest run: %w", err)
	}
	return run, nil
}

// FinishHarvestRun records the end of a run: failed with runErr's message
// when it is not nil.
func (s *Store) FinishHarvestRun(ctx context.Context, run *HarvestRun, runErr error) error {
	now := time.Now().UTC()
	run.FinishedAt, run.Status = &now, RunDone
	if runErr != nil {
		run.Status, run.Error = RunFailed, truncateRunes(runErr.Error(), 2000)
	}
	err := s.w.WithContext(ctx).Model(run).Select("finished_at", "status", "error", "created", "updated", "unchanged", "rejected", "gone").Updates(run).Error
	if err != nil {
		return fmt.Errorf("catalogue: finish harvest run: %w", err)
	}
	return nil
}

// HarvestRuns lists the latest runs, of one source or (0) of all.
func (s *Store) HarvestRuns(ctx context.Context, sourceID uint, limit int) ([]*HarvestRun, error) {
	q := s.r.WithContext(ctx).Order("id DESC").Limit(limit)
	if sourceID > 0 {
		q = q.Where("source_id = ?", sourceID)
	}
	var out []*HarvestRun
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("catalogue: harvest runs: %w", err)
	}
	return out, nil
}

// HarvestRunByID loads a run with its items.
func (s *Store) HarvestRunByID(ctx context.Context, id uint) (*HarvestRun, error) {
	var run HarvestRun
	err := s.r.WithContext(ctx).Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).Take(&run, id).Error
	if err != nil {
		return nil, fmt.Errorf("catalogue: harvest run %d: %w", id, notFound(err))
	}
	if run.SourceID != nil {
		if src, err := s.HarvestSourceByID(ctx, *run.SourceID); err == nil {
			run.Source = src
		}
	}
	return &run, nil
}

// HarvestInfo is where an entry was harvested from, with the problems of
// its last harvest; nil when it was not harvested.
func (s *Store) HarvestInfo(ctx context.Context, entryID uint) (*HarvestedEntry, error) {
	var h HarvestedEntry
	err := s.r.WithContext(ctx).Where("entry_id = ?", entryID).Take(&h).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("catalogue: harvest info: %w", err)
	}
	if h.SourceID != nil {
		if src, err := s.HarvestSourceByID(ctx, *h.SourceID); err == nil {
			h.Source = src
		}
	}
	if h.ItemID != nil {
		var it HarvestItem
		if err := s.r.WithContext(ctx).Take(&it, *h.ItemID).Error; err == nil {
			h.Problems = it.ProblemList()
		}
	}
	return &h, nil
}

// DetachEntry stops an entry following its source: it can be edited by
// hand, and later harvests leave it alone.
func (s *Store) DetachEntry(ctx context.Context, entryID uint) error {
	err := s.w.WithContext(ctx).Model(&HarvestedEntry{}).Where("entry_id = ? AND detached_at IS NULL", entryID).
		Update("detached_at", time.Now().UTC()).Error
	if err != nil {
		return fmt.Errorf("catalogue: detach entry %d: %w", entryID, err)
	}
	return nil
}

// harvestLocked reports whether an entry follows a harvest source.
func harvestLocked(tx *gorm.DB, entryID uint) (bool, error) {
	var n int64
	err := tx.Model(&HarvestedEntry{}).Where("entry_id = ? AND detached_at IS NULL", entryID).Count(&n).Error
	return n > 0, err
}

// harvestBatch is how many assets one transaction applies.
const harvestBatch = 100

// ApplyHarvest applies what a run read from one origin (key identifies it
// among harvested entries: a source's key, or a file's path): each asset
// is created, updated, left unchanged or rejected, and recorded as an item
// of run. When full is set (the whole source was read), entries of key
// that the run did not see are marked gone. defaultOwner is the slug of
// the organisation owning assets that name no publisher.
func (s *Store) ApplyHarvest(ctx context.Context, run *HarvestRun, key string, defaultOwner string, assets []HarvestAsset, full bool) error {
	seen := map[string]bool{}
	slugOf := map[string]string{} // the slug each asset's own slug became here
	var saved []HarvestAsset
	for start := 0; start < len(assets); start += harvestBatch {
		batch := assets[start:min(start+harvestBatch, len(assets))]
		err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for _, a := range batch {
				a.Subject = truncateRunes(a.Subject, 1000) // as stored, so that it is found again
				seen[a.Subject] = true
				item, err := s.applyAsset(ctx, tx, run, key, defaultOwner, a)
				if err != nil {
					return fmt.Errorf("%s: %w", a.Subject, err)
				}
				switch item.Result {
				case ItemCreated, ItemUpdated, ItemUnchanged:
					// Links are set again at every run, from the slugs
					// the entries have now: a link to an entry rejected
					// last time appears once it is accepted.
					slugOf[a.Input.Slug] = item.Slug
					a.Input.Slug = item.Slug
					saved = append(saved, a)
				case ItemDetached:
					slugOf[a.Input.Slug] = item.Slug
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("catalogue: apply harvest: %w", err)
		}
		s.notifyChanged()
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Links between entries, once they all exist; links to entries
		// that do not exist here are left out.
		for _, a := range saved {
			var related []string
			for _, slug := range a.Input.Related {
				if renamed, ok := slugOf[slug]; ok {
					slug = renamed
				}
				var n int64
				if err := tx.Model(&Entry{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
					return err
				}
				if n > 0 && !slices.Contains(related, slug) {
					related = append(related, slug)
				}
			}
			if err := setRelated(tx, a.Input.Slug, related); err != nil {
				return err
			}
		}
		if full {
			if err := markGone(tx, run, key, seen); err != nil {
				return err
			}
		}
		return tx.Model(run).Select("created", "updated", "unchanged", "rejected", "gone").Updates(run).Error
	})
}

// applyAsset applies one asset and records its item.
func (s *Store) applyAsset(ctx context.Context, tx *gorm.DB, run *HarvestRun, key, defaultOwner string, a HarvestAsset) (*HarvestItem, error) {
	item := &HarvestItem{RunID: run.ID, Subject: truncateRunes(a.Subject, 1000), Slug: a.Input.Slug}
	problems := a.Problems
	record := func(result string) (*HarvestItem, error) {
		item.Result = result
		data, _ := json.Marshal(problems)
		item.Problems = string(data)
		if err := tx.Create(item).Error; err != nil {
			return nil, err
		}
		switch result {
		case ItemCreated:
			run.Created++
		case ItemUpdated:
			run.Updated++
		case ItemRejected:
			run.Rejected++
		default:
			run.Unchanged++
		}
		return item, nil
	}
	if a.Rejected() {
		return record(ItemRejected)
	}
	in := a.Input
	in.State = StatePublished
	// The publisher and reusers: organisations are created when missing,
	// never overwritten (they may be edited here).
	for _, org := range a.Organisations {
		var n int64
		if err := tx.Model(&Organisation{}).Where("slug = ?", org.Slug).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			org := org
			if err := saveOrganisation(tx, &org); err != nil {
				problems = append(problems, HarvestProblem{Where: "dct:publisher", Severity: "warning", Message: fmt.Sprintf("the organisation %q could not be created: %v", org.Name, err)})
			}
		}
	}
	if in.Owner == "" || !organisationExists(tx, in.Owner) {
		in.Owner = defaultOwner
	}
	var reuses []ReuseInput
	for _, r := range in.Reuses {
		if organisationExists(tx, r.Organisation) {
			reuses = append(reuses, r)
		}
	}
	in.Reuses = reuses
	in.Related = nil // set once every entry of the run exists
	hash := inputHash(in)

	var he HarvestedEntry
	err := tx.Where("source_key = ? AND subject = ?", key, a.Subject).Take(&he).Error
	switch {
	case err == nil:
		var e Entry
		if err := tx.Select("id", "slug", "kind", "state").Take(&e, he.EntryID).Error; err != nil {
			return nil, err
		}
		item.EntryID, item.Slug = &e.ID, e.Slug
		updates := map[string]any{"harvested_at": time.Now().UTC(), "gone_at": nil}
		result := ItemUnchanged
		switch {
		case he.DetachedAt != nil:
			result = ItemDetached
			problems = append(problems, HarvestProblem{Where: "entry", Severity: "warning", Message: "edited by hand since it was detached from its source: left as it is"})
		case he.Hash != hash || he.GoneAt != nil:
			// The source changes the content, not what moderators decided:
			// an archived entry stays archived.
			in.Slug, in.Kind, in.State = e.Slug, e.Kind, e.State
			if _, err := s.saveRevision(ctx, tx, in, &Revision{Note: "harvested from " + truncateRunes(run.Origin, 200)}); err != nil {
				var ve *ValidationError
				if errors.As(err, &ve) {
					problems = append(problems, validationProblems(ve)...)
					return record(ItemRejected)
				}
				return nil, err
			}
			updates["hash"] = hash
			result = ItemUpdated
		}
		item, err := record(result)
		if err != nil {
			return nil, err
		}
		updates["item_id"] = item.ID
		if err := tx.Model(&HarvestedEntry{}).Where("entry_id = ?", he.EntryID).Updates(updates).Error; err != nil {
			return nil, err
		}
		return item, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	}
	// A new entry: its slug must not be another entry's.
	slug, err := freeSlug(tx, in.Slug)
	if err != nil {
		return nil, err
	}
	if slug != in.Slug {
		problems = append(problems, HarvestProblem{Where: "dct:identifier", Severity: "warning",
			Message: fmt.Sprintf("another entry already has the address %q: this one is %q", in.Slug, slug)})
		in.Slug = slug
	}
	item.Slug = slug
	e, err := s.saveRevision(ctx, tx, in, &Revision{Note: "harvested from " + truncateRunes(run.Origin, 200)})
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			problems = append(problems, validationProblems(ve)...)
			return record(ItemRejected)
		}
		return nil, err
	}
	item.EntryID = &e.ID
	if item, err = record(ItemCreated); err != nil {
		return nil, err
	}
	he = HarvestedEntry{EntryID: e.ID, SourceKey: key, Subject: truncateRunes(a.Subject, 1000), SourceID: run.SourceID,
		Origin: truncateRunes(run.Origin, 1000), Hash: hash, ItemID: &item.ID, HarvestedAt: time.Now().UTC()}
	if err := tx.Create(&he).Error; err != nil {
		return nil, err
	}
	return item, nil
}

// markGone marks the entries of key the run did not see.
func markGone(tx *gorm.DB, run *HarvestRun, key string, seen map[string]bool) error {
	var all []HarvestedEntry
	if err := tx.Where("source_key = ? AND gone_at IS NULL AND detached_at IS NULL", key).Find(&all).Error; err != nil {
		return err
	}
	now := time.Now().UTC()
	for _, he := range all {
		if seen[he.Subject] {
			continue
		}
		var e Entry
		if err := tx.Select("id", "slug").Take(&e, he.EntryID).Error; err != nil {
			return err
		}
		item := HarvestItem{RunID: run.ID, Subject: he.Subject, Slug: e.Slug, EntryID: &e.ID, Result: ItemGone, Problems: "[]"}
		if err := tx.Create(&item).Error; err != nil {
			return err
		}
		if err := tx.Model(&HarvestedEntry{}).Where("entry_id = ?", he.EntryID).Updates(map[string]any{"gone_at": now, "item_id": item.ID}).Error; err != nil {
			return err
		}
		run.Gone++
	}
	return nil
}

// freeSlug is slug, or slug-2, slug-3... when it is taken.
func freeSlug(tx *gorm.DB, slug string) (string, error) {
	for i := 1; ; i++ {
		candidate := slug
		if i > 1 {
			candidate = fmt.Sprintf("%s-%d", slug, i)
		}
		var n int64
		if err := tx.Model(&Entry{}).Where("slug = ?", candidate).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return candidate, nil
		}
	}
}

func organisationExists(tx *gorm.DB, slug string) bool {
	var n int64
	return slug != "" && tx.Model(&Organisation{}).Where("slug = ?", slug).Count(&n).Error == nil && n > 0
}

// inputHash identifies an asset's content, links aside (they are set at
// every run), to tell an unchanged one.
func inputHash(in EntryInput) string {
	data, _ := json.Marshal(normalInput(in))
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// validationProblems turns the store's validation errors into problems.
func validationProblems(ve *ValidationError) []HarvestProblem {
	out := make([]HarvestProblem, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		out = append(out, HarvestProblem{Where: f.Field, Severity: "error", Message: "refused by the catalogue: " + f.Problem})
	}
	return out
}

// FailInterruptedRuns marks runs left running by a process that stopped
// (a restart during a harvest) as failed; it reports how many.
func (s *Store) FailInterruptedRuns(ctx context.Context) (int64, error) {
	res := s.w.WithContext(ctx).Model(&HarvestRun{}).Where("status = ?", RunRunning).
		Updates(map[string]any{"status": RunFailed, "error": "interrupted: the site stopped during the harvest", "finished_at": time.Now().UTC()})
	if res.Error != nil {
		return 0, fmt.Errorf("catalogue: fail interrupted runs: %w", res.Error)
	}
	return res.RowsAffected, nil
}
