package desk

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/alerts"
)

var reDevanagari = regexp.MustCompile(`[\x{0900}-\x{097F}]`)

func TestNoSessionNoRecords(t *testing.T) {
	e := setup(t)
	b := e.browser()
	for _, p := range []string{"/desk", "/desk/", "/desk/case?ref=" + e.m.Ref, "/desk/alert?m=" + e.m.Ref + "&s=" + e.s.Ref,
		"/desk/cases?q=Ramesh", "/desk/figures", "/desk/found", "/desk/photo?ref=" + e.m.Ref + "&i=0"} {
		st, body, h := b.get(p)
		if st != http.StatusSeeOther || h.Get("Location") != "/desk/login" {
			t.Errorf("GET %s without a session: %d to %q, want 303 to /desk/login", p, st, h.Get("Location"))
		}
		if strings.Contains(body, "Ramesh") || strings.Contains(body, e.m.Ref) {
			t.Errorf("GET %s without a session shows record data", p)
		}
	}
	st, body, _ := b.post("/desk/review", url.Values{"m": {e.m.Ref}, "s": {e.s.Ref}, "decision": {"confirm"}})
	if st != http.StatusForbidden || strings.Contains(body, "Ramesh") {
		t.Errorf("POST /desk/review without a session: %d", st)
	}
	if got := e.alertState(); got != talaash.AlertPending {
		t.Errorf("alert %s after a POST without a session, want pending", got)
	}
	if len(e.audits(e.m.Ref)) != 0 {
		t.Errorf("access log of %s has entries though nobody logged in", e.m.Ref)
	}
}

func TestLoginWrongPasswordAndLimits(t *testing.T) {
	e := setup(t)
	e.enrolled("verma", "en")
	b := e.browser()
	_, page, _ := b.get("/desk/login")
	csrf, _ := hidden(page)
	st, body, h := b.post("/desk/login", url.Values{"csrf": {csrf}, "login": {"verma"}, "password": {"wrong password!"}})
	if st != http.StatusUnauthorized || !strings.Contains(body, "Wrong login name or password") {
		t.Fatalf("wrong password: %d", st)
	}
	if c := h.Values("Set-Cookie"); strings.Contains(strings.Join(c, ";"), cookieSession+"=") {
		t.Errorf("a wrong password set a session cookie: %v", c)
	}
	if st, _, _ := b.get("/desk"); st != http.StatusSeeOther {
		t.Errorf("after a wrong password /desk answers %d, want a redirect to the login", st)
	}
	// Without the form's token the login is refused even with the right password.
	if st, _, _ := b.post("/desk/login", url.Values{"login": {"verma"}, "password": {password}}); st != http.StatusForbidden {
		t.Errorf("login without CSRF token: %d, want 403", st)
	}
	for i := 1; i < MaxPerAccount; i++ {
		b.post("/desk/login", url.Values{"csrf": {csrf}, "login": {"verma"}, "password": {"wrong again!"}})
	}
	st, body, _ = b.post("/desk/login", url.Values{"csrf": {csrf}, "login": {"verma"}, "password": {password}})
	if st != http.StatusTooManyRequests || !strings.Contains(body, "Too many wrong tries") {
		t.Errorf("right password after %d wrong ones: %d, want 429", MaxPerAccount, st)
	}
	// In Hindi the refusal is in Devanagari.
	hb := e.browser()
	_, page, _ = hb.get("/desk/login?lang=hi")
	csrf, _ = hidden(page)
	_, body, _ = hb.post("/desk/login", url.Values{"csrf": {csrf}, "login": {"singh"}, "password": {"nope nope nope"}})
	if !strings.Contains(body, "लॉगिन नाम या पासवर्ड ग़लत है") {
		t.Errorf("Hindi wrong-password page lacks its message:\n%s", body)
	}
}

func TestFirstLoginOnceAndPairView(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := setup(t)
			code := e.invite("SI Verma")
			b := e.browser()
			_, page, _ := b.get("/desk/setup?lang=" + lang)
			csrf, _ := hidden(page)
			form := url.Values{"csrf": {csrf}, "code": {code}, "login": {"verma"}, "password": {password}, "password2": {password}}
			if st, body, _ := b.post("/desk/setup", form); st != http.StatusSeeOther {
				t.Fatalf("setup: %d %s", st, body)
			}
			st, body, _ := b.get("/desk")
			if st != http.StatusOK || !strings.Contains(body, e.m.Ref) || !strings.Contains(body, "SI Verma") {
				t.Fatalf("alert list: %d\n%s", st, body)
			}
			if lang == "hi" && !reDevanagari.MatchString(body) {
				t.Error("Hindi alert list has no Devanagari")
			}
			st, body, _ = b.get("/desk/alert?m=" + url.QueryEscape(e.m.Ref) + "&s=" + url.QueryEscape(e.s.Ref))
			if st != http.StatusOK {
				t.Fatalf("pair: %d %s", st, body)
			}
			if m := has(body, "Ramesh Kumar", "रमेश", `class="agree"`, `class="differ"`, "red shirt, blue shorts", `id="confirm"`, `id="reject"`, ">"+chance()+"%<"); len(m) > 0 {
				t.Errorf("pair view lacks %q", m)
			}
			if lang == "hi" && !strings.Contains(body, "नाम मेल खाता है") {
				t.Error("Hindi pair view lacks the Hindi reason")
			}
			for _, ref := range []string{e.m.Ref, e.s.Ref} {
				if a := e.audits(ref); len(a) != 1 || a[0].Action != "view" || a[0].Officer != "desk:verma" {
					t.Errorf("access log of %s: %+v, want one view by desk:verma", ref, a)
				}
			}
			// The code made its desk account: a second setup with it is refused.
			o := e.browser()
			_, page, _ = o.get("/desk/setup")
			csrf, _ = hidden(page)
			form.Set("csrf", csrf)
			form.Set("login", "other")
			if st, body, _ := o.post("/desk/setup", form); st != http.StatusBadRequest || !strings.Contains(body, "error") {
				t.Errorf("second setup with one code: %d", st)
			}
		})
	}
}

func chance() string { return alerts.Chance(6.5) } // the chat alert's figure for the score

func TestConfirmOnceAndCSRF(t *testing.T) {
	e := setup(t)
	b := e.enrolled("verma", "en")
	_, page, _ := b.get("/desk/alert?m=" + url.QueryEscape(e.m.Ref) + "&s=" + url.QueryEscape(e.s.Ref))
	csrf, nonce := hidden(page)
	form := url.Values{"m": {e.m.Ref}, "s": {e.s.Ref}, "decision": {"confirm"}, "nonce": {nonce}}
	if st, _, _ := b.post("/desk/review", form); st != http.StatusForbidden {
		t.Errorf("review without CSRF token: %d, want 403", st)
	}
	wrong := "0"
	if csrf[0] == '0' { // a token may start with 0 itself: change it, not keep it
		wrong = "1"
	}
	form.Set("csrf", wrong+csrf[1:])
	if st, _, _ := b.post("/desk/review", form); st != http.StatusForbidden {
		t.Errorf("review with a wrong CSRF token: %d, want 403", st)
	}
	if got := e.alertState(); got != talaash.AlertPending || len(e.outbox()) != 0 {
		t.Fatalf("after refused posts: alert %s, %d queued", got, len(e.outbox()))
	}
	form.Set("csrf", csrf)
	st, body, _ := b.post("/desk/review", form)
	if st != http.StatusOK || e.alertState() != talaash.AlertConfirmed {
		t.Fatalf("confirm: %d, alert %s\n%s", st, e.alertState(), body)
	}
	queued := e.outbox()
	// Sent twice (a double click, a reload): nothing changes again.
	st, body, _ = b.post("/desk/review", form)
	if st != http.StatusOK || !strings.Contains(body, "sent already") {
		t.Errorf("second submit: %d\n%s", st, body)
	}
	// A stale form of the same page (another nonce) finds the alert decided.
	form.Set("nonce", "fresh-nonce")
	form.Set("decision", "reject")
	b.post("/desk/review", form)
	if got, n := e.alertState(), len(e.outbox()); got != talaash.AlertConfirmed || n != len(queued) {
		t.Errorf("after resubmits: alert %s, %d queued, want confirmed, %d", got, n, len(queued))
	}
	var parent *talaash.OutboxItem
	for _, it := range queued {
		if it.Msg.To == "555" {
			parent = it
		}
	}
	if parent == nil {
		t.Fatalf("no notice to the parent among %d queued", len(queued))
	}
	for _, bad := range []string{"Jhakarkati", "9898", "रमेश"} {
		if strings.Contains(parent.Msg.Text, bad) {
			t.Errorf("parent's notice carries %q: %s", bad, parent.Msg.Text)
		}
	}
	if len(parent.Msg.Photos) > 0 {
		t.Error("parent's notice carries a photo")
	}
	n := 0
	for _, a := range e.audits(e.m.Ref) {
		if a.Action == "confirm" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d confirm entries in the access log, want 1", n)
	}
}

func TestRevokeEndsSessions(t *testing.T) {
	e := setup(t)
	b := e.enrolled("verma", "en")
	if st, _, _ := b.get("/desk"); st != http.StatusOK {
		t.Fatalf("before revoke: %d", st)
	}
	e.update(func(tx talaash.Tx) error { return e.roster.Revoke(tx, talaash.ChannelDesk, "verma", "cli", e.clock()) })
	if st, _, h := b.get("/desk/case?ref=" + e.m.Ref); st != http.StatusSeeOther || h.Get("Location") != "/desk/login" {
		t.Errorf("after revoke: %d, want a redirect to the login", st)
	}
	// Nor can they log in again.
	lb := e.browser()
	_, page, _ := lb.get("/desk/login")
	csrf, _ := hidden(page)
	if st, _, _ := lb.post("/desk/login", url.Values{"csrf": {csrf}, "login": {"verma"}, "password": {password}}); st != http.StatusUnauthorized {
		t.Errorf("revoked officer's login: %d, want 401", st)
	}
}

func TestCasesSearchAndCasePage(t *testing.T) {
	e := setup(t)
	b := e.enrolled("verma", "hi")
	for q, want := range map[string]bool{"रमेश": true, "ramesh": true, "Rameesh": true, "suresh": false, e.m.Ref: true, "Central": true} {
		_, body, _ := b.get("/desk/cases?q=" + url.QueryEscape(q))
		if got := strings.Contains(body, "/desk/case?ref="+url.QueryEscape(e.m.Ref)); got != want {
			t.Errorf("search %q finds %s: %v, want %v", q, e.m.Ref, got, want)
		}
	}
	_, body, _ := b.get("/desk/cases?kind=sighting")
	if strings.Contains(body, "ref="+url.QueryEscape(e.m.Ref)+"\"") || !strings.Contains(body, url.QueryEscape(e.s.Ref)) {
		t.Error("kind filter")
	}
	st, body, _ := b.get("/desk/cases?from=12-06-2026")
	if st != http.StatusBadRequest || !strings.Contains(body, "YYYY-MM-DD") || !reDevanagari.MatchString(body) {
		t.Errorf("bad date: %d\n%s", st, body)
	}
	st, body, _ = b.get("/desk/case?ref=" + url.QueryEscape(e.m.Ref))
	if st != http.StatusOK || len(has(body, "Ramesh Kumar", `id="history"`, `id="reunited"`)) > 0 {
		t.Fatalf("case page: %d\n%s", st, body)
	}
	if st, body, _ := b.get("/desk/case?ref=NOPE-1"); st != http.StatusNotFound || strings.Contains(body, "goroutine") {
		t.Errorf("unknown case: %d", st)
	}
	csrf, nonce := hidden(body)
	form := url.Values{"csrf": {csrf}, "nonce": {nonce}, "ref": {e.m.Ref}, "action": {"close"}}
	if st, _, _ := b.post("/desk/finish", form); st != http.StatusBadRequest {
		t.Errorf("close without reason: %d, want 400", st)
	}
	form.Set("reason", "duplicate report")
	if st, _, _ := b.post("/desk/finish", form); st != http.StatusOK {
		t.Errorf("close: %d", st)
	}
	b.post("/desk/finish", form)
	var r *talaash.Record
	e.update(func(tx talaash.Tx) (err error) { r, err = tx.Record(e.m.Ref); return })
	closes := 0
	for _, h := range r.History {
		if h.To == talaash.StatusClosed {
			closes++
		}
	}
	if r.Status != talaash.StatusClosed || closes != 1 {
		t.Errorf("after two close submits: %s with %d closing events", r.Status, closes)
	}
	// The search's index follows changes: the closed case, and a record made after the first search.
	if _, body, _ := b.get("/desk/cases?status=closed"); !strings.Contains(body, url.QueryEscape(e.m.Ref)) {
		t.Error("the closed case is not found by status closed")
	}
	late := &talaash.Record{Kind: talaash.KindMissing, Name: "गुड्डू", Time: e.now, Place: "Kalyanpur"}
	e.update(func(tx talaash.Tx) error { return tx.PutRecord(late) })
	if _, body, _ := b.get("/desk/cases?q=guddu"); !strings.Contains(body, url.QueryEscape(late.Ref)) {
		t.Error("a record made after the first search is not found")
	}
}

func TestFoundChildOnce(t *testing.T) {
	e := setup(t)
	b := e.enrolled("verma", "en")
	_, page, _ := b.get("/desk/found")
	csrf, nonce := hidden(page)
	form := url.Values{"csrf": {csrf}, "nonce": {nonce}, "name": {"Ramu"}, "age": {"abc"}, "clothes": {"red shirt"}, "place": {"Kanpur Central"}}
	st, body, _ := b.post("/desk/found", form)
	if st != http.StatusBadRequest || !strings.Contains(body, "The age must be a number") || !strings.Contains(body, `value="red shirt"`) {
		t.Errorf("bad age: %d\n%s", st, body)
	}
	form.Set("age", "7")
	st, _, h := b.post("/desk/found", form)
	if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/desk/case?ref=") {
		t.Fatalf("found: %d %s", st, h.Get("Location"))
	}
	b.post("/desk/found", form)
	n := 0
	e.update(func(tx talaash.Tx) error {
		return tx.RecordsBy(talaash.KindFound, talaash.StatusOpen, func(*talaash.Record) error { n++; return nil })
	})
	if n != 1 {
		t.Errorf("%d found records after a double submit, want 1", n)
	}
	if st, body, _ := b.get("/desk/figures?lang=hi"); st != http.StatusOK || !strings.Contains(body, "<svg") || !reDevanagari.MatchString(body) {
		t.Errorf("figures: %d", st)
	}
}

func TestFold(t *testing.T) {
	for _, c := range [][2]string{{"Ramesh", "रमेश"}, {"Sita", "सीता"}, {"Rameesh", "ramesh"}, {"Anjali", "अंजलि"}} {
		if a, b := Fold(c[0]), Fold(c[1]); a != b {
			t.Errorf("Fold(%q) = %q, Fold(%q) = %q: want equal", c[0], a, c[1], b)
		}
	}
	if Fold("Anil") == Fold("Nil") {
		t.Error("a leading vowel is lost")
	}
}

// TestTestRecords: the simulator's records carry a TEST badge in the alert
// list, the side-by-side view, the search and the case page, and the figures
// and their chart leave them out.
func TestTestRecords(t *testing.T) {
	e := setup(t)
	month := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	tm := &talaash.Record{Kind: talaash.KindMissing, Name: "Test Child", Place: "Kanpur Central", Time: month, Created: month, Test: true,
		History: []talaash.Event{{At: month.Add(time.Hour), From: talaash.StatusOpen, To: talaash.StatusReunited}}}
	ts := &talaash.Record{Kind: talaash.KindSighting, Name: "Test Child", Place: "Kanpur Central", Time: month, Created: month, Test: true}
	e.update(func(tx talaash.Tx) error {
		for _, r := range []*talaash.Record{tm, ts} {
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return tx.PutAlert(&talaash.Alert{Missing: tm.Ref, Sighting: ts.Ref, Score: 6.5, State: talaash.AlertPending, Created: e.now})
	})
	b := e.enrolled("verma", "en")
	badge := `<span class="test"`
	_, body, _ := b.get("/desk")
	if strings.Count(body, badge) != 1 {
		t.Errorf("alert list: %d TEST badges, want 1 (the test pair's row only)\n%s", strings.Count(body, badge), body)
	}
	_, body, _ = b.get("/desk/alert?m=" + url.QueryEscape(tm.Ref) + "&s=" + url.QueryEscape(ts.Ref))
	if strings.Count(body, badge) != 2 {
		t.Errorf("side by side: %d TEST badges, want both records'", strings.Count(body, badge))
	}
	_, body, _ = b.get("/desk/cases?q=" + url.QueryEscape("Kanpur Central"))
	if strings.Count(body, badge) != 2 || !strings.Contains(body, url.QueryEscape(e.m.Ref)) {
		t.Errorf("search: %d TEST badges, want the 2 test records' and the real one without\n%s", strings.Count(body, badge), body)
	}
	_, body, _ = b.get("/desk/case?ref=" + url.QueryEscape(tm.Ref))
	if !strings.Contains(body, badge) || !strings.Contains(body, ">TEST<") {
		t.Error("test case page without its TEST badge")
	}
	_, body, _ = b.get("/desk/case?ref=" + url.QueryEscape(e.m.Ref))
	if strings.Contains(body, badge) {
		t.Error("a real case page carries the TEST badge")
	}
	// June: the test pair only (the real records were made on the real clock's
	// day): the chart's June bars are all zero and the month's row shows none.
	st, body, _ := b.get("/desk/figures")
	if st != http.StatusOK {
		t.Fatalf("figures: %d", st)
	}
	i := strings.Index(body, `class="chart"`)
	if i < 0 {
		t.Fatalf("figures without the chart:\n%s", body)
	}
	chart := body[i : i+strings.Index(body[i:], "</svg>")]
	if miss := has(chart, ">Reported missing<", ">Found<", ">Matched<", ">Reunited<"); len(miss) > 0 {
		t.Errorf("the chart's legend lacks %v", miss)
	}
	if n := strings.Count(chart, "<title>0</title>"); n != 48 {
		t.Errorf("chart: %d empty bars, want 4 for each of 12 months, all empty:\n%s", n, chart)
	}
}

// TestFoundChildWithPhoto: the found-child form sent with a PNG (multipart,
// as a browser sends it) makes a record whose case page shows the photo,
// served back as it was uploaded, and names the missing child whose report
// it matches as a candidate; a file that is no picture is refused and the
// form keeps what was typed.
func TestFoundChildWithPhoto(t *testing.T) {
	e := setup(t)
	missing := &talaash.Record{Kind: talaash.KindMissing, Name: "Chhotu", Clothes: "green kurta", Place: "Kalyanpur", Time: e.now.Add(-time.Hour), Language: "en"}
	e.update(func(tx talaash.Tx) error { return e.srv.Save(tx, missing) })
	b := e.enrolled("verma", "en")
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 8, 8)))
	send := func(file []byte) (int, string, string) {
		t.Helper()
		_, page, _ := b.get("/desk/found")
		csrf, nonce := hidden(page)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"csrf": csrf, "nonce": nonce, "clothes": "green kurta", "place": "Kalyanpur", "age": "6"} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("photo", "child.png")
		fw.Write(file)
		mw.Close()
		res, err := b.c.Post(e.web.URL+"/desk/found", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(out), res.Header.Get("Location")
	}
	if st, body, _ := send([]byte("#!/bin/sh\n")); st != http.StatusBadRequest || !strings.Contains(body, `value="green kurta"`) || !strings.Contains(body, `id="error"`) {
		t.Errorf("a script as the photo: %d\n%s", st, body)
	}
	st, _, loc := send(img.Bytes())
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/desk/case?ref=") {
		t.Fatalf("found with a photo: %d %q", st, loc)
	}
	_, body, _ := b.get(loc)
	ref := regexp.MustCompile(`<h1>([^ ]+) `).FindStringSubmatch(body)
	if ref == nil || len(has(body, `src="/desk/photo?ref=`+url.QueryEscape(ref[1])+`&amp;i=0"`, `href="/desk/case?ref=`+url.QueryEscape(missing.Ref)+`"`)) > 0 {
		t.Fatalf("case page of the found child lacks its photo or the missing child as a candidate:\n%s", body)
	}
	res, err := b.c.Get(e.web.URL + "/desk/photo?ref=" + url.QueryEscape(ref[1]) + "&i=0")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, img.Bytes()) {
		t.Errorf("the photo comes back as %s, %d bytes, want the %d uploaded", res.Header.Get("Content-Type"), len(got), img.Len())
	}
	if _, body, _ := b.get("/desk/case?ref=" + url.QueryEscape(missing.Ref)); !strings.Contains(body, `href="/desk/case?ref=`+url.QueryEscape(ref[1])+`"`) {
		t.Error("the missing child's case page does not list the found child as a candidate")
	}
	if n := len(e.audits(ref[1])); n < 3 {
		t.Errorf("%d access-log entries for the found child, want its recording and the views", n)
	}
}

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		"✅ SI Verma confirmed the match.\n📷 Photos follow: 1 of K-1.": "SI Verma confirmed the match.\nPhotos follow: 1 of K-1.",
		"❌ मिलान नहीं है":                                             "मिलान नहीं है",
		"👁️ SEEN ₹500":                                                "SEEN ₹500",
		"क्षत्रिय — no emoji":                                         "क्षत्रिय — no emoji",
	} {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q, want %q", in, got, want)
		}
	}
}
