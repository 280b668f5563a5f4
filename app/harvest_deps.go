package app

import (
	"context"

	"interophub/catalogue"
)

// Harvests keeps harvest sources, their runs and where harvested entries
// come from.
type Harvests interface {
	HarvestSources(ctx context.Context) ([]*catalogue.HarvestSource, error)
	HarvestSourceByID(ctx context.Context, id uint) (*catalogue.HarvestSource, error)
	SaveHarvestSource(ctx context.Context, src *catalogue.HarvestSource, owner string) error
	DeleteHarvestSource(ctx context.Context, id uint) error
	HarvestRuns(ctx context.Context, sourceID uint, limit int) ([]*catalogue.HarvestRun, error)
	HarvestRunByID(ctx context.Context, id uint) (*catalogue.HarvestRun, error)
	HarvestInfo(ctx context.Context, entryID uint) (*catalogue.HarvestedEntry, error)
	DetachEntry(ctx context.Context, entryID uint) error
}

var _ Harvests = (*catalogue.Store)(nil)

// HarvestRunner starts a harvest of a source now, going on in the
// background (package harvest); it fails with an error for a source
// already being harvested.
type HarvestRunner interface {
	Start(ctx context.Context, src *catalogue.HarvestSource) (*catalogue.HarvestRun, error)
}
