package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of a load test, so that a typo cannot run one for ever or without
// limit of memory (every latency is kept to compute the percentiles).
const (
	loadMaxCount       = 1_000_000
	loadMaxDuration    = 10 * time.Minute
	loadMaxConcurrency = 1024
	loadRequestTimeout = 15 * time.Second // Twilio's own wait for a webhook
)

// loadConfig is one load test: signed Twilio SMS webhooks to URL + /twilio/sms.
type loadConfig struct {
	URL         string // the service's public base URL (what Twilio signs)
	Token       string // TWILIO_AUTH_TOKEN
	Account     string // TWILIO_ACCOUNT_SID, sent as AccountSid
	To          string // TWILIO_FROM, sent as To
	Body        string // the text of every message
	Concurrency int
	Count       int           // stop after this many requests (0: by duration)
	Duration    time.Duration // stop after this long (0: by count)
	AllowRemote bool
}

// loadResult is what a load test measured.
type loadResult struct {
	Requests   int            `json:"requests"`
	OK         int            `json:"ok"`               // answered 200
	Status     map[string]int `json:"status,omitempty"` // other HTTP statuses, by code
	Errors     int            `json:"errors"`           // no HTTP answer at all
	FirstError string         `json:"first_error,omitempty"`
	Seconds    float64        `json:"seconds"`
	PerSecond  float64        `json:"per_second"` // 200s a second
	P50ms      float64        `json:"p50_ms"`
	P90ms      float64        `json:"p90_ms"`
	P99ms      float64        `json:"p99_ms"`
	MaxMs      float64        `json:"max_ms"`
}

func (m *Main) runLoadtest(ctx context.Context, args []string) error {
	fs := m.flags("loadtest")
	cfg := loadConfig{URL: m.Config.Public(), Token: m.Config.TwilioAuthToken, Account: m.Config.TwilioAccountSID, To: m.Config.TwilioFrom}
	fs.StringVar(&cfg.URL, "url", cfg.URL, "public base `URL` of the running talaash (env TALAASH_PUBLIC_URL)")
	fs.IntVar(&cfg.Concurrency, "concurrency", 32, "concurrent senders")
	fs.IntVar(&cfg.Count, "count", 0, fmt.Sprintf("stop after `N` requests (at most %d)", loadMaxCount))
	fs.DurationVar(&cfg.Duration, "duration", 0, fmt.Sprintf("stop after this long (default 10s without --count; at most %s)", loadMaxDuration))
	fs.StringVar(&cfg.Body, "body", "hi", "`text` of every message")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow a URL that is not on this machine")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"loadtest takes no arguments"}
	}
	if cfg.Count == 0 && cfg.Duration == 0 {
		cfg.Duration = 10 * time.Second
	}
	if err := cfg.check(); err != nil {
		return err
	}
	res, err := runLoad(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(m.Stdout).Encode(res)
	}
	fmt.Fprintf(m.Stdout, "requests %d in %.2fs at concurrency %d: %d ok, %d errors",
		res.Requests, res.Seconds, cfg.Concurrency, res.OK, res.Errors)
	codes := make([]string, 0, len(res.Status))
	for c := range res.Status {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Fprintf(m.Stdout, ", %d answered %s", res.Status[c], c)
	}
	fmt.Fprintf(m.Stdout, "\nthroughput %.0f/s  latency p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n",
		res.PerSecond, res.P50ms, res.P90ms, res.P99ms, res.MaxMs)
	if res.FirstError != "" {
		fmt.Fprintf(m.Stdout, "first error: %s\n", res.FirstError)
	}
	return nil
}

// check validates the bounds and refuses a target off this machine unless
// AllowRemote: a load test aimed at a real service by mistake would flood it.
func (c *loadConfig) check() error {
	switch {
	case c.Token == "":
		return usageError{"loadtest signs webhooks with TWILIO_AUTH_TOKEN, which is not set"}
	case c.Concurrency < 1 || c.Concurrency > loadMaxConcurrency:
		return usageError{fmt.Sprintf("--concurrency must be 1 to %d", loadMaxConcurrency)}
	case c.Count < 0 || c.Count > loadMaxCount:
		return usageError{fmt.Sprintf("--count must be 0 to %d", loadMaxCount)}
	case c.Duration < 0 || c.Duration > loadMaxDuration:
		return usageError{fmt.Sprintf("--duration must be at most %s", loadMaxDuration)}
	case c.Count == 0 && c.Duration == 0:
		return usageError{"loadtest needs --count or --duration"}
	}
	c.URL = strings.TrimRight(c.URL, "/")
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError{fmt.Sprintf("--url %q is not an http(s) URL", c.URL)}
	}
	if !c.AllowRemote && !loopbackHost(u.Hostname()) {
		return usageError{fmt.Sprintf("--url %s is not on this machine; add --allow-remote if you mean it", u.Host)}
	}
	return nil
}

// loopbackHost reports whether host is a loopback address or localhost,
// without resolving names (a name could resolve anywhere).
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// runLoad sends signed webhooks from Concurrency workers until Count requests
// are sent or Duration has passed, whichever comes first. Every message has
// its own sender and MessageSid, both new for this run, so the service does
// real turns rather than answering retries, and no sender meets the
// per-sender rate limit.
func runLoad(ctx context.Context, c loadConfig) (loadResult, error) {
	if err := c.check(); err != nil {
		return loadResult{}, err
	}
	limit := c.Count
	if limit == 0 {
		limit = loadMaxCount
	}
	var runID [8]byte
	if _, err := rand.Read(runID[:]); err != nil {
		return loadResult{}, err
	}
	run := hex.EncodeToString(runID[:])
	// Senders +91 6xxxxxxxxx from a random start, distinct within the run.
	base := mrand.Uint64N(1_000_000_000 - loadMaxCount)

	if c.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Duration)
		defer cancel()
	}
	target := c.URL + "/twilio/sms"
	client := &http.Client{
		Timeout: loadRequestTimeout,
		Transport: &http.Transport{
			MaxIdleConns:        c.Concurrency,
			MaxIdleConnsPerHost: c.Concurrency,
			IdleConnTimeout:     30 * time.Second,
		},
	}
	defer client.CloseIdleConnections()

	var (
		next    atomic.Int64
		mu      sync.Mutex
		res     = loadResult{Status: map[string]int{}}
		lat     = make([]time.Duration, 0, min(limit, 100_000))
		wg      sync.WaitGroup
		started = time.Now()
	)
	for w := 0; w < c.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= limit {
					return
				}
				sid := fmt.Sprintf("SM%s%016x", run, i)
				form := url.Values{
					"MessageSid": {sid}, "AccountSid": {c.Account}, "From": {fmt.Sprintf("+916%09d", base+uint64(i))},
					"To": {c.To}, "Body": {c.Body}, "NumMedia": {"0"},
				}
				t0 := time.Now()
				status, err := post(ctx, client, target, c.Token, form)
				d := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					return // the run ended while this request waited: not the service's fault
				}
				mu.Lock()
				res.Requests++
				switch {
				case err != nil:
					res.Errors++
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
				case status == http.StatusOK:
					res.OK++
					lat = append(lat, d)
				default:
					res.Status[fmt.Sprint(status)]++
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(started)
	res.Seconds = elapsed.Seconds()
	res.PerSecond = float64(res.OK) / elapsed.Seconds()
	slices.Sort(lat)
	res.P50ms, res.P90ms, res.P99ms = ms(quantile(lat, 0.50)), ms(quantile(lat, 0.90)), ms(quantile(lat, 0.99))
	if len(lat) > 0 {
		res.MaxMs = ms(lat[len(lat)-1])
	}
	return res, nil
}

// post sends one signed webhook and reads the whole answer.
func post(ctx context.Context, client *http.Client, target, token string, form url.Values) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilioSignature(token, target, form))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// twilioSignature is X-Twilio-Signature as Twilio documents it:
// base64(HMAC-SHA1(token, URL followed by each field's name and value, names
// sorted)).
func twilioSignature(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	mac := hmac.New(sha1.New, []byte(token))
	io.WriteString(mac, fullURL)
	for _, k := range keys {
		vals := slices.Clone(form[k])
		sort.Strings(vals)
		for _, v := range vals {
			io.WriteString(mac, k)
			io.WriteString(mac, v)
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// quantile of sorted latencies, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
