package search

import (
	"sync"
	"unicode/utf8"

	"github.com/liuzl/da"
	"github.com/longbridgeapp/opencc"
)

// Traditional characters are searched as simplified ones: names are indexed, and queries looked up, in
// their simplified form, by OpenCC's t2s conversion (its phrase dictionary first, then its character
// dictionary). So 盤錦 finds 盘锦, and a name registered in traditional characters is found by its
// simplified spelling.
//
// The converter is slow for what it does (a dictionary look-up and a map per character), and almost every
// name is simplified already. So a string is converted only when, at one of its positions, a key of the
// conversion's dictionaries that is not mapped to itself matches (mayConvert): any other string comes
// out unchanged. The runes such keys begin with are read from the dictionaries once, into a bitset.

// The runes the set covers: every rune outside ASCII up to the last CJK block. A rune beyond it begins no
// key of the t2s dictionaries that changes anything (TestT2S_SkipIsExact).
const (
	t2sFirst = 0x80
	t2sLast  = 0x323AF
)

var t2s struct {
	once   sync.Once
	cc     *opencc.OpenCC
	starts []uint64 // bit r-t2sFirst: a key of a dictionary that is not mapped to itself begins with rune r
}

// changesFrom reports whether a key of a dictionary of cc that maps to something else than itself begins
// with prefix. Convert replaces the longest key found at each position by its first value, so a string
// in which no such key begins anywhere comes out unchanged.
func changesFrom(cc *opencc.OpenCC, prefix []byte) bool {
	return anyKeyChanges(cc, func(d *da.Dict) []int { return d.Trie.PrefixPredict(prefix, 0) })
}

// anyKeyChanges reports whether, in a dictionary d of cc, a key of the ids keys(d) maps to something else
// than itself (or cannot be read: then it may).
func anyKeyChanges(cc *opencc.OpenCC, keys func(d *da.Dict) []int) bool {
	for _, g := range cc.DictChains {
		for _, d := range g.Dicts {
			for _, id := range keys(d) {
				key, err1 := d.Trie.Key(id)
				v, err2 := d.Trie.Value(id)
				if err1 != nil || err2 != nil || v < 0 || v >= len(d.Values) {
					return true // cannot tell: convert
				}
				if vs := d.Values[v]; len(vs) > 0 && vs[0] != string(key) {
					return true
				}
			}
		}
	}
	return false
}

// loadT2S loads the converter and the set of runes that begin a key that changes something. The
// dictionaries are embedded in the library, so an error is a broken build: it panics.
func loadT2S() {
	t2s.once.Do(func() {
		cc, err := opencc.New("t2s")
		if err != nil {
			panic("search: opencc t2s: " + err.Error())
		}
		starts := make([]uint64, (t2sLast-t2sFirst)/64+1)
		var buf [utf8.UTFMax]byte
		for r := rune(t2sFirst); r <= t2sLast; r++ {
			if changesFrom(cc, buf[:utf8.EncodeRune(buf[:], r)]) {
				starts[(r-t2sFirst)/64] |= 1 << ((r - t2sFirst) % 64)
			}
		}
		t2s.cc, t2s.starts = cc, starts
	})
}

// mayConvert reports whether t2s may change s: whether, at some position of s, a key of its dictionaries
// that is not mapped to itself matches. The set of runes that begin such a key answers for most strings
// without a look-up; only at a position whose rune is in it are the dictionaries asked, as Convert would.
// (大, 金 and 明 begin such phrases, 大目乾連…, 金鍊, 明瞭: without the look-up a quarter of Panjin's names
// would be converted for nothing.) Where it reports false, Convert would return s unchanged.
func mayConvert(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= t2sFirst && r <= t2sLast && t2s.starts[(r-t2sFirst)/64]&(1<<((r-t2sFirst)%64)) != 0 &&
			changesAt(t2s.cc, s[i:]) {
			return true
		}
		i += size - 1
	}
	return false
}

// changesAt reports whether a key of a dictionary of cc that is not mapped to itself is a prefix of s.
func changesAt(cc *opencc.OpenCC, s string) bool {
	b := []byte(s)
	return anyKeyChanges(cc, func(d *da.Dict) []int { return d.Trie.PrefixMatch(b, 0) })
}

// simplify returns s with traditional characters converted to simplified ones (OpenCC t2s). It is
// called once per indexed name and once per query.
func simplify(s string) string {
	loadT2S()
	if !mayConvert(s) {
		return s
	}
	out, err := t2s.cc.Convert(s)
	if err != nil || !utf8.ValidString(out) {
		return s // the embedded dictionaries cannot fail a look-up; keep the text if they ever do
	}
	return out
}
