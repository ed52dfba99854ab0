package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"xinyong"
	"xinyong/publish"
)

// DefaultMinFree is the free space under which the data directory gets a warning: a release holds the
// site, its precompressed copies and the search index, and the previous releases stay beside it.
const DefaultMinFree = 2 << 30

// CheckDataDir checks the data directory: that it exists or can be created, that a file can be created
// in it, its free space (a warning under minFree bytes; 0 for DefaultMinFree), and that the current link,
// if there is one, leads to a release with a readable release.json.
func CheckDataDir(dir string, minFree uint64) *Section {
	if minFree == 0 {
		minFree = DefaultMinFree
	}
	sec := &Section{Name: "data", Title: fmt.Sprintf(xinyong.MsgDoctorSectionData, dir)}
	if dir == "" {
		sec.fail("data.dir", "", xinyong.MsgDoctorDataNone)
		return sec
	}
	existing, ok := checkDirExists(sec, dir)
	if !ok {
		return sec
	}
	if !checkWritable(sec, existing) {
		return sec
	}
	checkFreeSpace(sec, existing, minFree)
	if existing == dir {
		checkCurrent(sec, dir)
	}
	return sec
}

// checkDirExists returns dir when it is a directory, or else its nearest existing ancestor, in which the
// publication would create it. ok is false when neither works.
func checkDirExists(sec *Section, dir string) (existing string, ok bool) {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		return dir, true
	case err == nil:
		sec.fail("data.dir", dir, xinyong.MsgDoctorDataNotDir)
		return "", false
	case !errors.Is(err, os.ErrNotExist) && !errors.Is(err, unix.ENOTDIR):
		sec.fail("data.dir", dir, xinyong.MsgDoctorDataStat, err)
		return "", false
	}
	parent, err := nearestDir(dir)
	if err != nil {
		sec.fail("data.dir", dir, xinyong.MsgDoctorDataCannotCreate, err)
		return "", false
	}
	sec.ok("data.dir", dir, xinyong.MsgDoctorDataMissing, parent)
	return parent, true
}

// nearestDir returns the nearest ancestor of dir that exists; an error when that is not a directory.
func nearestDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		switch {
		case err == nil && fi.IsDir():
			return p, nil
		case err == nil:
			return "", fmt.Errorf("%s: %w", p, unix.ENOTDIR)
		case !errors.Is(err, os.ErrNotExist):
			return "", err
		}
		if p == filepath.Dir(p) {
			return "", err
		}
	}
}

// checkWritable creates and removes a temporary file in dir.
func checkWritable(sec *Section, dir string) bool {
	f, err := os.CreateTemp(dir, ".xinyong-doctor-*")
	if err != nil {
		sec.fail("data.writable", dir, xinyong.MsgDoctorDataNotWritable, dir, unwrapPath(err))
		return false
	}
	name := f.Name()
	err = f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	if err != nil {
		sec.fail("data.writable", dir, xinyong.MsgDoctorDataNotWritable, dir, unwrapPath(err))
		return false
	}
	sec.ok("data.writable", dir, xinyong.MsgDoctorDataWritable, dir)
	return true
}

// unwrapPath drops the *PathError's repetition of a temporary file's name.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func checkFreeSpace(sec *Section, dir string, minFree uint64) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		sec.fail("data.free", dir, xinyong.MsgDoctorDataFreeFail, err)
		return
	}
	free := st.Bavail * uint64(st.Bsize)
	if free < minFree {
		sec.warn("data.free", dir, xinyong.MsgDoctorDataFreeLow, size(free), size(minFree))
		return
	}
	sec.ok("data.free", dir, xinyong.MsgDoctorDataFree, size(free))
}

// size formats a size in binary units.
func size(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// checkCurrent checks that the current link, if there is one, leads to a release with a manifest.
func checkCurrent(sec *Section, dir string) {
	data := publish.Layout{Root: dir}
	link := data.CurrentLink()
	fi, err := os.Lstat(link)
	if errors.Is(err, os.ErrNotExist) {
		sec.ok("data.current", link, xinyong.MsgDoctorNoRelease)
		return
	}
	if err == nil && fi.Mode()&os.ModeSymlink == 0 {
		sec.fail("data.current", link, xinyong.MsgDoctorReleaseBad, xinyong.MsgDoctorReleaseNotLink)
		return
	}
	cur, err := data.Current()
	if err != nil {
		sec.fail("data.current", link, xinyong.MsgDoctorReleaseBad, err)
		return
	}
	if _, err := os.Stat(cur.Dir); err != nil {
		sec.fail("data.current", link, xinyong.MsgDoctorReleaseBad, fmt.Sprintf(xinyong.MsgDoctorReleaseDangling, cur.Dir))
		return
	}
	m, err := readManifest(cur.Manifest())
	if err != nil {
		sec.fail("data.current", link, xinyong.MsgDoctorReleaseBad, fmt.Sprintf(xinyong.MsgDoctorReleaseManifest, cur.Dir, err))
		return
	}
	built := m.BuiltAt.In(xinyong.Shanghai).Format("2006-01-02 15:04")
	sec.ok("data.current", link, xinyong.MsgDoctorRelease, cur.ID(), m.AsOf, built)
}

func readManifest(path string) (*publish.Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	var m publish.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return &m, nil
}
