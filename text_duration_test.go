package xinyong

import (
	"testing"
	"time"
)

// TestDurationText: durations in Chinese units, rounded to the second, no seconds from an hour on.
func TestDurationText(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "不到 1 秒"},
		{400 * time.Millisecond, "不到 1 秒"},
		{3*time.Second + 200*time.Millisecond, "3 秒"},
		{59*time.Second + 600*time.Millisecond, "1 分"},
		{2*time.Minute + 5*time.Second, "2 分 5 秒"},
		{time.Hour + 30*time.Second, "1 小时"},
		{time.Hour + 2*time.Minute + 59*time.Second, "1 小时 2 分"},
		{26 * time.Hour, "26 小时"},
	} {
		if got := DurationText(c.d); got != c.want {
			t.Errorf("DurationText(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
