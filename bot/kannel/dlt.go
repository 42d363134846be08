package kannel

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"talaash"
	"talaash/locales"
)

// LoadTemplates reads TALAASH_DLT_TEMPLATES: one registered template a line,
// "NAME TEMPLATE_ID" (or NAME=ID, NAME,ID), NAME as talaash sms-templates
// prints it ("en:core.sorry"; a bare message id stands for both languages;
// messages sent as one SMS are their names joined with "+"). Blank lines and
// lines starting with # are skipped. A name that is none of listed (as
// talaash sms-templates prints them; nil: locales.SMSTemplates()) is an
// error naming it, so a typo does not silently stop a message.
func LoadTemplates(path string, listed []locales.Template) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "TALAASH_DLT_TEMPLATES: %v", err)
	}
	defer f.Close()
	return ParseTemplates(f, path, listed)
}

// ParseTemplates is LoadTemplates on a reader; name is used in errors.
func ParseTemplates(r io.Reader, name string, listed []locales.Template) (map[string]string, error) {
	if listed == nil {
		listed = locales.SMSTemplates()
	}
	known := map[string]bool{}
	for _, t := range listed {
		known[t.Name] = true
		known[t.ID] = true
		// The messages of a joined template may be registered joined otherwise.
		for _, part := range strings.Split(t.Name, "+") {
			known[part] = true
			_, bare, _ := strings.Cut(part, ":")
			known[bare] = true // "choices.sms#2" for every language
		}
	}
	out := map[string]string{}
	var bad []string
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == '=' || r == ',' })
		if len(f) != 2 {
			bad = append(bad, fmt.Sprintf("line %d: want NAME TEMPLATE_ID", n))
			continue
		}
		for _, part := range strings.Split(f[0], "+") {
			if !known[part] {
				bad = append(bad, fmt.Sprintf("line %d: %q is no SMS message id", n, part))
			}
		}
		out[f[0]] = f[1]
	}
	if err := sc.Err(); err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "%s: %v", name, err)
	}
	if len(bad) > 0 {
		return nil, talaash.Errorf(talaash.EINVALID, "%s: %s", name, strings.Join(bad, "; "))
	}
	return out, nil
}
