package main

// Browser tests: the simulator in headless Chromium, driven with chromedp,
// against the real program on a temp database. Without a browser they skip,
// except under CI=true, where they fail: CI installs Chromium (scripts/test).

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talaash/police"

	"talaash"

	"github.com/chromedp/chromedp"
)

// browserPath finds Chromium or Chrome: $CHROME, else the usual names.
func browserPath() string {
	if p := os.Getenv("CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// noBrowser fails under CI and skips elsewhere.
func noBrowser(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("no browser can be started (CI=true: scripts/test installs the Debian package chromium): %s", why)
	}
	t.Skipf("no browser (install the Debian package chromium, or run scripts/test): %s", why)
}

// browser starts headless Chromium with a fresh profile and no network
// chatter (this machine has no internet); the context ends with the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := browserPath()
	if path == "" {
		noBrowser(t, "chromium not found")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1500, 1000),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, tcancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { tcancel(); cancel(); acancel() })
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil {
		noBrowser(t, err.Error())
	}
	t.Logf("browser started in %v", time.Since(start).Round(time.Millisecond))
	return ctx
}

// screenshot saves the whole page under the test's temp dir.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("screenshot %s (%d KB)", p, len(buf)>>10)
	// TALAASH_SCREENSHOTS keeps a copy past the test, for people to look at.
	if dir := os.Getenv("TALAASH_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, t.Name()+"-"+name), buf, 0o644)
	}
}

// phone drives one of the simulator's phones.
type phone struct {
	t    *testing.T
	ctx  context.Context
	role string
}

func (p phone) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		screenshot(p.t, p.ctx, "failed.png")
		p.t.Fatalf("%s phone: %s: %v", p.role, what, err)
	}
}

// botSays is the XPath of the phone's last message from Talaash containing text.
func (p phone) botSays(text string) string {
	return fmt.Sprintf(`(//section[@id="phone-%s"]//li[contains(@class,"bot")][contains(., %q)])[last()]`, p.role, text)
}

// see waits for a message from Talaash containing text.
func (p phone) see(text string) {
	p.t.Helper()
	p.run("waiting for "+text, chromedp.WaitVisible(p.botSays(text)))
}

// press presses the last button labelled label.
func (p phone) press(label string) {
	p.t.Helper()
	sel := fmt.Sprintf(`(//section[@id="phone-%s"]//button[contains(@class,"choice")][normalize-space()=%q])[last()]`, p.role, label)
	p.run("pressing "+label, chromedp.WaitVisible(sel), chromedp.Click(sel))
}

// write types text and sends it.
func (p phone) write(text string) {
	p.t.Helper()
	in := chromedp.CSS(fmt.Sprintf(`#phone-%s input.text`, p.role))
	p.run("writing "+text, chromedp.SetValue(in, text), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#phone-%s button.send`, p.role))))
}

// pick shares a place from the phone's list of the gazetteer's places.
func (p phone) pick(key string) {
	p.t.Helper()
	js := fmt.Sprintf(`(function(){var s=document.querySelector("#phone-%s select.place"); s.value=%q; s.dispatchEvent(new Event("change")); return s.value === "";})()`, p.role, key)
	p.eval("sharing "+key, js)
}

// text is what the XPath's element says.
func (p phone) text(xpath string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(xpath))
	if err != nil {
		p.t.Fatalf("%s phone: reading %s: %v", p.role, xpath, err)
	}
	return s
}

// eval runs a script in the page and returns its number (or 0).
func (p phone) eval(what, js string) float64 {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](js))
	if err != nil {
		p.t.Fatalf("%s phone: %s: %v", p.role, what, err)
	}
	n, _ := v.(float64)
	return n
}

// A 1x1 PNG, the photo a parent attaches.
var pixel, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

// The whole path on the simulator: a parent reports on the chat phone by
// pressing buttons, with a photo and a place; a bystander sends one matching
// SMS; the police phone gets the alert, and an officer confirms it at the
// desk, where it shows with its TEST badge and the parent's photo; the police
// phone hears who decided; the parent hears of a possible match with no
// place, number or photo.
func TestBrowserReportSightingAlertConfirm(t *testing.T) {
	ctx := browser(t)
	s := startSim(t, nil, nil)
	// An officer's invitation, for the desk.
	var code string
	if err := s.m.DB.Update(func(tx talaash.Tx) (err error) {
		_, code, err = s.m.Police.Invite(tx, police.Invitation{Name: "SI Verma", Station: "Kotwali", By: "cli"}, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	parent := phone{t, ctx, "parent"}
	bystander := phone{t, ctx, "bystander"}
	police := phone{t, ctx, "police"}
	parent.run("opening the simulator", chromedp.Navigate(s.url+"/sim?lang=en"), chromedp.WaitVisible(chromedp.CSS("#phone-child")))

	parent.write("hello")
	parent.see("Choose your language")
	parent.press("English")
	parent.see("How can we help")
	parent.press("Report a missing child")
	parent.see("name?")
	parent.write("Raju")
	parent.see("How old")
	parent.write("8")
	parent.see("boy or a girl")
	parent.press("Boy")
	parent.see("complexion")
	parent.press("Wheatish")
	parent.see("How tall")
	parent.press("Skip")
	parent.see("wearing")
	parent.write("red shirt, blue jeans")
	parent.see("recognise")
	parent.write("mole on left cheek")
	parent.see("last seen?")
	parent.press("📍 Share location")
	parent.pick("kanpur-central")
	parent.see("When was")
	parent.press("Today")
	parent.see("photo")
	photo := filepath.Join(t.TempDir(), "raju.png")
	os.WriteFile(photo, pixel, 0o644)
	parent.run("attaching a photo", chromedp.SetUploadFiles(chromedp.CSS(`#phone-parent input.file`), []string{photo}))
	parent.see("Your name")
	parent.write("Sunita")
	parent.see("mobile number")
	parent.press("📞 Share my number")
	parent.see("Is this correct")
	parent.press("Confirm")
	parent.see("Reference:")
	reported := time.Since(start)

	bystander.write("Seen boy about 8 yrs red shirt blue jeans mole on left cheek at Kanpur Central")
	bystander.see("saved as")
	if parts := bystander.text(bystander.botSays("saved as") + `//div[@class="parts"]`); !strings.Contains(parts, "GSM-7") || !strings.Contains(parts, "1 part") {
		t.Errorf("the bystander's reply shows %q, want its encoding and parts", parts)
	}

	police.see("Possible match")
	alert := police.text(police.botSays("Possible match"))
	if !strings.Contains(alert, "Raju") || !strings.Contains(alert, "TEST") {
		t.Errorf("alert on the police phone: %q", alert)
	}
	if police.eval("counting the alert's photos", `document.querySelectorAll("#phone-police li.bot img.photo").length`) == 0 {
		t.Error("the police phone shows no photo of the reported child")
	}
	// The same alert at the desk, in a second tab: an officer's first login,
	// the pair side by side with the parent's photo, Confirm pressed there.
	dctx, dcancel := chromedp.NewContext(ctx)
	defer dcancel()
	desk := phone{t, dctx, "desk"}
	desk.run("first login at the desk",
		chromedp.Navigate(s.url+"/desk/setup"),
		chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, code),
		chromedp.SendKeys(`#login`, "verma"),
		chromedp.SendKeys(`#password`, "a long desk password"),
		chromedp.SendKeys(`#password2`, "a long desk password"),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#alerts span.test`),
		chromedp.Click(`a.open-alert`),
		chromedp.WaitVisible(`#pair`),
	)
	if pair := desk.text(`#pair`); !strings.Contains(pair, "Raju") || !strings.Contains(pair, "TEST") {
		t.Errorf("the desk's side-by-side view: %q", pair)
	}
	// The parent's 1x1 photo itself, not the 160-pixel card shown for one
	// the desk cannot fetch.
	photos := `Array.from(document.querySelectorAll("#pair img")).filter(i => i.complete && i.naturalWidth == 1).length`
	desk.run("waiting for the photo", chromedp.Poll[chromedp.Void](photos+" > 0", chromedp.WithPollingTimeout(10*time.Second)))
	desk.run("pressing Confirm", chromedp.Click(`#confirm`), chromedp.WaitVisible(`#note`))
	screenshot(t, dctx, "desk-confirmed.png")
	police.see("confirmed the match")

	parent.see("possible match")
	notice := parent.text(parent.botSays("possible match"))
	for _, secret := range []string{"Kanpur", "Central", "+91", "9000000001", "Seen boy", "26.45"} {
		if strings.Contains(notice, secret) {
			t.Errorf("the parent's notice gives away %q: %q", secret, notice)
		}
	}
	if n := parent.eval("counting photos", `document.querySelectorAll("#phone-parent li.bot img").length`); n != 0 {
		t.Errorf("the parent's phone shows %v photos from Talaash", n)
	}
	t.Logf("report %v, whole path %v", reported.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	screenshot(t, ctx, "sim.png")
	if logs := s.logs.String(); strings.Contains(logs, "9000000003") || strings.Contains(logs, "Sunita") {
		t.Error("the logs carry the parent's number or name")
	}
}

// The home page in Hindi renders Devanagari and leads to the simulator,
// where the sample cases' alerts reach the police phone with a TEST badge.
func TestBrowserHomeInHindiAndSamples(t *testing.T) {
	ctx := browser(t)
	s := startSim(t, nil, nil)
	start := time.Now()
	p := phone{t, ctx, "police"}
	p.run("opening the home page", chromedp.Navigate(s.url+"/?lang=hi"))
	home := p.text(`//main`)
	if !strings.Contains(home, "तलाश लापता बच्चों") {
		t.Errorf("Hindi home page: %q", home)
	}
	screenshot(t, ctx, "home-hi.png")
	p.run("following the link", chromedp.Click(chromedp.CSS("#to-sim")), chromedp.WaitVisible(chromedp.CSS("#samples")),
		chromedp.Click(chromedp.CSS("#samples")))
	p.run("waiting for the samples", chromedp.WaitVisible(`//span[@id="status"][contains(., "12")]`))
	p.see("SIM-")
	// A phone's own language switch: the bystander's SMS thread in Hindi.
	by := phone{t, ctx, "bystander"}
	by.run("switching to Hindi", chromedp.Click(chromedp.CSS("#phone-bystander button.lang-hi")))
	by.see("मदद")
	if parts := by.text(by.botSays("मदद") + `//div[@class="parts"]`); !strings.Contains(parts, "UCS-2") {
		t.Errorf("a Hindi SMS shows %q, want UCS-2", parts)
	}
	if p.eval("counting badges", `document.querySelectorAll("#phone-police li.bot .badge").length`) == 0 {
		t.Error("no TEST badge on the police phone's alerts")
	}
	var buf bytes.Buffer
	buf.WriteString(p.text(p.botSays("SIM-")))
	if !strings.Contains(buf.String(), "टेस्ट") {
		t.Errorf("the badge is not in Hindi: %q", buf.String())
	}
	t.Logf("home to sample alerts %v", time.Since(start).Round(time.Millisecond))
	screenshot(t, ctx, "sim-samples-hi.png")
}
