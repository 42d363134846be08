package desk

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"talaash"
	"talaash/locales"
	"talaash/stats"
)

type figureRow struct {
	Label                                    string
	Reported, Seen, Found, Matched, Reunited int
	Share, Median                            string
}

type figuresView struct {
	Rows  []figureRow
	Chart template.HTML
	Map   template.HTML
	Open  int
}

// figures shows the numbers police publish, a chart per month of the last
// year (both from package stats, so test records are left out) and a map of open cases and sightings, all drawn here as SVG.
func (s *Server) figures(w http.ResponseWriter, r *http.Request, v *visitor) {
	var d figuresView
	now := s.now()
	err := s.DB.View(func(tx talaash.Tx) error {
		rep, err := stats.Compute(tx, now, talaash.IST)
		if err != nil {
			return err
		}
		for _, p := range []struct {
			id string
			f  stats.Figures
		}{{"desk.fig.today", rep.Today}, {"desk.fig.month", rep.Month}, {"desk.fig.year", rep.Year}, {"desk.fig.all", rep.All}} {
			d.Rows = append(d.Rows, figureRow{Label: p.id, Reported: p.f.Reported, Seen: p.f.Seen, Found: p.f.Found,
				Matched: p.f.Matched, Reunited: p.f.Reunited, Share: p.f.ShareText(), Median: p.f.MedianText()})
		}
		var pts []point
		err = tx.EachSummary(func(x *talaash.RecordSummary) error {
			if x.Status.Active() && !x.Test {
				d.Open++
				if p, ok := s.locate(x); ok {
					pts = append(pts, p)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		d.Chart = chart(v.Lang, rep.MonthsFrom, rep.Months)
		d.Map = s.drawMap(pts)
		return nil
	})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "figures", &page{Lang: v.Lang, Officer: v, Data: d})
}

// series are the chart's bars of each month, in the table's words.
var series = []struct {
	label, color string
	n            func(stats.Figures) int
}{
	{"desk.fig.reported", "#c0392b", func(f stats.Figures) int { return f.Reported }},
	{"desk.fig.found", "#2980b9", func(f stats.Figures) int { return f.Found }},
	{"desk.fig.matched", "#e67e22", func(f stats.Figures) int { return f.Matched }},
	{"desk.fig.reunited", "#27ae60", func(f stats.Figures) int { return f.Reunited }},
}

// chart is a bar chart of each month from first: reported, found, matched
// and reunited side by side, with its legend in lang.
func chart(lang string, first time.Time, months []stats.Figures) template.HTML {
	const W, H, pad, legend = 720, 220, 30, 24
	top := 1
	for _, m := range months {
		for _, x := range series {
			top = max(top, x.n(m))
		}
	}
	names := strings.Split(locales.Render(lang, "desk.fig.months", nil), ",")
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="chart" role="img">`, W, H+pad+legend)
	for j, x := range series {
		lx := pad + j*(W-pad)/len(series)
		fmt.Fprintf(&b, `<rect x="%d" y="4" width="12" height="12" fill="%s"/><text x="%d" y="15" font-size="12">%s</text>`,
			lx, x.color, lx+16, template.HTMLEscapeString(locales.Render(lang, x.label, nil)))
	}
	slot := float64(W-pad) / float64(len(months))
	bar := (slot - 8) / float64(len(series))
	for i, m := range months {
		x0 := float64(pad) + float64(i)*slot
		for j, x := range series {
			n := x.n(m)
			h := float64(H-pad) * float64(n) / float64(top)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%d</title></rect>`,
				x0+4+float64(j)*bar, float64(H+legend)-h, bar-1, h, x.color, n)
		}
		mon := first.AddDate(0, i, 0)
		label := mon.Format("Jan")
		if k := int(mon.Month()) - 1; len(names) == 12 {
			label = strings.TrimSpace(names[k])
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>`, x0+slot/2, H+legend+16, template.HTMLEscapeString(label))
	}
	fmt.Fprintf(&b, `<text x="2" y="%d" font-size="11">%d</text><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/></svg>`,
		pad+legend, top, pad, H+legend, W, H+legend)
	return template.HTML(b.String())
}

type place struct {
	names    []string
	lat, lon float64
}

type point struct {
	lat, lon float64
	kind     talaash.Kind
}

// parsePlaces reads the gazetteer: key, English and Hindi names, lat, lon,
// kind, aliases separated by |.
func parsePlaces(b []byte) []place {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil
	}
	var out []place
	for i, r := range rows {
		if i == 0 || len(r) < 5 {
			continue
		}
		lat, e1 := strconv.ParseFloat(r[3], 64)
		lon, e2 := strconv.ParseFloat(r[4], 64)
		if e1 != nil || e2 != nil {
			continue
		}
		p := place{lat: lat, lon: lon}
		for _, n := range append([]string{r[0], r[1], r[2]}, strings.Split(get(r, 6), "|")...) {
			if f := Fold(n); f != "" {
				p.names = append(p.names, f)
			}
		}
		out = append(out, p)
	}
	return out
}

func get(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

// locate puts a record on the map: its shared location, else the gazetteer
// place its place names.
func (s *Server) locate(x *talaash.RecordSummary) (point, bool) {
	if x.Lat != nil && x.Lon != nil {
		return point{*x.Lat, *x.Lon, x.Kind}, true
	}
	if x.Place == "" {
		return point{}, false
	}
	f := Fold(x.Place)
	for _, p := range s.places {
		for _, n := range p.names {
			if n == f || (len(n) > 3 && strings.Contains(f, n)) {
				return point{p.lat, p.lon, x.Kind}, true
			}
		}
	}
	return point{}, false
}

// drawMap draws the gazetteer's places as grey dots and the open cases
// (red) and sightings and found children (blue) over them, in the box of
// the gazetteer.
func (s *Server) drawMap(pts []point) template.HTML {
	const W, H = 600, 500
	if len(s.places) == 0 {
		return ""
	}
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	for _, p := range s.places {
		minLat, maxLat = math.Min(minLat, p.lat), math.Max(maxLat, p.lat)
		minLon, maxLon = math.Min(minLon, p.lon), math.Max(maxLon, p.lon)
	}
	dLat, dLon := math.Max(maxLat-minLat, 0.01), math.Max(maxLon-minLon, 0.01)
	xy := func(lat, lon float64) (float64, float64) {
		return 20 + (lon-minLon)/dLon*(W-40), 20 + (maxLat-lat)/dLat*(H-40)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="map" role="img"><rect width="%d" height="%d" fill="#f4f1ea"/>`, W, H, W, H)
	for _, p := range s.places {
		x, y := xy(p.lat, p.lon)
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2" fill="#aaa"/>`, x, y)
	}
	// Many cases at one place make one dot sized by their count.
	type key struct {
		x, y int
		k    bool
	}
	count := map[key]int{}
	for _, p := range pts {
		if p.lat < minLat-dLat || p.lat > maxLat+dLat || p.lon < minLon-dLon || p.lon > maxLon+dLon {
			continue // outside the gazetteer's city
		}
		x, y := xy(math.Max(minLat, math.Min(maxLat, p.lat)), math.Max(minLon, math.Min(maxLon, p.lon)))
		count[key{int(x), int(y), p.kind == talaash.KindMissing}]++
	}
	for k, n := range count {
		c := "#2980b9"
		if k.k {
			c = "#c0392b"
		}
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%.1f" fill="%s" fill-opacity="0.6"><title>%d</title></circle>`, k.x, k.y, 3+2*math.Log1p(float64(n)), c, n)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
