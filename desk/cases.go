package desk

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"talaash"
	"talaash/alerts"
)

type candRow struct {
	Other, Missing, Sighting string
	Chance                   string
	Reasons                  string
	State                    string // alert state, "" if never alerted
}

type caseView struct {
	R          *talaash.Record
	Rows       []fieldRow
	History    []talaash.Event
	Candidates []candRow
	Photos     []int
	Active     bool
}

// casePage shows one record, its history and its candidates with their
// reasons; the view goes into the access log.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request, v *visitor) {
	ref := strings.TrimSpace(r.URL.Query().Get("ref"))
	var d caseView
	err := s.DB.Update(func(tx talaash.Tx) error {
		var err error
		if d, err = s.caseData(tx, v, ref); err != nil {
			return err
		}
		return s.audit(tx, v, "view", [2]string{d.R.Ref, "desk"})
	})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "case", &page{Lang: v.Lang, Officer: v, Data: d})
}

func (s *Server) caseData(tx talaash.Tx, v *visitor, ref string) (caseView, error) {
	var d caseView
	if ref == "" {
		return d, talaash.Errorf(talaash.ENOTFOUND, "no ref")
	}
	rec, err := tx.Record(ref)
	if err != nil {
		return d, err
	}
	d.R, d.History, d.Active = rec, rec.History, rec.Status.Active()
	for _, f := range fieldOrder {
		if t := fieldText(v.Lang, rec.Fields(talaash.DateTime), f); t != "" {
			d.Rows = append(d.Rows, fieldRow{Label: label(v.Lang, f), A: t})
		}
	}
	for i := range rec.Photos {
		d.Photos = append(d.Photos, i)
	}
	list, err := tx.Candidates(rec.Ref)
	if err != nil {
		return d, err
	}
	for _, c := range list {
		row := candRow{Other: c.Sighting, Missing: c.Missing, Sighting: c.Sighting, Chance: alerts.Chance(c.Score)}
		if talaash.CanonicalRef(c.Sighting) == talaash.CanonicalRef(rec.Ref) {
			row.Other = c.Missing
		}
		var rs []string
		for _, x := range c.Reasons {
			rs = append(rs, x.In(v.Lang))
		}
		row.Reasons = strings.Join(rs, "; ")
		if a, err := tx.Alert(c.Missing, c.Sighting); err == nil {
			row.State = a.State
		}
		d.Candidates = append(d.Candidates, row)
	}
	return d, nil
}

// finish marks a case reunited or closes it with a reason, as the chat's
// commands do; a second submit finds it closed and changes nothing.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, v *visitor) {
	ref := strings.TrimSpace(r.PostFormValue("ref"))
	action := r.PostFormValue("action")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	back := link{"/desk/case?ref=" + urlq(ref), "desk.link.case"}
	switch {
	case ref == "" || (action != "reunited" && action != "close"):
		s.render(w, r, http.StatusBadRequest, "message", &page{Lang: v.Lang, Officer: v, Err: "desk.err.form", Data: back})
		return
	case action == "close" && reason == "":
		s.render(w, r, http.StatusBadRequest, "message", &page{Lang: v.Lang, Officer: v, Err: "desk.err.reason", Data: back})
		return
	case len([]rune(reason)) > 300:
		s.render(w, r, http.StatusBadRequest, "message", &page{Lang: v.Lang, Officer: v, Err: "desk.err.too_long", Data: back})
		return
	}
	var note, msg string
	err := s.DB.Update(func(tx talaash.Tx) error {
		if fresh, err := tx.UseNonce(r.PostFormValue("nonce"), s.now()); err != nil || !fresh {
			msg = "desk.msg.already_sent"
			return nil
		}
		if _, err := tx.Record(ref); err != nil {
			return err
		}
		out, err := s.Alerts.Act(tx, v.Officer, action, ref, reason, false)
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
	s.render(w, r, http.StatusOK, "message", &page{Lang: v.Lang, Officer: v, Msg: msg, Note: note, Data: back})
}

// foundForm is what the found-child form holds, kept to show it again.
type foundForm struct {
	Name, Gender, Age, Complexion, Clothes, Marks, Place, Time, Station, Text string
}

func (s *Server) foundPage(w http.ResponseWriter, r *http.Request, v *visitor) {
	f := foundForm{Station: v.Account.Station, Time: s.now().In(talaash.IST).Format("2006-01-02T15:04")}
	s.render(w, r, http.StatusOK, "found", &page{Lang: v.Lang, Officer: v, Data: f})
}

// MaxPhoto is the largest photo the found form takes.
const MaxPhoto = 5 << 20

// found records a child found alone, with an optional photo, and matches it
// at once (alerts as from the chat). A form sent twice makes one record.
func (s *Server) found(w http.ResponseWriter, r *http.Request, v *visitor) {
	get := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := foundForm{Name: get("name"), Gender: get("gender"), Age: get("age"), Complexion: get("complexion"), Clothes: get("clothes"),
		Marks: get("marks"), Place: get("place"), Time: get("time"), Station: get("station"), Text: get("text")}
	again := func(code int, msg string) {
		s.render(w, r, code, "found", &page{Lang: v.Lang, Officer: v, Err: msg, Data: f})
	}
	rec := &talaash.Record{Kind: talaash.KindFound, Language: v.Lang, Name: f.Name, Gender: f.Gender, Complex: f.Complexion,
		Clothes: f.Clothes, Marks: f.Marks, Place: f.Place, Station: f.Station, Text: f.Text}
	for _, x := range []string{f.Name, f.Complexion, f.Clothes, f.Marks, f.Place, f.Station, f.Text} {
		if len([]rune(x)) > 500 {
			again(http.StatusBadRequest, "desk.err.too_long")
			return
		}
	}
	if f.Age != "" {
		a, ok := number(f.Age)
		if !ok || a < 0 || a > talaash.MaxAge+talaash.EstimateSlack {
			again(http.StatusBadRequest, "desk.err.age")
			return
		}
		rec.Age = &a
	}
	if f.Gender != "" && f.Gender != "male" && f.Gender != "female" {
		again(http.StatusBadRequest, "desk.err.form")
		return
	}
	if f.Time == "" {
		rec.Time = s.now()
	} else if t, err := time.ParseInLocation("2006-01-02T15:04", f.Time, talaash.IST); err != nil || t.After(s.now().Add(time.Hour)) {
		again(http.StatusBadRequest, "desk.err.time")
		return
	} else {
		rec.Time = t
	}
	if f.Clothes == "" && f.Marks == "" && f.Name == "" && f.Text == "" {
		again(http.StatusBadRequest, "desk.err.found_empty")
		return
	}
	if err := rec.Validate(); err != nil {
		again(http.StatusBadRequest, "desk.err.form")
		return
	}
	photo, bad := s.savePhoto(r)
	if bad != "" {
		again(http.StatusBadRequest, bad)
		return
	}
	if photo != "" {
		rec.Photos = []string{"desk:" + photo}
	}
	var msg string
	err := s.DB.Update(func(tx talaash.Tx) error {
		if fresh, err := tx.UseNonce(r.PostFormValue("nonce"), s.now()); err != nil || !fresh {
			msg = "desk.msg.already_sent"
			return nil
		}
		if err := s.Save(tx, rec); err != nil {
			return err
		}
		s.kickOnCommit(tx)
		return s.audit(tx, v, "record", [2]string{rec.Ref, "found"})
	})
	if err != nil || msg != "" {
		if photo != "" {
			os.Remove(filepath.Join(s.PhotoDir, photo))
		}
	}
	if err != nil {
		if talaash.ErrorCode(err) == talaash.EINVALID {
			again(http.StatusBadRequest, "desk.err.form")
			return
		}
		s.fail(w, r, v.Lang, err)
		return
	}
	if msg != "" {
		s.render(w, r, http.StatusOK, "message", &page{Lang: v.Lang, Officer: v, Msg: msg})
		return
	}
	s.log().Info("desk found record", "ref", rec.Ref)
	http.Redirect(w, r, "/desk/case?ref="+urlq(rec.Ref)+"&saved=1", http.StatusSeeOther)
}

// savePhoto keeps an uploaded JPEG or PNG under PhotoDir with a random name;
// "" if none was sent, or a message id.
func (s *Server) savePhoto(r *http.Request) (string, string) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["photo"]) == 0 {
		return "", ""
	}
	fh := r.MultipartForm.File["photo"][0]
	if fh.Size == 0 {
		return "", ""
	}
	if fh.Size > MaxPhoto {
		return "", "desk.err.photo_size"
	}
	f, err := fh.Open()
	if err != nil {
		return "", "desk.err.photo"
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxPhoto+1))
	if err != nil || len(b) > MaxPhoto {
		return "", "desk.err.photo_size"
	}
	ext := ""
	switch http.DetectContentType(b) {
	case "image/jpeg":
		ext = ".jpg"
	case "image/png":
		ext = ".png"
	default:
		return "", "desk.err.photo"
	}
	if err := os.MkdirAll(s.PhotoDir, 0o700); err != nil {
		s.log().Error("desk photo folder", "err", err)
		return "", "desk.err.internal"
	}
	name := token() + ext
	if err := os.WriteFile(filepath.Join(s.PhotoDir, name), b, 0o600); err != nil {
		s.log().Error("desk photo", "err", err)
		return "", "desk.err.internal"
	}
	return name, ""
}
