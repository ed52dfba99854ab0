package tree

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNew_old checks that New links from the previous tree only when the target directory exists:
// New once set old from an error that was always nil.
func TestNew_old(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  bool
	}{
		{"fresh target", func(t *testing.T, dir string) {}, false},
		{"existing tree", func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"dangling symbolic link", func(t *testing.T, dir string) {
			if err := os.Symlink(dir+".missing", dir); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "tree")
			tt.setup(t, dir)
			tr, err := New(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(tr.Abort)
			if got := tr.old; got != tt.want {
				t.Errorf("old = %v, want %v", got, tt.want)
			}
		})
	}
}
