package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"

	"xinyong"
)

// ErrGuard marks a publication refused by the guard: the database returned nothing to publish, or one
// publication would remove more than the allowed share of a list. The current release stays; --force
// publishes anyway.
var ErrGuard = errors.New("guard")

// guard refuses a publication that looks like a broken database rather than a real change.
func guard(prev *Manifest, m *Manifest, opt Options) error {
	if opt.Force {
		return nil
	}
	if m.Red+m.Black == 0 {
		return fmt.Errorf("%w: %s", ErrGuard, xinyong.MsgGuardEmpty)
	}
	if prev == nil {
		return nil
	}
	limit := opt.MaxShrink
	if limit <= 0 {
		limit = DefaultMaxShrink
	}
	for _, l := range []struct {
		name      string
		was, will int
	}{{xinyong.MsgSectionRed, prev.Red, m.Red}, {xinyong.MsgSectionBlack, prev.Black, m.Black}} {
		if l.was == 0 || l.will >= l.was {
			continue
		}
		if share := float64(l.was-l.will) / float64(l.was); share > limit {
			return fmt.Errorf("%w: "+xinyong.MsgGuardShrink, ErrGuard, l.name, l.was, l.will, share*100, limit*100)
		}
	}
	return nil
}

// inputID hashes what decides a release's content.
func inputID(dataVersion, siteFingerprint, baseURL, identity string) string {
	h := sha256.New()
	for _, s := range []string{dataVersion, siteFingerprint, baseURL, identity, programVersion()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// programVersion identifies the xinyong binary (module version and VCS revision when built from a
// checkout), so that an upgrade publishes again even when the data did not change.
func programVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			v += " " + s.Value
		}
	}
	return v
}

// ErrNoEarlier is returned by Rollback without an id when no release is older than the current one.
var ErrNoEarlier = errors.New(xinyong.MsgRollbackNoEarlier)

// NoReleaseError names a release that does not exist.
type NoReleaseError struct{ ID string }

func (e *NoReleaseError) Error() string { return fmt.Sprintf(xinyong.MsgRollbackNoRelease, e.ID) }
