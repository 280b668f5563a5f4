package app

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The OpenAPI 3.1 description of /api/v1, built from apiOperations below.
// A test checks it against the app's real routes both ways.

// obj is a JSON object of the document.
type obj = map[string]any

// apiOperation describes one route of the API.
type apiOperation struct {
	Method, Path string // Fiber path: /entries/:slug
	ID, Summary  string
	Params       []obj
	Body         obj            // request body schema, nil when none
	Responses    map[string]obj // status -> schema ("" schema: no body)
	Write        bool           // needs a write token
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str() obj              { return obj{"type": "string"} }
func integer() obj          { return obj{"type": "integer"} }
func boolean() obj          { return obj{"type": "boolean"} }
func arrayOf(items obj) obj { return obj{"type": "array", "items": items} }
func nullable(t string) obj { return obj{"type": []string{t, "null"}} }
func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}
func dateTime() obj { return obj{"type": "string", "format": "date-time"} }
func mapOf(v obj) obj {
	return obj{"type": "object", "additionalProperties": v}
}

func queryParam(name, description string, schema obj) obj {
	return obj{"name": name, "in": "query", "required": false, "description": description, "schema": schema}
}

func pathParam(name, description string) obj {
	return obj{"name": name, "in": "path", "required": true, "description": description, "schema": str()}
}

var (
	langParam = queryParam("lang", "Language of titles, labels and messages (one of the 25 UI languages); default English.", str())
	slugParam = pathParam("slug", "The entry's or organisation's slug.")
)

// apiOperations lists every route of /api/v1.
var apiOperations = []apiOperation{
	{Method: "GET", Path: "/openapi.json", ID: "openapi", Summary: "This OpenAPI document",
		Responses: map[string]obj{"200": {"type": "object"}}},
	{Method: "GET", Path: "/search", ID: "search", Summary: "Full-text search of entries and lessons",
		Params: []obj{queryParam("q", "Words to search for.", str()), langParam,
			queryParam("kind", "Entry kind filter.", str()), queryParam("page", "Page number, from 1.", integer()),
			queryParam("size", "Hits per page.", integer())},
		Responses: map[string]obj{"200": ref("SearchResult"), "400": ref("Error"), "503": ref("Error")}},
	{Method: "GET", Path: "/suggest", ID: "suggest", Summary: "Entries for search-as-you-type",
		Params:    []obj{queryParam("q", "What has been typed.", str()), langParam},
		Responses: map[string]obj{"200": ref("Suggestions"), "400": ref("Error")}},
	{Method: "GET", Path: "/entries", ID: "listEntries", Summary: "Public entries, a page at a time (title order)",
		Params: []obj{langParam, queryParam("kind", "Only entries of this kind.", ref("Kind")),
			queryParam("cursor", "The next cursor of the previous page.", str()),
			queryParam("limit", "Entries per page, 1 to 100 (default 20).", obj{"type": "integer", "minimum": 1, "maximum": 100})},
		Responses: map[string]obj{"200": ref("EntryPage"), "400": ref("Error")}},
	{Method: "POST", Path: "/entries", ID: "createEntry", Summary: "Create a draft entry (optionally proposed for moderation)", Write: true,
		Body:      ref("EntryWrite"),
		Responses: map[string]obj{"201": ref("WriteResult"), "400": ref("Error"), "401": ref("Error"), "403": ref("Error"), "413": ref("Error"), "415": ref("Error"), "422": ref("ValidationError"), "429": ref("Error")}},
	{Method: "GET", Path: "/entries/:slug", ID: "getEntry", Summary: "A public entry in full",
		Params:    []obj{slugParam, langParam},
		Responses: map[string]obj{"200": ref("Entry"), "404": ref("Error")}},
	{Method: "PUT", Path: "/entries/:slug", ID: "editEntry", Summary: "Replace an entry's content (a contributor's change to a public entry waits for moderation: 202)", Write: true,
		Params: []obj{slugParam}, Body: ref("EntryWrite"),
		Responses: map[string]obj{"200": ref("WriteResult"), "202": ref("WriteResult"), "400": ref("Error"), "401": ref("Error"), "403": ref("Error"), "404": ref("Error"), "409": ref("Error"), "413": ref("Error"), "415": ref("Error"), "422": ref("ValidationError"), "429": ref("Error")}},
	{Method: "POST", Path: "/entries/:slug/state", ID: "moveEntry", Summary: "Move an entry through the publication workflow", Write: true,
		Params:    []obj{slugParam},
		Body:      object([]string{"to"}, obj{"to": ref("State"), "comment": obj{"type": "string", "description": "Required when requesting changes."}}),
		Responses: map[string]obj{"200": ref("WriteResult"), "400": ref("Error"), "401": ref("Error"), "403": ref("Error"), "404": ref("Error"), "409": ref("Error"), "415": ref("Error"), "422": ref("ValidationError"), "429": ref("Error")}},
	{Method: "GET", Path: "/organisations", ID: "listOrganisations", Summary: "Every organisation, by name",
		Responses: map[string]obj{"200": object([]string{"organisations"}, obj{"organisations": arrayOf(ref("OrganisationRef"))})}},
	{Method: "GET", Path: "/organisations/:slug", ID: "getOrganisation", Summary: "An organisation with the entries it owns and reuses",
		Params:    []obj{slugParam, langParam},
		Responses: map[string]obj{"200": ref("Organisation"), "404": ref("Error")}},
	{Method: "GET", Path: "/vocabularies", ID: "listVocabularies", Summary: "Every controlled vocabulary with its concepts",
		Params:    []obj{langParam},
		Responses: map[string]obj{"200": object([]string{"vocabularies"}, obj{"vocabularies": arrayOf(ref("Vocabulary"))})}},
	{Method: "GET", Path: "/vocabularies/:scheme", ID: "getVocabulary", Summary: "One vocabulary with its concepts",
		Params:    []obj{pathParam("scheme", "layer, principle, theme, country, language, licence, status or owner-type."), langParam},
		Responses: map[string]obj{"200": ref("Vocabulary"), "404": ref("Error")}},
}

// apiSchemas are the document's component schemas.
func apiSchemas() obj {
	entrySummary := object([]string{"slug", "kind", "title", "summary", "owner", "updated", "urls"}, obj{
		"slug": str(), "kind": ref("Kind"), "title": str(), "summary": str(),
		"owner": obj{"oneOf": []obj{ref("OrganisationRef"), {"type": "null"}}}, "updated": dateTime(), "urls": ref("EntryURLs"),
	})
	translation := object([]string{"lang", "title", "summary"}, obj{
		"lang": str(), "title": str(), "summary": str(), "body": str(), "problem": str(), "solution": str(), "results": str(), "lessons": str(),
	})
	contact := object([]string{"name"}, obj{"name": str(), "email": str(), "url": str()})
	release := object([]string{"version"}, obj{
		"version": str(), "date": obj{"type": "string", "format": "date"}, "notes": str(),
		"distributions": arrayOf(object([]string{"title", "url"}, obj{"title": str(), "url": str(), "media_type": str(), "licence": str()})),
	})
	reuse := object([]string{"organisation"}, obj{"organisation": str(), "since": integer(), "note": str()})
	practice := object(nil, obj{"country": str(), "level": str(), "sector": str(), "year": integer()})
	conceptOrNull := obj{"oneOf": []obj{ref("Concept"), {"type": "null"}}}
	errorBody := object([]string{"code", "message"}, obj{"code": str(), "message": str()})
	write := object(nil, obj{
		"kind": ref("Kind"), "slug": obj{"type": "string", "description": "Create only; default: from the title."},
		"owner": obj{"type": "string", "description": "Organisation slug."}, "featured": boolean(), "homepage": str(),
		"licence": str(), "status": str(),
		"vocabularies": obj{"type": "object", "description": "Concept codes per scheme (layer, principle, theme, country, language).", "additionalProperties": arrayOf(str())},
		"keywords":     mapOf(arrayOf(str())), "related": arrayOf(str()), "contacts": arrayOf(contact),
		"releases": arrayOf(release), "reuses": arrayOf(reuse), "practice": practice, "translations": arrayOf(translation),
		"note": str(), "propose": obj{"type": "boolean", "description": "Create only: send the new draft to moderation."},
	})
	write["additionalProperties"] = false
	return obj{
		"Kind":  obj{"type": "string", "enum": []string{"solution", "standard", "practice", "course"}},
		"State": obj{"type": "string", "enum": []string{"draft", "proposed", "changes_requested", "published", "needs_update", "archived"}},
		"Error": object([]string{"error"}, obj{"error": errorBody}),
		"ValidationError": object([]string{"error"}, obj{"error": object([]string{"code", "message", "fields"}, obj{
			"code": str(), "message": str(),
			"fields": arrayOf(object([]string{"field", "code", "message"}, obj{"field": str(), "code": str(), "message": str()})),
		})}),
		"Concept":         object([]string{"code", "uri", "label"}, obj{"code": str(), "uri": str(), "label": str()}),
		"Vocabulary":      object([]string{"scheme", "url", "concepts"}, obj{"scheme": str(), "url": str(), "concepts": arrayOf(ref("Concept"))}),
		"OrganisationRef": object([]string{"slug", "name", "url"}, obj{"slug": str(), "name": str(), "acronym": str(), "url": str()}),
		"Organisation": object([]string{"slug", "name", "url", "descriptions", "page", "entries", "reuses"}, obj{
			"slug": str(), "name": str(), "acronym": str(), "url": str(), "type": str(), "country": str(), "website": str(),
			"descriptions": mapOf(str()), "page": str(), "entries": arrayOf(ref("EntrySummary")), "reuses": arrayOf(ref("EntrySummary")),
		}),
		"EntryURLs":    object([]string{"api", "page"}, obj{"api": str(), "page": str()}),
		"EntrySummary": entrySummary,
		"EntryPage": object([]string{"total", "entries", "next", "next_url"}, obj{
			"total": integer(), "entries": arrayOf(ref("EntrySummary")), "next": nullable("string"), "next_url": nullable("string"),
		}),
		"Entry": object([]string{"slug", "kind", "state", "title", "summary", "owner", "featured", "licence", "status", "created", "updated",
			"last_reviewed", "translations", "vocabularies", "keywords", "contacts", "releases", "reuses", "related", "urls"}, obj{
			"slug": str(), "kind": ref("Kind"), "state": ref("State"), "title": str(), "summary": str(),
			"owner": obj{"oneOf": []obj{ref("OrganisationRef"), {"type": "null"}}}, "featured": boolean(), "homepage": str(),
			"licence": conceptOrNull, "status": conceptOrNull, "created": dateTime(), "updated": dateTime(),
			"last_reviewed": obj{"type": []string{"string", "null"}, "format": "date-time"},
			"translations":  arrayOf(translation), "vocabularies": mapOf(arrayOf(ref("Concept"))), "keywords": mapOf(arrayOf(str())),
			"contacts": arrayOf(contact), "releases": arrayOf(release), "reuses": arrayOf(reuse), "related": arrayOf(str()),
			"practice": practice, "urls": ref("EntryURLs"),
		}),
		"EntryWrite": write,
		"WriteResult": object([]string{"slug", "kind", "state", "pending", "urls"}, obj{
			"slug": str(), "kind": ref("Kind"), "state": ref("State"), "pending": boolean(), "revision": integer(), "urls": ref("EntryURLs"),
		}),
		"SearchResult": object([]string{"total", "took_ms", "hits", "facets"}, obj{
			"total": integer(), "took_ms": obj{"type": "number"}, "page": integer(), "pages": integer(), "suggestion": str(),
			"hits": arrayOf(object([]string{"slug", "kind", "title", "summary", "url", "highlights"}, obj{
				"slug": str(), "kind": str(), "title": str(), "summary": str(), "url": str(), "highlights": mapOf(str()),
				"lesson": object(nil, obj{"number": integer(), "title": str(), "url": str(), "snippet": str()}),
			})),
			"facets": mapOf(mapOf(integer())),
		}),
		"Suggestions": object([]string{"suggestions"}, obj{"suggestions": arrayOf(object([]string{"title", "url"}, obj{"title": str(), "url": str()}))}),
	}
}

// openAPIPath turns a Fiber path into an OpenAPI one: /entries/:slug ->
// /entries/{slug}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if name, ok := strings.CutPrefix(part, ":"); ok {
			if j := strings.IndexAny(name, "<?"); j >= 0 {
				name = name[:j]
			}
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// openAPIDocument builds the document for a site at baseURL.
func openAPIDocument(baseURL string) obj {
	paths := obj{}
	for _, op := range apiOperations {
		responses := obj{}
		for status, schema := range op.Responses {
			desc := "OK"
			if !strings.HasPrefix(status, "2") {
				desc = "Error"
			}
			responses[status] = obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
		}
		o := obj{"operationId": op.ID, "summary": op.Summary, "responses": responses}
		if len(op.Params) > 0 {
			o["parameters"] = op.Params
		}
		if op.Body != nil {
			o["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": op.Body}}}
		}
		if op.Write {
			o["security"] = []obj{{"bearerAuth": []string{"write"}}}
		} else {
			o["security"] = []obj{}
		}
		path := openAPIPath(apiPrefix + op.Path)
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		item[strings.ToLower(op.Method)] = o
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "Interop Hub API",
			"version":     "1",
			"description": "The public catalogue of interoperability solutions, standards, good practices and courses. Reads are open to all (CORS); writes need a personal API token of scope write, created on the account page, and go through the same moderation workflow as the web forms. Errors are {\"error\":{\"code\",\"message\"}}.",
		},
		"servers": []obj{{"url": baseURL}},
		"paths":   paths,
		"components": obj{
			"schemas": apiSchemas(),
			"securitySchemes": obj{"bearerAuth": obj{
				"type": "http", "scheme": "bearer", "bearerFormat": "ih_ token",
				"description": "A personal API token (Authorization: Bearer ih_...). Scope read or write.",
			}},
		},
	}
}

// apiOpenAPI is GET /api/v1/openapi.json.
func (s *server) apiOpenAPI(c *fiber.Ctx) error {
	data, err := json.Marshal(openAPIDocument(s.baseURL))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(data)
}
