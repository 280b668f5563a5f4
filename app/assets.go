package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"interophub/static"
)

// assets serves the embedded static files under names that carry a hash of
// their content ("css/app.3fa2c1d0.css"), so they can be cached for a year
// and a new release is fetched at once.
type assets struct {
	urls  map[string]string // "css/app.css" -> "/static/css/app.3fa2c1d0.css"
	files map[string]asset  // "css/app.3fa2c1d0.css" -> content
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(static.Files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := fs.ReadFile(static.Files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		a.urls[name] = "/static/" + hashed
		a.files[hashed] = asset{body: body, contentType: mime.TypeByExtension(ext)}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("app: load assets: %w", err)
	}
	return a, nil
}

// url is the public address of an asset; templates call it as {{asset "css/app.css"}}.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("app: no asset %q", name)
	}
	return u, nil
}

func (s *server) staticAsset(c *fiber.Ctx) error {
	f, ok := s.assets.files[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, f.contentType)
	return c.Send(f.body)
}
