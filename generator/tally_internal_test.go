package generator

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// TestTally_AbsorbedMeasures: skipping a measures text already added (listTally.absorbed) leaves the same
// set as adding every entry's measures, below and at the limit of maxMeasures, whatever the order.
func TestTally_AbsorbedMeasures(t *testing.T) {
	var texts [][]string
	for i := range 80 {
		texts = append(texts, []string{fmt.Sprintf("m%d", i), fmt.Sprintf("m%d", i+1), "common"})
	}
	order := []int{0, 1, 0, 2, 1, 3, 0}
	for i := range 80 {
		order = append(order, i, (i*7)%80, 0)
	}
	got := newTally()
	want := map[string]bool{}
	for _, i := range order {
		text := fmt.Sprint(texts[i])
		got.entry("black", "名单", "admin", "D1", "", "2026-01-01", text, texts[i])
		for _, m := range texts[i] {
			if len(want) < maxMeasures {
				want[m] = true
			}
		}
	}
	lt := got.lists[listKey{"black", "名单"}]
	if !maps.Equal(lt.measures, want) {
		t.Errorf("measures %v, want %v", slices.Sorted(maps.Keys(lt.measures)), slices.Sorted(maps.Keys(want)))
	}
	if len(want) != maxMeasures || lt.n != len(order) {
		t.Errorf("the test reaches %d of %d measures, counts %d of %d", len(want), maxMeasures, lt.n, len(order))
	}
}
