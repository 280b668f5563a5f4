package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
	"interophub/rdf"
)

// adminHarvestView is the harvest sources page.
type adminHarvestView struct {
	Sources  []*catalogue.HarvestSource
	Runs     []*catalogue.HarvestRun
	Form     *form
	Source   *catalogue.HarvestSource // the source edited; nil on the list
	Kinds    []option
	Formats  []option
	Owners   []option
	Schedule []option
	Running  bool // a run of the shown source is under way
	CanRun   bool
}

// adminHarvest lists the sources and their last runs, and adds a source.
func (s *server) adminHarvest(c *fiber.Ctx) error {
	f := s.newForm(c)
	if c.Method() == fiber.MethodPost {
		src := &catalogue.HarvestSource{}
		if s.saveSourceForm(c, f, src) {
			return c.Redirect("/"+s.locale(c).Lang+"/admin/harvest/"+strconv.Itoa(int(src.ID)), fiber.StatusSeeOther)
		}
	} else {
		f.Values.Set("kind", catalogue.SourceRDF)
		f.Values.Set("schedule", "daily")
	}
	v, err := s.harvestView(c, f, nil)
	if err != nil {
		return err
	}
	return s.render(c, statusOfForm(f), "admin_harvest", s.newPage(c, s.locale(c).Tr("harvest.title"), v))
}

// adminHarvestSource shows one source with its runs: edit, delete, run now.
func (s *server) adminHarvestSource(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, _ := strconv.Atoi(c.Params("id"))
	src, err := s.harvests.HarvestSourceByID(ctx, uint(id))
	if err != nil {
		return err
	}
	f := s.newForm(c)
	loc := s.locale(c)
	if c.Method() == fiber.MethodPost {
		switch f.Get("action") {
		case "delete":
			if err := s.harvests.DeleteHarvestSource(ctx, src.ID); err != nil {
				return err
			}
			return c.Redirect("/"+loc.Lang+"/admin/harvest", fiber.StatusSeeOther)
		case "run":
			if s.harvester == nil {
				return fiber.ErrNotFound
			}
			// A harvest may take minutes: it goes on in the background and
			// its report page follows it (refreshing while it runs).
			run, err := s.harvester.Start(ctx, src)
			if err != nil {
				// Already running: that run's page.
				runs, lerr := s.harvests.HarvestRuns(ctx, src.ID, 1)
				if lerr != nil || len(runs) == 0 {
					return err
				}
				run = runs[0]
			}
			return c.Redirect("/"+loc.Lang+"/admin/harvest/runs/"+strconv.Itoa(int(run.ID)), fiber.StatusSeeOther)
		default:
			if s.saveSourceForm(c, f, src) {
				return c.Redirect("/"+loc.Lang+"/admin/harvest/"+c.Params("id"), fiber.StatusSeeOther)
			}
		}
	} else {
		f.Values.Set("name", src.Name)
		f.Values.Set("url", src.URL)
		f.Values.Set("kind", src.Kind)
		f.Values.Set("format", src.Format)
		f.Values.Set("schedule", src.Schedule)
		if src.Owner != nil {
			f.Values.Set("owner", src.Owner.Slug)
		}
	}
	v, err := s.harvestView(c, f, src)
	if err != nil {
		return err
	}
	return s.render(c, statusOfForm(f), "admin_harvest", s.newPage(c, src.Name, v))
}

// saveSourceForm validates and saves the source form into src; false
// (with the problems on f) when it was refused.
func (s *server) saveSourceForm(c *fiber.Ctx, f *form, src *catalogue.HarvestSource) bool {
	loc := s.locale(c)
	src.Name, src.URL, src.Kind, src.Schedule = f.Trimmed("name"), f.Trimmed("url"), f.Get("kind"), f.Get("schedule")
	src.Format = f.Get("format")
	if src.Format != "" {
		if _, err := rdf.ParseFormat(src.Format); err != nil {
			f.fail(loc, "format", "unknown")
			return false
		}
	}
	err := s.harvests.SaveHarvestSource(c.UserContext(), src, f.Get("owner"))
	if err == nil {
		return true
	}
	if !f.addValidation(loc, err, nil) {
		f.Errors[""] = loc.Tr("error.500.text")
		s.log.Error("save harvest source", "err", err)
	}
	return false
}

func statusOfForm(f *form) int {
	if f.Invalid() {
		return fiber.StatusUnprocessableEntity
	}
	return fiber.StatusOK
}

// harvestView fills the lists the harvest pages show.
func (s *server) harvestView(c *fiber.Ctx, f *form, src *catalogue.HarvestSource) (*adminHarvestView, error) {
	ctx, loc := c.UserContext(), s.locale(c)
	v := &adminHarvestView{Form: f, Source: src, CanRun: s.harvester != nil}
	var err error
	if src == nil {
		if v.Sources, err = s.harvests.HarvestSources(ctx); err != nil {
			return nil, err
		}
		if v.Runs, err = s.harvests.HarvestRuns(ctx, 0, 20); err != nil {
			return nil, err
		}
	} else {
		if v.Runs, err = s.harvests.HarvestRuns(ctx, src.ID, 20); err != nil {
			return nil, err
		}
		v.Running = len(v.Runs) > 0 && v.Runs[0].Status == catalogue.RunRunning
	}
	for _, k := range []string{catalogue.SourceRDF, catalogue.SourcePubliccode} {
		v.Kinds = append(v.Kinds, option{k, loc.Tr("harvest.kind." + k)})
	}
	for _, fm := range rdf.Formats {
		v.Formats = append(v.Formats, option{string(fm), loc.Tr("harvest.format." + string(fm))})
	}
	for _, sc := range catalogue.Schedules {
		v.Schedule = append(v.Schedule, option{sc, loc.Tr("harvest.schedule." + sc)})
	}
	orgs, err := s.accounts.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		v.Owners = append(v.Owners, option{o.Slug, o.Name})
	}
	return v, nil
}

// adminHarvestRun is one run's report: what happened to each entity and why.
func (s *server) adminHarvestRun(c *fiber.Ctx) error {
	id, _ := strconv.Atoi(c.Params("id"))
	run, err := s.harvests.HarvestRunByID(c.UserContext(), uint(id))
	if err != nil {
		return err
	}
	loc := s.locale(c)
	p := s.newPage(c, loc.Tr("harvest.run.title", "ID", run.ID), run)
	if run.Status == catalogue.RunRunning {
		p.Refresh = 5
	}
	return s.render(c, fiber.StatusOK, "admin_harvest_run", p)
}
