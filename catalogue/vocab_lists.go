package catalogue

// The authority lists the hub accepts for spatial coverage, languages,
// licences and statuses. Countries and languages are ISO codes mapped to the
// EU Publications Office authority tables; licences are SPDX identifiers.

// countryCodes: the EU, its member states, the EEA and candidate countries,
// and the other countries whose practices the catalogue describes.
var countryCodes = []string{
	"EU",
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
	"IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
	"IS", "LI", "NO", "CH", "GB", "FO", "AL", "BA", "ME", "MK", "RS", "UA", "MD", "GE", "TR",
	"US", "CA", "AU", "NZ", "JP", "KR", "SG", "IN", "BR", "VN",
}

// languageCodes: the 24 official EU languages, Vietnamese and other
// languages public services in the catalogue are offered in.
var languageCodes = []string{
	"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt",
	"lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
	"vi", "no", "nb", "nn", "is", "fo", "se", "ru", "uk", "ca", "eu", "gl", "cy", "lb", "tr",
}

type licence struct{ id, name string }

// licences: the SPDX licences public-sector software and specifications
// are commonly published under.
var licences = []licence{
	{"AGPL-3.0-only", "GNU Affero General Public License v3.0 only"},
	{"AGPL-3.0-or-later", "GNU Affero General Public License v3.0 or later"},
	{"Apache-2.0", "Apache License 2.0"},
	{"BSD-2-Clause", "BSD 2-Clause \"Simplified\" License"},
	{"BSD-3-Clause", "BSD 3-Clause \"New\" or \"Revised\" License"},
	{"CC-BY-4.0", "Creative Commons Attribution 4.0 International"},
	{"CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0 International"},
	{"CC0-1.0", "Creative Commons Zero v1.0 Universal"},
	{"EPL-2.0", "Eclipse Public License 2.0"},
	{"EUPL-1.1", "European Union Public License 1.1"},
	{"EUPL-1.2", "European Union Public License 1.2"},
	{"GPL-2.0-only", "GNU General Public License v2.0 only"},
	{"GPL-2.0-or-later", "GNU General Public License v2.0 or later"},
	{"GPL-3.0-only", "GNU General Public License v3.0 only"},
	{"GPL-3.0-or-later", "GNU General Public License v3.0 or later"},
	{"LGPL-2.1-only", "GNU Lesser General Public License v2.1 only"},
	{"LGPL-2.1-or-later", "GNU Lesser General Public License v2.1 or later"},
	{"LGPL-3.0-only", "GNU Lesser General Public License v3.0 only"},
	{"MIT", "MIT License"},
	{"MPL-2.0", "Mozilla Public License 2.0"},
	{"OGL-UK-3.0", "Open Government Licence v3.0"},
}

type status struct{ code, uriName, label string }

// statuses: the ADMS status vocabulary.
var statuses = []status{
	{"under-development", "UnderDevelopment", "Under development"},
	{"completed", "Completed", "Completed"},
	{"deprecated", "Deprecated", "Deprecated"},
	{"withdrawn", "Withdrawn", "Withdrawn"},
}
