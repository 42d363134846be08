package locales

import "embed"

// Vocab holds the matcher's vocabulary (colours, garments, marks, names'
// transliteration, reason templates) as data files, so wordings can grow
// without touching code. Read by package match.
//
//go:embed vocab
var Vocab embed.FS
