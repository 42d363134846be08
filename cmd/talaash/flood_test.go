package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash/bot/twilio/twiliotest"
)

// TestSlowClientFlood: while hundreds of connections send their headers a
// byte at a time and reconnect when closed (more than the connection limit
// the program is given), /healthz and signed Twilio webhooks, each on a new
// connection, are still answered within a bound, and the program's open
// files stay bounded by the limit rather than by the flood.
func TestSlowClientFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program under a flood")
	}
	const (
		slow     = 300
		maxConns = 64
		probes   = 20
		bound    = 5 * time.Second // Twilio waits 15 s; a loaded machine under -race takes a second
	)
	db := filepath.Join(t.TempDir(), "talaash.db")
	env := map[string]string{
		"TALAASH_DB": db, "TALAASH_SIMULATOR": "off", "TALAASH_MAX_CONNS": strconv.Itoa(maxConns),
		"TWILIO_ACCOUNT_SID": e2eAccount, "TWILIO_AUTH_TOKEN": e2eToken, "TWILIO_FROM": e2eFrom,
		"TWILIO_API_URL": "http://127.0.0.1:9",
	}
	logs := &lockedBuffer{}
	c := startChild(t, env, logs)

	// The flood: each connection sends a request line and then headers that
	// never end, a byte every 100 ms, and comes back when it is closed.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var dials, cut atomic.Int64
	for range slow {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				conn, err := net.DialTimeout("tcp", c.addr, time.Second)
				if err != nil {
					time.Sleep(50 * time.Millisecond)
					continue
				}
				dials.Add(1)
				msg := "POST /twilio/sms HTTP/1.1\r\nHost: " + c.addr + "\r\nX-Slow: " + strings.Repeat("a", 1000)
				for i := 0; i < len(msg); i++ {
					if _, err := conn.Write([]byte{msg[i]}); err != nil {
						cut.Add(1)
						break
					}
					select {
					case <-stop:
						conn.Close()
						return
					case <-time.After(100 * time.Millisecond):
					}
				}
				conn.Close()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	// Let the flood fill the limit.
	waitFor(t, "the flood to be connected", 10*time.Second, func() bool { return dials.Load() >= slow })
	time.Sleep(500 * time.Millisecond)

	// Real traffic, each request on a new connection as a provider's is.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var health, hooks []time.Duration
	for i := range probes {
		t0 := time.Now()
		resp, err := client.Get("http://" + c.addr + "/healthz")
		if err != nil {
			t.Fatalf("healthz %d under the flood: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz %d under the flood: %d", i, resp.StatusCode)
		}
		health = append(health, time.Since(t0))

		form := url.Values{"MessageSid": {fmt.Sprintf("SM%032d", 500+i)}, "AccountSid": {e2eAccount},
			"From": {fmt.Sprintf("+9195%08d", i)}, "To": {e2eFrom}, "Body": {"Seen boy about 8 yrs red shirt at Kanpur Central"}}
		target := "http://" + c.addr + "/twilio/sms"
		req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", twiliotest.Sign(e2eToken, target, form))
		t0 = time.Now()
		resp, err = client.Do(req)
		if err != nil {
			t.Fatalf("webhook %d under the flood: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Message>") {
			t.Fatalf("webhook %d under the flood: %d %q", i, resp.StatusCode, body)
		}
		hooks = append(hooks, time.Since(t0))
	}
	fds := -1
	if ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", c.cmd.Process.Pid)); err == nil {
		fds = len(ents)
	}
	metricsText := get(t, "http://"+c.addr+"/metrics")
	slices.Sort(health)
	slices.Sort(hooks)
	t.Logf("%d slow connections (%d connects, %d cut by the program) against a limit of %d: /healthz p50 %v max %v, "+
		"signed webhooks p50 %v max %v, %d open files in the program; %s",
		slow, dials.Load(), cut.Load(), maxConns, health[len(health)/2].Round(time.Millisecond), health[len(health)-1].Round(time.Millisecond),
		hooks[len(hooks)/2].Round(time.Millisecond), hooks[len(hooks)-1].Round(time.Millisecond), fds, metricLine(metricsText, "talaash_http_connections_shed_total"))
	if health[len(health)-1] > bound || hooks[len(hooks)-1] > bound {
		t.Errorf("answers took up to %v (healthz) and %v (webhooks), want under %v", health[len(health)-1], hooks[len(hooks)-1], bound)
	}
	if fds > maxConns+64 {
		t.Errorf("%d open files with a limit of %d connections", fds, maxConns)
	}
	if cut.Load() == 0 {
		t.Error("no slow connection was closed: the flood did not reach the limit")
	}
}

// get fetches url and returns the body of a 200.
func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

// metricLine is the first line of a Prometheus text that starts with name.
func metricLine(text, name string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, name) {
			return l
		}
	}
	return name + " absent"
}
