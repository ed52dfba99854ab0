package changes

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// ReadDelta reads a delta file, keeping at most limit items of each list (red, black, cases) in each of
// added, changed and removed (every item if limit < 0), so that a night with many additions to one list
// still shows the others'; the counts of its head, and AddedBy, ChangedBy and RemovedBy, give the full
// sizes. It streams, so a delta of a million entries costs the memory of a few times limit items.
func ReadDelta(path string, limit int) (*DeltaFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
	var out DeltaFile
	if err := readObject(dec, func(key string) error {
		switch key {
		case "added":
			kept := map[string]int{}
			return readArray(dec, &out.Added, func(x FileItem) bool {
				out.AddedBy = count(out.AddedBy, x.List, x.ListName)
				return keep(kept, x.List, limit)
			})
		case "changed":
			kept := map[string]int{}
			return readArray(dec, &out.Changed, func(x FileItem) bool {
				out.ChangedBy = count(out.ChangedBy, x.List, x.ListName)
				return keep(kept, x.List, limit)
			})
		case "removed":
			kept := map[string]int{}
			return readArray(dec, &out.Removed, func(x Ref) bool {
				out.RemovedBy = count(out.RemovedBy, x.List, "")
				return keep(kept, x.List, limit)
			})
		default:
			return decodeHeadKey(dec, key, &out.DeltaHead)
		}
	}); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if out.Format != FormatDelta {
		return nil, fmt.Errorf("%s: not a delta file", path)
	}
	return &out, nil
}

// readObject reads a JSON object, calling fn to read the value of each key.
func readObject(dec *json.Decoder, fn func(key string) error) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("unexpected %v", tok)
		}
		if err := fn(key); err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

// readArray reads a JSON array, calling each with every item and appending to list those it keeps.
func readArray[T any](dec *json.Decoder, list *[]T, each func(T) (keep bool)) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	for dec.More() {
		var v T
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if each(v) {
			*list = append(*list, v)
		}
	}
	return expectDelim(dec, ']')
}

// keep reports whether an item of list is kept when at most limit of each list are (all if limit < 0),
// counting it in kept if so.
func keep(kept map[string]int, list string, limit int) bool {
	if limit >= 0 && kept[list] >= limit {
		return false
	}
	kept[list]++
	return true
}

// count adds one to the count of list and listName in counts, which are in the order their first items
// came (the file's key order: by list, then id).
func count(counts []GroupCount, list, listName string) []GroupCount {
	for i := range counts {
		if counts[i].List == list && counts[i].ListName == listName {
			counts[i].Count++
			return counts
		}
	}
	return append(counts, GroupCount{List: list, ListName: listName, Count: 1})
}

// decodeHeadKey decodes the value of one key of the head into h (unknown keys are skipped).
func decodeHeadKey(dec *json.Decoder, key string, h *DeltaHead) error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	one := map[string]json.RawMessage{key: raw}
	data, err := json.Marshal(one)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, h)
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %v, found %v", want, tok)
	}
	return nil
}
