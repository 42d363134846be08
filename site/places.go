package site

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"

	"talaash"
)

// Place is one gazetteer entry a phone can share as its location.
type Place struct {
	Key, En, Hi string
	Loc         talaash.Location
}

// Name is the place's name in lang.
func (p Place) Name(lang string) string {
	if lang == "hi" && p.Hi != "" {
		return p.Hi
	}
	return p.En
}

// ReadPlaces reads a gazetteer CSV (key, name_en, name_hi, lat, lon, ...),
// sorted by English name; rows without coordinates are left out, since they
// cannot be shared as a location.
func ReadPlaces(r io.Reader) ([]Place, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Place
	for i, row := range rows {
		if i == 0 && len(row) > 0 && strings.EqualFold(strings.TrimSpace(row[0]), "key") {
			continue
		}
		if len(row) < 5 {
			continue
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(row[3]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(row[4]), 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Place{Key: strings.TrimSpace(row[0]), En: strings.TrimSpace(row[1]), Hi: strings.TrimSpace(row[2]),
			Loc: talaash.Location{Lat: lat, Lon: lon}})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].En < out[j].En })
	return out, nil
}

// Find returns the place with key.
func Find(places []Place, key string) (Place, bool) {
	for _, p := range places {
		if p.Key == key {
			return p, true
		}
	}
	return Place{}, false
}
