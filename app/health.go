package app

import (
	"fmt"

	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers as long as the process serves requests.
func (s *server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// readyz answers 200 when the database can be queried, 503 otherwise.
func (s *server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.cat.Ping(ctx); err != nil {
		s.log.Error("readiness check failed", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	if err := s.search.Ready(); err != nil {
		if done, total, running := s.search.Progress(); running {
			return c.Status(fiber.StatusServiceUnavailable).SendString(fmt.Sprintf("search index building: %d of %d entries", done, total))
		}
		s.log.Error("readiness check failed", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("search index unavailable")
	}
	return c.SendString("ready")
}
