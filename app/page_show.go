package app

import "github.com/gofiber/fiber/v2"

// pageShow serves an editorial page (about, publish) whose text is in the
// locale files under "<name>.*". Its data is the editorial contact address.
func (s *server) pageShow(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := s.newPage(c, s.locale(c).Tr(name+".title"), s.contact)
		p.Nav = "/" + name
		return s.render(c, fiber.StatusOK, name, p)
	}
}
