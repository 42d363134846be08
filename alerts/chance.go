package alerts

// Chance is the calibrated chance, in percent, that police see for a pair's
// score: the same figure as the chat alert, for the desk in the browser.
func Chance(score float64) string { return pct(score) }
