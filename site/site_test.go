package site_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"talaash"
	"talaash/locales"
	"talaash/site"
)

func serve(t *testing.T, cfg site.Config) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	site.New(cfg).Routes(mux)
	return mux
}

func get(mux http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	return w
}

var devanagari = regexp.MustCompile(`[\x{0900}-\x{097F}]{3,}`)

// Every page offers both languages and says the same in each: the Hindi
// pages in Devanagari, with the page's own lang attribute.
func TestPagesInBothLanguages(t *testing.T) {
	places, err := site.ReadPlaces(bytes.NewReader(locales.Places))
	if err != nil || len(places) < 10 {
		t.Fatalf("places: %d, %v", len(places), err)
	}
	mux := serve(t, site.Config{Simulator: true, Places: places})
	for _, c := range []struct {
		path  string
		lang  string
		wants []string
	}{
		{"/?lang=en", "en", []string{"web.home.about1", "web.home.about2", "web.home.sim", "web.home.desk"}},
		{"/?lang=hi", "hi", []string{"web.home.about1", "web.home.about2", "web.home.sim", "web.home.desk"}},
		{"/sim?lang=en", "en", []string{"web.sim.title", "web.sim.samples", "web.sim.phone.parent", "web.sim.phone.bystander", "web.sim.phone.police", "web.sim.phone.child", "web.sim.test"}},
		{"/sim?lang=hi", "hi", []string{"web.sim.title", "web.sim.samples", "web.sim.phone.parent", "web.sim.phone.bystander", "web.sim.phone.police", "web.sim.phone.child", "web.sim.test"}},
	} {
		w := get(mux, c.path)
		body := w.Body.String()
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s", c.path, w.Code, w.Header().Get("Content-Type"))
			continue
		}
		if !strings.Contains(body, `<html lang="`+c.lang+`">`) {
			t.Errorf("%s: no lang=%s", c.path, c.lang)
		}
		for _, id := range c.wants {
			if want := template(locales.Render(c.lang, id, nil)); !strings.Contains(body, want) {
				t.Errorf("%s: %s (%q) missing", c.path, id, want)
			}
		}
		if c.lang == "hi" && len(devanagari.FindAllString(body, -1)) < 10 {
			t.Errorf("%s: hardly any Devanagari", c.path)
		}
		// Works with no internet: nothing is loaded from elsewhere.
		if m := regexp.MustCompile(`(src|href)="(https?:)?//`).FindString(body); m != "" {
			t.Errorf("%s loads from another site: %s", c.path, m)
		}
		t.Logf("%s: %d bytes", c.path, len(body))
	}
	// The switch links to the other language.
	if body := get(mux, "/?lang=en").Body.String(); !strings.Contains(body, `href="/?lang=hi"`) {
		t.Error("the English home page does not link to the Hindi one")
	}
	if body := get(mux, "/sim?lang=hi").Body.String(); !strings.Contains(body, `href="/sim?lang=en"`) ||
		!strings.Contains(body, "कानपुर सेंट्रल स्टेशन") {
		t.Error("the Hindi simulator lacks the English link or the places' Hindi names")
	}
}

// template escapes s as html/template writes text.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestLanguageChoice(t *testing.T) {
	mux := serve(t, site.Config{})
	if w := get(mux, "/", "Accept-Language", "hi-IN,hi;q=0.9,en;q=0.8"); !strings.Contains(w.Body.String(), `lang="hi"`) {
		t.Error("a Hindi browser gets no Hindi page")
	}
	w := get(mux, "/?lang=hi")
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].Value != "hi" {
		t.Fatalf("cookies %v", c)
	}
	if w := get(mux, "/", "Cookie", "lang=hi"); !strings.Contains(w.Body.String(), `<html lang="hi">`) {
		t.Error("the chosen language is not remembered")
	}
	if w := get(mux, "/?lang=xx"); !strings.Contains(w.Body.String(), `<html lang="en">`) {
		t.Error("an unknown language is not English")
	}
}

func TestSimulatorOff(t *testing.T) {
	mux := serve(t, site.Config{Simulator: false})
	for _, lang := range []string{"en", "hi"} {
		w := get(mux, "/sim?lang="+lang)
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), template(locales.Render(lang, "web.sim.off", nil))) {
			t.Errorf("/sim off (%s): %d", lang, w.Code)
		}
		home := get(mux, "/?lang="+lang).Body.String()
		if strings.Contains(home, `href="/sim`) || !strings.Contains(home, template(locales.Render(lang, "web.home.sim.off", nil))) {
			t.Errorf("home (%s) links to a simulator that is off", lang)
		}
	}
	r := httptest.NewRequest("POST", "/sim/api/samples", nil)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	if w.Code != http.StatusNotFound && w.Code != http.StatusMethodNotAllowed {
		t.Errorf("samples with the simulator off: %d", w.Code)
	}
}

func TestAssetsEmbedded(t *testing.T) {
	mux := serve(t, site.Config{Simulator: true})
	for _, p := range []string{"/static/site.css", "/static/sim.js"} {
		w := get(mux, p)
		if w.Code != 200 || w.Body.Len() < 500 {
			t.Errorf("%s: %d, %d bytes", p, w.Code, w.Body.Len())
		}
		t.Logf("%s: %d bytes", p, w.Body.Len())
	}
	if w := get(mux, "/nothing"); w.Code != http.StatusNotFound {
		t.Errorf("/nothing: %d", w.Code)
	}
}

func TestSamplesAnswerInTheLanguage(t *testing.T) {
	mux := serve(t, site.Config{Simulator: true, Samples: func(context.Context) (int, error) { return 12, nil }})
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("POST", "/sim/api/samples?lang=en", strings.NewReader("{}")))
	if w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("samples loaded by a plain form post: %d", w.Code)
	}
	r := httptest.NewRequest("POST", "/sim/api/samples?lang=hi", nil)
	r.Header.Set("Content-Type", "application/json")
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "12") || !devanagari.MatchString(w.Body.String()) {
		t.Errorf("samples: %d %s", w.Code, w.Body)
	}
	mux = serve(t, site.Config{Simulator: true, Samples: func(context.Context) (int, error) {
		return 0, talaash.Errorf(talaash.EINTERNAL, "disk full at /secret/path")
	}})
	w = httptest.NewRecorder()
	r = httptest.NewRequest("POST", "/sim/api/samples?lang=en", nil)
	r.Header.Set("Content-Type", "application/json")
	mux.ServeHTTP(w, r)
	if w.Code != 500 || strings.Contains(w.Body.String(), "secret") || !strings.Contains(w.Body.String(), "try again") {
		t.Errorf("failed samples: %d %s", w.Code, w.Body)
	}
}

func TestSampleIsValid(t *testing.T) {
	n := 0
	for _, line := range bytes.Split(bytes.TrimSpace(site.Sample), []byte("\n")) {
		n++
		if !bytes.Contains(line, []byte(`"ref": "SIM-`)) {
			t.Errorf("sample line %d has no SIM- ref", n)
		}
	}
	if n != 12 {
		t.Errorf("%d sample records", n)
	}
}
