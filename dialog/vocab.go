package dialog

import (
	"encoding/csv"
	"strings"
	"sync"

	"talaash/locales"
)

// vocabPhrases reads a `kind,phrase` file of locales' vocab: each phrase folded as
// messages are and padded with spaces so that it matches whole words only,
// listed under its kind.
func vocabPhrases(name string) map[string][]string {
	f, err := locales.Vocab.Open("vocab/" + name)
	if err != nil {
		panic("dialog: " + err.Error()) // embedded: a build without it is broken
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic("dialog: vocab/" + name + ": " + err.Error())
	}
	out := map[string][]string{}
	for _, row := range rows[1:] {
		if len(row) < 2 {
			continue
		}
		p := padded(row[1])
		if strings.TrimSpace(p) == "" {
			continue
		}
		out[row[0]] = append(out[row[0]], p)
	}
	return out
}

// padded is text folded into its words, with a space at each end, as
// phrases are kept and looked for.
func padded(text string) string {
	return " " + strings.Join(words(fold(strings.ReplaceAll(text, "'", " "))), " ") + " "
}

// holds reports whether padded text t holds one of the phrases of list.
func holds(t string, list []string) bool {
	for _, p := range list {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// lostVocab is vocab/lost.csv: kinds phrase, parent, cue and not.
var lostVocab = sync.OnceValue(func() map[string][]string { return vocabPhrases("lost.csv") })

// questionVocab is vocab/questions.csv: a parent's follow-up questions by
// topic, and the words of a sighting (not).
var questionVocab = sync.OnceValue(func() map[string][]string { return vocabPhrases("questions.csv") })

// QuestionTopics are the topics of follow-up questions, the more particular
// first: "who found him and where" asks who.
var QuestionTopics = []string{"photo", "who", "safe", "when", "where"}

// maxQuestionWords bounds a follow-up question: a longer message describes
// something, it does not ask after a case.
const maxQuestionWords = 14

// Question names the topic of a parent's follow-up question about their case
// ("bacha kahan mila" -> "where"), "" when text asks none.
func Question(text string) string {
	t := padded(text)
	q := questionVocab()
	if strings.Count(t, " ") > maxQuestionWords+1 || holds(t, q["not"]) {
		return ""
	}
	for _, topic := range QuestionTopics {
		if holds(t, q[topic]) {
			return topic
		}
	}
	return ""
}
