package desk

import (
	"net/http"
	"strings"
	"time"
	"unicode"

	"talaash"
	"talaash/alerts"
	"talaash/locales"
)

// AlertPage is how many pending alerts the list shows at a time.
const AlertPage = 50

type alertRow struct {
	Missing, Sighting string
	Chance            string
	Hours             int
	Test              bool // the simulator's records
}

type alertList struct {
	Rows       []alertRow
	Total      int
	Page, Next int
	Prev       int
}

// alertList shows the pending alerts, oldest first: refs and chance only,
// so the list itself shows no personal data.
func (s *Server) alertList(w http.ResponseWriter, r *http.Request, v *visitor) {
	pg := pageNo(r)
	var d alertList
	err := s.DB.View(func(tx talaash.Tx) error {
		list, test, err := s.pending(tx)
		if err != nil {
			return err
		}
		d = alertPage(list, pg, s.now())
		for i := range d.Rows {
			d.Rows[i].Test = test[d.Rows[i].Missing] || test[d.Rows[i].Sighting]
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "alerts", &page{Lang: v.Lang, Officer: v, Data: d})
}

// pending is alerts.Service.Pending read through the summaries: the alerts
// no officer reviewed whose records are both still active, oldest first,
// without decoding two records per alert; and which refs are test records.
func (s *Server) pending(tx talaash.Tx) ([]*talaash.Alert, map[string]bool, error) {
	active, test := map[string]bool{}, map[string]bool{}
	var list []*talaash.Alert
	err := tx.AlertsByState(talaash.AlertPending, func(a *talaash.Alert) error {
		list = append(list, a)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = s.index.with(tx, func(_ []*entry, byRef map[string]*entry) {
		for _, a := range list {
			for _, ref := range []string{a.Missing, a.Sighting} {
				r := byRef[talaash.CanonicalRef(ref)]
				active[ref] = r != nil && r.s != nil && r.s.Status.Active()
				test[ref] = r != nil && r.s != nil && r.s.Test
			}
		}
	})
	var out []*talaash.Alert
	for _, a := range list {
		if active[a.Missing] && active[a.Sighting] {
			out = append(out, a)
		}
	}
	return out, test, err
}

func alertPage(list []*talaash.Alert, pg int, now time.Time) alertList {
	d := alertList{Total: len(list), Page: pg}
	for i := (pg - 1) * AlertPage; i < len(list) && i < pg*AlertPage; i++ {
		a := list[i]
		d.Rows = append(d.Rows, alertRow{Missing: a.Missing, Sighting: a.Sighting, Chance: alerts.Chance(a.Score), Hours: int(now.Sub(a.Created).Hours())})
	}
	if len(list) > pg*AlertPage {
		d.Next = pg + 1
	}
	d.Prev = pg - 1
	return d
}

// fieldRow is one line of the side-by-side view.
type fieldRow struct {
	Label, A, B string
	Verdict     string // agree | differ | blank | "" (not compared)
}

type pairView struct {
	Alert      *talaash.Alert
	M, S       *talaash.Record
	Rows       []fieldRow
	Reasons    []string
	Chance     string
	Pending    bool
	State      string
	MPhotos    []int
	SPhotos    []int
	ReviewedBy string
}

// compared are the fields where agreement says something about the child.
var compared = map[string]bool{"name": true, "gender": true, "age": true, "height": true, "complexion": true,
	"clothes": true, "marks": true, "place": true}

var fieldOrder = []string{"name", "gender", "age", "height", "complexion", "clothes", "marks", "place", "location",
	"time", "station", "safe", "text", "contact"}

// alertPage shows both records of a pair side by side; each view goes into
// the access log of both records.
func (s *Server) alertPage(w http.ResponseWriter, r *http.Request, v *visitor) {
	m, sg := strings.TrimSpace(r.URL.Query().Get("m")), strings.TrimSpace(r.URL.Query().Get("s"))
	var d pairView
	err := s.DB.Update(func(tx talaash.Tx) error {
		var err error
		if d, err = s.pair(tx, v, m, sg); err != nil {
			return err
		}
		return s.audit(tx, v, "view", [2]string{d.M.Ref, d.S.Ref}, [2]string{d.S.Ref, d.M.Ref})
	})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "pair", &page{Lang: v.Lang, Officer: v, Data: d})
}

func (s *Server) pair(tx talaash.Tx, v *visitor, m, sg string) (pairView, error) {
	var d pairView
	a, err := tx.Alert(m, sg)
	if err != nil {
		return d, err
	}
	if d.M, err = tx.Record(a.Missing); err != nil {
		return d, err
	}
	if d.S, err = tx.Record(a.Sighting); err != nil {
		return d, err
	}
	d.Alert, d.Chance, d.Pending, d.State = a, alerts.Chance(a.Score), a.State == talaash.AlertPending, a.State
	d.ReviewedBy = a.ByName
	d.Rows = sideBySide(v.Lang, d.M, d.S)
	for _, rs := range a.Reasons {
		if t := rs.In(v.Lang); t != "" {
			d.Reasons = append(d.Reasons, t)
		}
	}
	for i := range d.M.Photos {
		d.MPhotos = append(d.MPhotos, i)
	}
	for i := range d.S.Photos {
		d.SPhotos = append(d.SPhotos, i)
	}
	return d, nil
}

// sideBySide lists the fields of a and b, each marked agree, differ or
// blank (known on one side only).
func sideBySide(lang string, a, b *talaash.Record) []fieldRow {
	fa, fb := a.Fields(talaash.DateTime), b.Fields(talaash.DateTime)
	var rows []fieldRow
	for _, id := range fieldOrder {
		x, y := fieldText(lang, fa, id), fieldText(lang, fb, id)
		if x == "" && y == "" {
			continue
		}
		row := fieldRow{Label: label(lang, id), A: x, B: y}
		if compared[id] {
			row.Verdict = verdict(id, talaash.FieldValue(fa, id), talaash.FieldValue(fb, id))
		}
		rows = append(rows, row)
	}
	return rows
}

func verdict(id, x, y string) string {
	switch {
	case x == "" || y == "":
		return "blank"
	case id == "age":
		if overlap(x, y) {
			return "agree"
		}
		return "differ"
	}
	fx, fy := Fold(x), Fold(y)
	if fx == fy || (fx != "" && fy != "" && (strings.Contains(fx, fy) || strings.Contains(fy, fx))) {
		return "agree"
	}
	return "differ"
}

// overlap reports whether ages "8" and "7-9" can be the same child.
func overlap(x, y string) bool {
	lo1, hi1, ok1 := ageRange(x)
	lo2, hi2, ok2 := ageRange(y)
	return ok1 && ok2 && lo1 <= hi2 && lo2 <= hi1
}

func ageRange(s string) (lo, hi float64, ok bool) {
	a, b, two := strings.Cut(s, "-")
	lo, ok = number(a)
	if !ok {
		return 0, 0, false
	}
	hi = lo
	if two {
		if hi, ok = number(b); !ok {
			return 0, 0, false
		}
	}
	return lo, hi, true
}

func fieldText(lang string, fs []talaash.Field, id string) string {
	for _, f := range fs {
		if f.ID == id {
			if f.Code && locales.Has(lang, "desk.code."+f.Value) {
				return locales.Render(lang, "desk.code."+f.Value, nil)
			}
			return f.Value
		}
	}
	return ""
}

func label(lang, id string) string { return locales.Render(lang, "desk.field."+id, nil) }

// review is Confirm match / Not a match: the chat buttons' effects through
// alerts.Service.Act. A form sent twice (its nonce spent) changes nothing;
// a stale one finds the alert decided and says by whom.
func (s *Server) review(w http.ResponseWriter, r *http.Request, v *visitor) {
	m, sg := strings.TrimSpace(r.PostFormValue("m")), strings.TrimSpace(r.PostFormValue("s"))
	decision := r.PostFormValue("decision")
	if m == "" || sg == "" || (decision != "confirm" && decision != "reject") {
		s.render(w, r, http.StatusBadRequest, "message", &page{Lang: v.Lang, Officer: v, Err: "desk.err.form"})
		return
	}
	var note, msg string
	err := s.DB.Update(func(tx talaash.Tx) error {
		if fresh, err := tx.UseNonce(r.PostFormValue("nonce"), s.now()); err != nil || !fresh {
			msg = "desk.msg.already_sent"
			return nil
		}
		if _, err := tx.Alert(m, sg); err != nil {
			return err
		}
		out, err := s.Alerts.Act(tx, v.Officer, "review", talaash.PairRef(m, sg), "", decision == "confirm")
		if err != nil {
			return err
		}
		note = texts(out)
		s.kickOnCommit(tx)
		return nil
	})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "message", &page{Lang: v.Lang, Officer: v, Msg: msg, Note: note,
		Data: link{"/desk/alert?m=" + urlq(m) + "&s=" + urlq(sg), "desk.link.pair"}})
}

type link struct{ Href, Label string }

func texts(out []talaash.Outbound) string {
	var t []string
	for _, o := range out {
		t = append(t, plain(o.Text))
	}
	return strings.Join(t, "\n")
}

// plain drops the emoji a chat message carries (symbols and their
// variation selectors): the desk shows words, which any font can draw.
func plain(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.So, r) || r == 0xFE0F || (r >= 0x1F3FB && r <= 0x1F3FF) {
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}

func (s *Server) kickOnCommit(tx talaash.Tx) {
	if s.Kick != nil {
		tx.OnCommit(s.Kick)
	}
}

// audit writes one access-log line per [ref, detail].
func (s *Server) audit(tx talaash.Tx, v *visitor, action string, refs ...[2]string) error {
	for _, x := range refs {
		if err := tx.Audit(&talaash.AuditEntry{Officer: v.ID(), At: s.now().UTC(), Ref: x[0], Action: action, Detail: x[1]}); err != nil {
			return err
		}
	}
	return nil
}
