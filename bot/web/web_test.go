package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"talaash"
	"talaash/bot/web"
)

// echo is a core that answers each message with what it got.
type echo struct{ got []talaash.Inbound }

func (e *echo) Handle(ctx context.Context, in talaash.Inbound) ([]talaash.Outbound, error) {
	e.got = append(e.got, in)
	if in.Text == "bad" {
		return nil, talaash.Errorf(talaash.EINVALID, "inbound message without channel or sender")
	}
	return []talaash.Outbound{{Channel: in.Channel, To: in.Sender, Text: "नमस्ते " + in.Text,
		Choices: []talaash.Choice{{Label: "Yes", Data: "y"}}, Inline: true}}, nil
}

func setup(t *testing.T) (*echo, *web.Adapter, *httptest.Server, string) {
	t.Helper()
	core := &echo{}
	dir := t.TempDir()
	a := web.New(core, web.Config{PhotoDir: dir, Place: func(key string) (talaash.Location, string, bool) {
		return talaash.Location{Lat: 26.45, Lon: 80.35}, "Kanpur Central", key == "kanpur-central"
	}})
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return core, a, srv, dir
}

func post(t *testing.T, srv *httptest.Server, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/sim/api/send", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func messages(t *testing.T, srv *httptest.Server, after string) []web.Message {
	t.Helper()
	resp, err := http.Get(srv.URL + "/sim/api/messages?after=" + after)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []web.Message
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestChannelsAreTestChannels(t *testing.T) {
	var a talaash.Adapter = web.New(&echo{}, web.Config{})
	chs := a.Channels()
	if len(chs) != 2 || !chs[0].Caps.Test || !chs[1].Caps.Test || !chs[0].Caps.Buttons || !chs[1].Caps.SMS() {
		t.Errorf("channels %+v", chs)
	}
}

func TestSendTranslates(t *testing.T) {
	core, _, srv, _ := setup(t)
	if code, body := post(t, srv, `{"role":"bystander","text":"seen boy","place":"kanpur-central","lang":"hi"}`); code != 204 {
		t.Fatalf("%d %s", code, body)
	}
	in := core.got[0]
	if in.Channel != web.ChannelSMS || in.Sender != "+919000000001" || in.Text != "seen boy" || in.Location == nil || in.LangHint != "hi" || in.ID == "" {
		t.Errorf("inbound %+v", in)
	}
	post(t, srv, `{"role":"parent","callback":"y","label":"Yes","contact":true}`)
	in = core.got[1]
	if in.Channel != web.ChannelChat || in.Callback != "y" || in.Contact == nil || in.Contact.Phone == "" || in.ID == core.got[0].ID {
		t.Errorf("inbound %+v", in)
	}
	msgs := messages(t, srv, "0")
	if len(msgs) != 4 {
		t.Fatalf("messages %+v", msgs)
	}
	if !msgs[0].Mine || !strings.Contains(msgs[0].Text, "Kanpur Central") || msgs[0].Encoding != "GSM-7" {
		t.Errorf("the bystander's own message %+v", msgs[0])
	}
	if msgs[1].Mine || msgs[1].Role != "bystander" || msgs[1].Encoding != "UCS-2" || msgs[1].Parts != 1 {
		t.Errorf("the SMS reply %+v", msgs[1])
	}
	if msgs[3].Encoding != "" || len(msgs[3].Choices) != 1 || !msgs[3].Inline || msgs[2].Text != "Yes\n📞 +919000000003" {
		t.Errorf("the chat reply %+v / %+v", msgs[2], msgs[3])
	}
	if got := messages(t, srv, "3"); len(got) != 1 || got[0].Seq != 4 {
		t.Errorf("after 3: %+v", got)
	}
}

func TestBadInputIsAClearMessage(t *testing.T) {
	_, _, srv, _ := setup(t)
	for _, body := range []string{`{"role":"mayor","text":"hi"}`, `{`, `{"role":"parent","place":"atlantis"}`,
		`{"role":"parent","photo":"../../etc/passwd"}`, `{"role":"parent","text":"bad"}`} {
		code, out := post(t, srv, body)
		var e struct{ Error string }
		if code != 400 || json.Unmarshal([]byte(out), &e) != nil || e.Error == "" || strings.Contains(out, "goroutine") {
			t.Errorf("%s: %d %s", body, code, out)
		}
	}
}

func TestSendTakesJSONOnly(t *testing.T) {
	core, _, srv, _ := setup(t)
	resp, err := http.Post(srv.URL+"/sim/api/send", "text/plain", strings.NewReader(`{"role":"parent","text":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType || len(core.got) != 0 {
		t.Errorf("a plain-text post: %d, %d messages to the core", resp.StatusCode, len(core.got))
	}
}

func TestSenderQueuesForThePhone(t *testing.T) {
	_, a, srv, _ := setup(t)
	if _, err := a.Send(context.Background(), talaash.Outbound{Channel: web.ChannelChat, To: "sim-police", Text: "alert", Photos: []string{"web:x", "https://example/p.jpg"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Send(context.Background(), talaash.Outbound{Channel: web.ChannelSMS, To: "+919812345678", Text: "x"}); talaash.ErrorCode(err) != talaash.ESTOPPED {
		t.Errorf("a message to no simulator phone: %v", err)
	}
	msgs := messages(t, srv, "0")
	if len(msgs) != 1 || msgs[0].Role != "police" || msgs[0].Photos[0] != "/sim/photo/x" {
		t.Errorf("%+v", msgs)
	}
}

func TestPhotoUpload(t *testing.T) {
	core, a, srv, dir := setup(t)
	upload := func(content []byte) (int, map[string]string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("photo", "child.png")
		fw.Write(content)
		mw.Close()
		resp, err := http.Post(srv.URL+"/sim/api/photo", mw.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]string
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	code, out := upload(png)
	if code != 200 || out["id"] == "" {
		t.Fatalf("%d %v", code, out)
	}
	if _, err := os.Stat(dir + "/" + out["id"]); err != nil {
		t.Error(err)
	}
	post(t, srv, `{"role":"parent","photo":"`+out["id"]+`"}`)
	if p := core.got[0].Photos; len(p) != 1 || p[0] != web.PhotoPrefix+out["id"] {
		t.Errorf("photos %v", p)
	}
	resp, err := http.Get(srv.URL + out["url"])
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("photo: %v %v", err, resp.StatusCode)
	}
	resp.Body.Close()
	// The desk reads it by the record's photo.
	if b, err := a.Photo(context.Background(), web.PhotoPrefix+out["id"]); !bytes.Equal(b, png) || err != nil {
		t.Errorf("Photo: %d bytes, %v", len(b), err)
	}
	for _, bad := range []string{out["id"], web.PhotoPrefix + "../../etc/passwd", web.PhotoPrefix + strings.Repeat("0", 32) + ".img"} {
		if _, err := a.Photo(context.Background(), bad); err == nil {
			t.Errorf("Photo(%q) gave a file", bad)
		}
	}
	if code, out := upload([]byte("#!/bin/sh\nrm -rf /\n")); code != 400 || out["error"] == "" {
		t.Errorf("a script as a photo: %d %v", code, out)
	}
}
