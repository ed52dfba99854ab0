package doctor

import (
	"testing"

	"xinyong"
)

// TestConfig_Calendar: doctor warns when the working-day calendar lacks this year, or from November next
// year; and checks takedown_working_days.
func TestConfig_Calendar(t *testing.T) {
	base := Config{LogLevel: "info", LogFormat: "text", Keep: 7, MaxShrink: 0.2, TakedownWorkingDays: 3}
	tests := []struct {
		today string
		want  string
	}{
		{"2026-06-15", "✓ 工作日历已收录 2007 至 2026 年的国务院节假日安排"},
		{"2026-12-06", "! 工作日历尚未收录明年（2027 年）的国务院节假日安排"},
		{"2027-03-01", "! 工作日历未收录今年（2027 年）的国务院节假日安排"},
	}
	for _, tt := range tests {
		c := base
		c.Today, _ = xinyong.ParseDate(tt.today)
		out := text(t, CheckConfig(c))
		wantLines(t, out, tt.want, "✓ 信用修复、撤销后 3 个工作日内应撤下")
	}
	bad := base
	bad.TakedownWorkingDays = -1
	wantLines(t, text(t, CheckConfig(bad)), "✗ takedown_working_days 的值 -1 无效")
}
