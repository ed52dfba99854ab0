package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"xinyong"
	"xinyong/internal/tree"
)

// ErrNoSpace marks a publication refused before the build: the data directory's file system has less
// free space than the previous release needed. A build that fills the disk fails late, or hangs.
var ErrNoSpace = errors.New("not enough free space")

// StepError is the failure of one step of a publication (StepExport, ...).
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// checkSpace refuses with ErrNoSpace when the file system of stage has less free space than this
// publication still needs: what the previous release took (prev.Bytes, or its files counted when its
// manifest predates Bytes), less what the stage holds already, plus a tenth of it as a margin.
//
// content is the size of the files of the stage's export tree, which the export counted: the tree is not
// walked again (129,000 files at 100,000 entries).
func checkSpace(stage, prevDir string, prev *Manifest, content int64) error {
	need := prev.Bytes
	if need == 0 {
		var err error
		if need, err = diskUsage(prevDir); err != nil {
			return fmt.Errorf("size of the previous release: %w", err)
		}
	}
	staged, err := stagedUsage(stage)
	if err != nil {
		return fmt.Errorf("size of the new release: %w", err)
	}
	staged += content
	remaining := max(need-staged, 0) + need/10
	var st unix.Statfs_t
	if err := unix.Statfs(stage, &st); err != nil {
		return fmt.Errorf("free space: %w", err)
	}
	free := int64(st.Bavail) * st.Bsize
	if free < remaining {
		return fmt.Errorf("%w: "+xinyong.MsgRunNoSpace, ErrNoSpace, sizeText(free), sizeText(remaining), prev.ID, sizeText(need))
	}
	// Inodes: a night links most files, which costs none, but makes a directory for every page (a record's
	// page is <id>/index.html) and writes what changed, about as many as the previous site's files. A
	// file system out of them fails the build late, and Hugo may then never return (seen on tmpfs,
	// v0.165.0: the build waits until build_timeout). A file system that does not count them (Files 0,
	// btrfs) is not checked.
	if st.Files > 0 && prev.Files > 0 {
		needInodes := uint64(prev.Files) + uint64(prev.Files)/10
		if st.Ffree < needInodes {
			return fmt.Errorf("%w: "+xinyong.MsgRunNoInodes, ErrNoSpace, st.Ffree, needInodes, prev.ID, prev.Files)
		}
	}
	return nil
}

// diskUsage is the size of the regular files under dir, each counted (hard links too: a new release
// writes them all before the link step).
func diskUsage(dir string) (int64, error) { return tree.Size(dir) }

// stagedUsage is diskUsage of the staged release without what the index step, which may be running beside
// the build, writes and removes: index/ (files appear and are renamed there) and the search documents it
// reads and then deletes; and content/, which the export counted (checkSpace). Leaving them out asks for more room, not less.
func stagedUsage(stage string) (int64, error) {
	entries, err := os.ReadDir(stage)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, e := range entries {
		path := filepath.Join(stage, e.Name())
		switch {
		case e.Name() == IndexDir, e.Name() == searchDocsFile, e.Name() == ContentDir:
		case e.IsDir():
			n, err := diskUsage(path)
			if err != nil {
				return 0, err
			}
			total += n
		case e.Type().IsRegular():
			info, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed since the directory was read: it takes no room
			}
			if err != nil {
				return 0, err
			}
			total += info.Size()
		}
	}
	return total, nil
}

// sizeText formats a size in MiB (GiB from 10 GiB).
func sizeText(n int64) string {
	const mib = 1 << 20
	if n >= 10<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/mib)
}
