package xinyong_test

import (
	"slices"
	"testing"

	"xinyong"
)

// TestConstants_notShared checks that the slices and maps the accessors return are the caller's own:
// changing them changes nothing for the next caller.
func TestConstants_notShared(t *testing.T) {
	for name, get := range map[string]func() []string{
		"DefaultCourtLists": xinyong.DefaultCourtLists,
		"DefaultAdminLists": xinyong.DefaultAdminLists,
		"DistrictCodes":     xinyong.DistrictCodes,
	} {
		first := get()
		if len(first) == 0 {
			t.Fatalf("%s() is empty", name)
		}
		want := slices.Clone(first)
		first[0] = "changed"
		if got := get(); !slices.Equal(got, want) {
			t.Errorf("%s() after changing a returned slice = %q, want %q", name, got, want)
		}
	}
	labels := xinyong.StatusLabels()
	want := labels["current"]
	labels["current"] = "changed"
	if got := xinyong.StatusLabels()["current"]; got != want {
		t.Errorf(`StatusLabels()["current"] after changing a returned map = %q, want %q`, got, want)
	}
}

func TestDistrictCodes(t *testing.T) {
	codes := xinyong.DistrictCodes()
	if !slices.IsSorted(codes) {
		t.Errorf("DistrictCodes() = %q, not sorted", codes)
	}
	for _, c := range codes {
		if name, ok := xinyong.DistrictName(c); !ok || name == "" {
			t.Errorf("DistrictName(%q) = %q, %v; want a name", c, name, ok)
		}
	}
	if name, ok := xinyong.DistrictName("211200"); ok {
		t.Errorf(`DistrictName("211200") = %q, true; want not a Panjin district`, name)
	}
}

func TestLegalMaxMonths(t *testing.T) {
	tests := []struct {
		severity         string
		legalMax, repair int
		ok               bool
	}{
		{xinyong.SeverityMinor, 3, 0, true},
		{xinyong.SeverityGeneral, 12, 3, true},
		{xinyong.SeveritySerious, 36, 12, true},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		if got, ok := xinyong.LegalMaxMonths(tt.severity); got != tt.legalMax || ok != tt.ok {
			t.Errorf("LegalMaxMonths(%q) = %d, %v; want %d, %v", tt.severity, got, ok, tt.legalMax, tt.ok)
		}
		if got, ok := xinyong.RepairMinMonths(tt.severity); got != tt.repair || ok != tt.ok {
			t.Errorf("RepairMinMonths(%q) = %d, %v; want %d, %v", tt.severity, got, ok, tt.repair, tt.ok)
		}
	}
}
