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

// HarvestRunner harvests a source now (package harvest).
type HarvestRunner interface {
	Run(ctx context.Context, src *catalogue.HarvestSource) (*catalogue.HarvestRun, error)
}
