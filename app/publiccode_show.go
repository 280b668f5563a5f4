package app

import (
	"github.com/gofiber/fiber/v2"

	"interophub/catalogue"
	"interophub/publiccode"
)

// solutionPubliccode downloads a published solution as a publiccode.yml
// file, for a national catalogue that reads them.
func (s *server) solutionPubliccode(c *fiber.Ctx) error {
	e, err := s.cat.EntryBySlug(c.UserContext(), catalogue.KindSolution, c.Params("slug"))
	if err != nil {
		return err
	}
	data, err := publiccode.Write(e, s.baseURL+"/"+s.locale(c).Lang+e.Path())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="publiccode.yml"`)
	c.Set("Access-Control-Allow-Origin", "*")
	return c.Send(data)
}
