package xinyong

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Text from the exchange database is untrusted. These functions make it safe to carry as text: valid UTF-8,
// no control characters, no Unicode direction overrides (which can make a name read backwards on a page),
// and of bounded length. Escaping for a particular output (YAML, Markdown, HTML) is the writer's job.

// Maximum lengths, in runes, of published text. Longer values are cut and reported.
const (
	MaxLine = 500    // names, list names, decision numbers and other one-line fields
	MaxText = 20000  // reasons, bases, measures, summaries
	MaxBody = 200000 // case bodies (Markdown)
)

// dropRune reports whether r is removed from published text: C0/C1 controls other than tab and newline,
// bidirectional formatting characters, zero-width and byte-order marks, and private-use characters.
func dropRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // direction embeddings, overrides, isolates and marks
	case r == 0x200b || r == 0x200c || r == 0x200d || r == 0x2060 || r == 0xfeff:
		return true // zero-width characters and BOM
	case unicode.Is(unicode.Co, r), r == utf8.RuneError:
		return true
	}
	return false
}

// CleanText returns s as multi-line text: invalid UTF-8 and unsafe characters removed, line ends as "\n",
// tabs as spaces, trailing spaces of each line and blank lines at either end removed, and at most max runes
// (0: no limit). changed reports whether anything but surrounding white space was removed; cut whether the
// text was shortened.
func CleanText(s string, max int) (clean string, changed, cut bool) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			changed = true
		case r == '\r':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case dropRune(r):
			changed = true
		default:
			b.WriteRune(r)
		}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	clean = strings.Trim(strings.Join(lines, "\n"), "\n")
	clean, cut = cutRunes(clean, max)
	return clean, changed, cut
}

// CleanLine is CleanText for one-line fields: line breaks and runs of white space become one space.
func CleanLine(s string) string {
	clean, _, _ := CleanLineMax(s, 0)
	return clean
}

// CleanLineMax is CleanLine with a length limit, reporting as CleanText does.
func CleanLineMax(s string, max int) (clean string, changed, cut bool) {
	t, changed, _ := CleanText(s, 0)
	clean = strings.Join(strings.FieldsFunc(t, unicode.IsSpace), " ")
	clean, cut = cutRunes(clean, max)
	return clean, changed, cut
}

func cutRunes(s string, max int) (string, bool) {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s, false
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + MsgCut, true
		}
		n++
	}
	return s, false
}

// DurationText writes d in Chinese units, rounded to the second: 「3 秒」, 「2 分 5 秒」, 「1 小时 2 分」 (no
// seconds once it is an hour or more), 「不到 1 秒」 below half a second.
func DurationText(d time.Duration) string {
	d = d.Round(time.Second)
	if d <= 0 {
		return MsgDurationUnderSecond
	}
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf(MsgDurationHoursMinutes, h, m)
	case h > 0:
		return fmt.Sprintf(MsgDurationHours, h)
	case m > 0 && s > 0:
		return fmt.Sprintf(MsgDurationMinutesSeconds, m, s)
	case m > 0:
		return fmt.Sprintf(MsgDurationMinutes, m)
	}
	return fmt.Sprintf(MsgDurationSeconds, s)
}
