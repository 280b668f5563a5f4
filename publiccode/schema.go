package publiccode

// keyRule describes a key the standard defines. A deprecated key carries
// the warning it raises and its fix.
type keyRule struct {
	deprecated string
	fix        string
}

var known = keyRule{}

func deprecated(msg, fix string) keyRule { return keyRule{deprecated: msg, fix: fix} }

// topKeys are the top-level keys of publiccode.yml 0.1 to 0.7.
var topKeys = map[string]keyRule{
	"publiccodeYmlVersion": known,
	"publiccode-yml-version": deprecated("publiccode-yml-version is the old spelling of publiccodeYmlVersion (before 0.2); its value is used.",
		"Rename the key to publiccodeYmlVersion."),
	"name":              known,
	"applicationSuite":  known,
	"url":               known,
	"landingURL":        known,
	"isBasedOn":         known,
	"softwareVersion":   known,
	"releaseDate":       known,
	"logo":              known,
	"monochromeLogo":    deprecated("monochromeLogo is deprecated since 0.4; it is ignored.", "Remove monochromeLogo; logo is enough."),
	"inputTypes":        deprecated("inputTypes is deprecated since 0.4; it is ignored.", "Remove inputTypes."),
	"outputTypes":       deprecated("outputTypes is deprecated since 0.4; it is ignored.", "Remove outputTypes."),
	"platforms":         known,
	"categories":        known,
	"tags":              deprecated("tags is the pre-0.2 name of categories; its values are read as categories.", "Rename the key to categories."),
	"usedBy":            known,
	"fundedBy":          known,
	"roadmap":           known,
	"developmentStatus": known,
	"softwareType":      known,
	"intendedAudience":  known,
	"description":       known,
	"legal":             known,
	"maintenance":       known,
	"localisation":      known,
	"dependsOn":         known,
	"organisation":      known,
	"it":                known,
	"IT":                known,
}

// descriptionKeys are the keys of description.<lang>.
var descriptionKeys = map[string]keyRule{
	"localisedName":    known,
	"genericName":      deprecated("genericName is deprecated since 0.4; it is kept as a keyword.", "When moving to version 0.4, remove genericName and list the same word under categories."),
	"shortDescription": known,
	"longDescription":  known,
	"documentation":    known,
	"apiDocumentation": known,
	"features":         known,
	"screenshots":      known,
	"videos":           known,
	"awards":           known,
	"freeTags":         deprecated("freeTags is deprecated since 0.2; its values are kept as keywords.", "Remove freeTags and list the words under categories."),
}

var legalKeys = map[string]keyRule{
	"license":            known,
	"mainCopyrightOwner": known,
	"repoOwner":          known,
	"authorsFile":        deprecated("authorsFile is deprecated since 0.4; it is ignored.", "Remove authorsFile."),
}

var maintenanceKeys = map[string]keyRule{
	"type":        known,
	"contractors": known,
	"contacts":    known,
}

var contactKeys = map[string]keyRule{
	"name":        known,
	"email":       known,
	"phone":       known,
	"affiliation": known,
}

var contractorKeys = map[string]keyRule{
	"name":    known,
	"until":   known,
	"email":   known,
	"website": known,
}

var localisationKeys = map[string]keyRule{
	"localisationReady":  known,
	"availableLanguages": known,
}

var audienceKeys = map[string]keyRule{
	"countries":            known,
	"unsupportedCountries": known,
	"scope":                known,
	"onlyFor":              deprecated("onlyFor is the pre-0.2 name of countries; its values are read as countries.", "Rename the key to countries."),
}

var dependsOnKeys = map[string]keyRule{
	"open":        known,
	"proprietary": known,
	"hardware":    known,
}

var dependencyKeys = map[string]keyRule{
	"name":       known,
	"versionMin": known,
	"versionMax": known,
	"version":    known,
	"optional":   known,
}

// organisationKeys are the keys of organisation (0.5) and of fundedBy items.
var organisationKeys = map[string]keyRule{
	"name": known,
	"uri":  known,
}
