// Command match-score scores `talaash matches --json` output against a truth
// file:
//
//	match-score TRUTH.jsonl PAIRS.jsonl [--min-recall5 R] [--min-precision P] [--min-alert-recall A]
//
// It prints recall@1, recall@5, alert precision, alert recall and the alerts
// raised for sightings of children nobody reported, and exits 1 when a given
// minimum is not met.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"talaash/match/matchscore"
)

func main() {
	var mins matchscore.Mins
	fs := flag.NewFlagSet("match-score", flag.ExitOnError)
	fs.Float64Var(&mins.Recall5, "min-recall5", 0, "least recall@5")
	fs.Float64Var(&mins.Precision, "min-precision", 0, "least alert precision")
	fs.Float64Var(&mins.AlertRecall, "min-alert-recall", 0, "least alert recall")
	var files []string
	args := os.Args[1:]
	for len(args) > 0 {
		fs.Parse(args)
		args = fs.Args()
		if len(args) > 0 {
			files, args = append(files, args[0]), args[1:]
		}
	}
	if len(files) != 2 {
		fmt.Fprintln(os.Stderr, "usage: match-score TRUTH.jsonl PAIRS.jsonl [--min-recall5 R] [--min-precision P] [--min-alert-recall A]")
		os.Exit(2)
	}
	res, err := matchscore.Files(files[0], files[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "match-score:", err)
		os.Exit(2)
	}
	fmt.Println(res)
	if short := res.Short(mins); len(short) > 0 {
		fmt.Println("below the minimum: " + strings.Join(short, "; "))
		os.Exit(1)
	}
}
