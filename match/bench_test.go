package match

import (
	"flag"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"talaash"
)

var big = flag.Bool("match.big", false, "also run the 1,000,000-record benchmark")

// gen makes synthetic records quickly: every field is drawn from small
// lists by a hash of the record number, so records are reproducible and
// generation needs no shared state.
type gen struct {
	places []string
}

var (
	genColours  = []string{"red", "laal", "लाल", "blue", "neeli", "नीली", "green", "हरा", "black", "kali", "white", "सफेद", "yellow", "peela", "pink", "गुलाबी", "orange", "grey", "brown", "maroon"}
	genGarments = []string{"shirt", "kamiz", "कमीज़", "tshirt", "टी-शर्ट", "jeans", "जींस", "half pant", "निक्कर", "frock", "kurta", "sweater", "skirt", "chappal", "जूते", "cap", "salwar suit", "school uniform"}
	genMarks    = []string{"mole on left cheek", "बाएं गाल पर तिल", "burn mark on right hand", "dahine haath par jale ka nishan", "birthmark on left arm", "cut mark on right forehead", "limps", "stammers", "wears glasses", ""}
	genNames    = []string{"Ramesh", "रमेश", "Jyoti", "ज्योति", "Pooja", "Rahul", "राहुल", "Sita", "Aman", "Neha", "Golu", "मुस्कान", "Ayesha", "Imran", "Chhotu", "Priya"}
	genSurnames = []string{"Kumar", "Verma", "वर्मा", "Yadav", "Khan", "Gupta", "निषाद", "Pal", "Singh", ""}
)

func newGen(m *Matcher, seed uint64) *gen {
	g := &gen{}
	for _, p := range m.gaz.places {
		g.places = append(g.places, p.en, p.hi)
	}
	if len(g.places) == 0 {
		g.places = []string{"Kanpur"}
	}
	return g
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// record i; span is how many days the records spread over.
func (g *gen) record(i int, sighting bool) *talaash.Record {
	return g.recordSpan(i, sighting, 730)
}

func (g *gen) recordSpan(i int, sighting bool, days int) *talaash.Record {
	h := mix(uint64(i) + 1)
	pick := func(list []string) string {
		h = mix(h)
		return list[h%uint64(len(list))]
	}
	r := &talaash.Record{Ref: "G" + strconv.Itoa(i), Kind: talaash.KindMissing}
	if sighting {
		r.Ref = "S" + strconv.Itoa(i)
		r.Kind = talaash.KindSighting
	}
	h = mix(h)
	if h%2 == 0 {
		r.Gender = "male"
	} else {
		r.Gender = "female"
	}
	h = mix(h)
	r.Age = talaash.Num(float64(2 + h%16))
	r.Clothes = pick(genColours) + " " + pick(genGarments) + ", " + pick(genColours) + " " + pick(genGarments)
	r.Marks = pick(genMarks)
	r.Place = pick(g.places)
	if !sighting || h%3 == 0 {
		r.Name = strings.TrimSpace(pick(genNames) + " " + pick(genSurnames))
	}
	h = mix(h)
	r.Time = t0.Add(time.Duration(h%uint64(days*86400)) * time.Second)
	return r
}

func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func benchMatch(b *testing.B, n int) {
	m, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	g := newGen(m, 1)
	// held records: 80% reports, 20% sightings, arriving in time order as they would
	recs := make([]*talaash.Record, 0, 1024)
	for i := 0; i < n; i += 1024 {
		recs = recs[:0]
		for j := i; j < i+1024 && j < n; j++ {
			recs = append(recs, g.record(j, j%5 == 0))
		}
		slices.SortFunc(recs, func(a, b *talaash.Record) int { return a.Time.Compare(b.Time) })
		for _, r := range recs {
			m.Add(r)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	queries := make([]*talaash.Record, 1000)
	for i := range queries {
		queries[i] = g.record(n+i, i%2 == 0)
	}
	lat := make([]time.Duration, 0, b.N)
	// CPU time (all threads, the collector's too) per match: unlike ns/op
	// and p99 it does not depend on what else the machine is running
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m.Match(queries[i%len(queries)], 5)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(rssMB(), "rss-MB")
}

func BenchmarkMatch100k(b *testing.B) { benchMatch(b, 100_000) }

// BenchmarkMatch1M builds a million records (a minute or so): run it with
// -match.big.
func BenchmarkMatch1M(b *testing.B) {
	if !*big {
		b.Skip("run with -match.big")
	}
	benchMatch(b, 1_000_000)
}
