package dialog

import (
	"encoding/csv"
	"strings"
	"sync"

	"talaash/locales"
)

// lostWords is locales' vocab/lost.csv, each phrase folded as messages are
// and padded with spaces so that it matches whole words only.
type lostWords struct{ phrase, parent, cue, not []string }

var lostVocab = sync.OnceValue(func() lostWords {
	var l lostWords
	f, err := locales.Vocab.Open("vocab/lost.csv")
	if err != nil {
		panic("dialog: " + err.Error()) // embedded: a build without it is broken
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic("dialog: vocab/lost.csv: " + err.Error())
	}
	for _, row := range rows[1:] {
		if len(row) < 2 {
			continue
		}
		p := " " + strings.Join(words(fold(strings.ReplaceAll(row[1], "'", " "))), " ") + " "
		if strings.TrimSpace(p) == "" {
			continue
		}
		switch row[0] {
		case "phrase":
			l.phrase = append(l.phrase, p)
		case "parent":
			l.parent = append(l.parent, p)
		case "cue":
			l.cue = append(l.cue, p)
		case "not":
			l.not = append(l.not, p)
		}
	}
	return l
})
