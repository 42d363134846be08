package locales

import _ "embed"

// Places is the Kanpur gazetteer (key, name_en, name_hi, lat, lon, kind,
// aliases), the default when TALAASH_PLACES names no other: a deployment
// must resolve place names from its first message, with no file to find.
//
//go:embed places/kanpur.csv
var Places []byte

// PlacesName names the embedded gazetteer in the startup log.
const PlacesName = "embedded Kanpur gazetteer"
