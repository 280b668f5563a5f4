package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/utils"

	"interophub/catalogue"
)

// apiPrefix is where the JSON API lives.
const apiPrefix = "/api/v1"

// apiTokenKey is where apiBearer stores the request's *catalogue.APIToken.
const apiTokenKey = "apiToken"

// apiGuard wraps every /api/v1 request: errors of any handler or middleware
// after it (body limit, CSRF, rate limits, unknown routes) become JSON
// errors, reads get CORS headers (any origin, no credentials) and
// preflights are answered here. Writes get no CORS headers, so that
// browsers on other sites cannot send them.
func (s *server) apiGuard(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = s.apiError(c, fmt.Errorf("app: panic in %s %s: %v", c.Method(), c.Path(), r))
		}
	}()
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	}
	if c.Method() == fiber.MethodOptions {
		methods := apiMethods(c.App(), c.Path())
		if len(methods) == 0 {
			return s.apiFail(c, fiber.StatusNotFound, "not_found", "There is no API route at "+c.Path()+".")
		}
		c.Set(fiber.HeaderAllow, strings.Join(append(methods, fiber.MethodOptions), ", "))
		c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD, OPTIONS")
		c.Set(fiber.HeaderAccessControlAllowHeaders, "Accept, Accept-Language")
		c.Set(fiber.HeaderAccessControlMaxAge, "86400")
		return c.SendStatus(fiber.StatusNoContent)
	}
	if err := c.Next(); err != nil {
		return s.apiError(c, err)
	}
	return nil
}

// apiCodes are the error codes of HTTP statuses.
var apiCodes = map[int]string{
	fiber.StatusBadRequest:            "bad_request",
	fiber.StatusUnauthorized:          "unauthorized",
	fiber.StatusForbidden:             "forbidden",
	fiber.StatusNotFound:              "not_found",
	fiber.StatusMethodNotAllowed:      "method_not_allowed",
	fiber.StatusConflict:              "conflict",
	fiber.StatusRequestEntityTooLarge: "body_too_large",
	fiber.StatusUnsupportedMediaType:  "unsupported_media_type",
	fiber.StatusTooManyRequests:       "rate_limited",
	fiber.StatusServiceUnavailable:    "unavailable",
}

// apiMessages say what to do about an error of a status.
var apiMessages = map[int]string{
	fiber.StatusBadRequest:            "The request is not valid.",
	fiber.StatusUnauthorized:          "This call needs a personal API token: Authorization: Bearer <token>.",
	fiber.StatusForbidden:             "You may not do this. A write sent with a session cookie needs the form's CSRF token; send it with an API token instead.",
	fiber.StatusNotFound:              "Nothing was found at this address.",
	fiber.StatusRequestEntityTooLarge: "The request body is larger than 1 MiB.",
	fiber.StatusTooManyRequests:       "Too many requests: wait a minute (see Retry-After) and try again.",
}

// apiError writes err as a JSON error; server errors are logged with their
// cause, which the client never sees.
func (s *server) apiError(c *fiber.Ctx, err error) error {
	status := statusOf(err)
	if errors.Is(err, catalogue.ErrForbidden) {
		status = fiber.StatusForbidden
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		return s.apiFail(c, status, "internal", "Something went wrong on our side. Try again later.")
	}
	code, ok := apiCodes[status]
	if !ok {
		code = "error"
	}
	msg, ok := apiMessages[status]
	if !ok {
		msg = utils.StatusMessage(status) + "."
		var fe *fiber.Error
		if errors.As(err, &fe) {
			msg = fe.Message
		}
	}
	return s.apiFail(c, status, code, msg)
}

// apiNoRoute answers the API paths no route took: 405 with Allow when the
// path exists for other methods, 404 otherwise.
func (s *server) apiNoRoute(c *fiber.Ctx) error {
	if methods := apiMethods(c.App(), c.Path()); len(methods) > 0 {
		c.Set(fiber.HeaderAllow, strings.Join(append(methods, fiber.MethodOptions), ", "))
		return s.apiFail(c, fiber.StatusMethodNotAllowed, "method_not_allowed",
			c.Method()+" is not allowed here; use "+strings.Join(methods, ", ")+".")
	}
	return s.apiFail(c, fiber.StatusNotFound, "not_found", "There is no API route at "+c.Path()+".")
}

// apiMethods lists the methods the app's API routes accept at path.
func apiMethods(app *fiber.App, path string) []string {
	seen := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if strings.HasPrefix(r.Path, apiPrefix+"/") && routeMatches(r.Path, path) {
			seen[r.Method] = true
		}
	}
	out := make([]string, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// routeMatches reports whether a request path fits a Fiber route pattern
// of plain segments and :parameters.
func routeMatches(pattern, path string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		switch {
		case strings.HasPrefix(p, ":"):
			if xs[i] == "" {
				return false
			}
		case p != xs[i]:
			return false
		}
	}
	return true
}

// bearerToken is the request's Authorization: Bearer token, if any.
func bearerToken(c *fiber.Ctx) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(c.Get(fiber.HeaderAuthorization)), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// apiWithoutSession reports whether a request is an API call that carries
// no session cookie: a bearer token is then its only authority, which
// browsers never add by themselves (and the API allows no cross-site
// writes), so it needs no CSRF token. Without a token either, the write
// routes answer 401. A request with the session cookie still needs one.
// A request with a bearer token is exempt even with a session cookie (an
// expired one, say): browsers never add the header, and the preflight
// allows no cross-site Authorization header.
func (s *server) apiWithoutSession(c *fiber.Ctx) bool {
	if !isAPIPath(c.Path()) {
		return false
	}
	_, bearer := bearerToken(c)
	return bearer || c.Cookies(s.cookieName("session")) == ""
}

// isAPIPath reports whether path is under /api/v1/, in any case (the
// router ignores case).
func isAPIPath(path string) bool {
	return len(path) > len(apiPrefix) && strings.EqualFold(path[:len(apiPrefix)+1], apiPrefix+"/")
}

// apiBearer lets through requests with a live token of at least scope
// need, as the token's user: 401 without a valid token, 403 with a token
// of too small a scope.
func (s *server) apiBearer(need catalogue.TokenScope) fiber.Handler {
	return func(c *fiber.Ctx) error {
		secret, ok := bearerToken(c)
		if !ok {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="interophub"`)
			return s.apiFail(c, fiber.StatusUnauthorized, "unauthorized", apiMessages[fiber.StatusUnauthorized])
		}
		tokens, err := s.tokens()
		if err != nil {
			return err
		}
		u, tok, err := tokens.UserByToken(c.UserContext(), secret, s.now())
		switch {
		case errors.Is(err, catalogue.ErrNotFound) || errors.Is(err, catalogue.ErrBlocked):
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="interophub", error="invalid_token"`)
			return s.apiFail(c, fiber.StatusUnauthorized, "invalid_token", "The token is unknown, revoked, or its account is blocked.")
		case err != nil:
			return err
		}
		if !tok.Scope.Allows(need) {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="interophub", error="insufficient_scope", scope="`+string(need)+`"`)
			return s.apiFail(c, fiber.StatusForbidden, "insufficient_scope", "This call needs a token of scope "+string(need)+".")
		}
		// Writing is for contributors, as on the site: a learner's token
		// learns nothing about drafts from the answers.
		if need == catalogue.ScopeWrite && !u.Role.AtLeast(catalogue.RoleContributor) {
			return s.apiFail(c, fiber.StatusForbidden, "forbidden", "Writing to the catalogue needs a contributor account.")
		}
		c.Locals(userKey, u)
		c.Locals(apiTokenKey, tok)
		return c.Next()
	}
}

// apiWriteLimit caps an account's API writes a minute (the site's post
// limit), whatever token they use.
func (s *server) apiWriteLimit() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:               s.limits.Posts,
		Expiration:        time.Minute,
		LimiterMiddleware: limiter.SlidingWindow{},
		KeyGenerator: func(c *fiber.Ctx) string {
			if u := s.user(c); u != nil {
				return "api:user:" + strconv.FormatUint(uint64(u.ID), 10)
			}
			return "api:ip:" + c.IP()
		},
		LimitReached: func(c *fiber.Ctx) error { return fiber.ErrTooManyRequests },
	})
}

// errBadBody is a request body the API cannot read; its message says why.
type errBadBody struct {
	status int
	code   string
	msg    string
}

func (e *errBadBody) Error() string { return e.msg }

// decodeJSON reads a JSON request body into v, refusing other media types,
// unknown fields and trailing data.
func decodeJSON(c *fiber.Ctx, v any) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != fiber.MIMEApplicationJSON {
		return &errBadBody{fiber.StatusUnsupportedMediaType, "unsupported_media_type", "Send the body as application/json."}
	}
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		msg := "The body is not valid JSON for this call: " + err.Error() + "."
		if errors.Is(err, io.EOF) {
			msg = "The body is empty; send a JSON object."
		}
		return &errBadBody{fiber.StatusBadRequest, "bad_json", msg}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &errBadBody{fiber.StatusBadRequest, "bad_json", "The body has data after its JSON object."}
	}
	return nil
}

// apiBadBody answers a decodeJSON error.
func (s *server) apiBadBody(c *fiber.Ctx, err error) error {
	var bb *errBadBody
	if errors.As(err, &bb) {
		return s.apiFail(c, bb.status, bb.code, bb.msg)
	}
	return err
}
