package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"xinyong"
	"xinyong/archive"
	"xinyong/publish"
)

// logKey is `xinyong log-key`: it makes the publication log's Ed25519 signing key (archive.GenerateKey),
// writes the private key to --out with mode 0600, prints the verifier key on stdout and tells the operator,
// on stderr, what to do next. The private key is never printed: what a terminal shows ends up in its
// scroll-back, in screen recordings and in logs. Nor is it written where the site publishes from or where
// old releases are pruned (DATA/releases, DATA/current, DATA/log).
func (e *env) logKey(args []string) error {
	flags := e.flagSet("log-key")
	c, err := e.commonFlags(flags, args)
	if err != nil {
		return err
	}
	flags.StringVar(&c.Data, "data", c.Data, "")
	out := flags.String("out", "", "")
	origin := flags.String("origin", "", "")
	force := flags.Bool("force", false, "")
	if err := e.parse(flags, args); err != nil {
		return err
	}
	if _, err := e.logger(c); err != nil {
		return err
	}
	more := fmt.Sprintf(xinyong.MsgHelpMore, "log-key")
	if *out == "" {
		return usageMsg("%s%s", xinyong.MsgLogKeyNoOut, more)
	}
	// The key's name must be the log's origin: the existing log's, else the one a first publication will
	// give it (log_origin, else from the site's address).
	existing := ""
	if l, err := archive.Open(publish.Layout{Root: c.Data}.Log()); err == nil {
		existing = l.State.Origin
	}
	switch {
	case *origin != "" && existing != "" && *origin != existing:
		return usageMsg(xinyong.MsgLogKeyOtherOrigin+"%s", *origin, existing, more)
	case *origin != "":
	case existing != "":
		*origin = existing
	case c.LogOrigin != "":
		*origin = c.LogOrigin
	default:
		*origin = publish.LogOrigin(xinyong.BaseURL(c.BaseURL, false))
	}
	if err := archive.CheckOrigin(*origin); err != nil {
		return usageMsg(xinyong.MsgLogKeyBadOrigin+"%s", *origin, more)
	}
	path, err := keyPath(*out)
	if err != nil {
		return usageMsg(xinyong.MsgLogKeyNoDir+"%s", *out, more)
	}
	if within := publishedPart(path, c.Data); within != "" {
		return usageMsg(xinyong.MsgLogKeyInData+"%s", *out, within, more)
	}
	skey, vkey, err := archive.GenerateKey(*origin)
	if err != nil {
		return err
	}
	if err := writeKeyFile(path, []byte(skey+"\n"), *force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return usageMsg(xinyong.MsgLogKeyExists+"%s", *out, more)
		}
		return fmt.Errorf("log-key: %w", err)
	}
	fmt.Fprintln(e.stdout, vkey)
	fmt.Fprintf(e.stderr, xinyong.MsgLogKeyDone+"\n", path, *origin)
	return nil
}

// keyPath is the absolute path of the key file with its directory's symbolic links resolved, so that a
// link into the data directory is seen for what it is. The directory must exist.
func keyPath(out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", errors.New("not a directory")
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

// publishedPart returns the directory of the data directory path is in whose files are published or
// pruned — releases (each release's site is served), current (a link to one of them) and log (its files
// are copied into every release's site/log/) — as "releases/", or "" when it is in none of them.
func publishedPart(path, data string) string {
	abs, err := filepath.Abs(data)
	if err != nil {
		return ""
	}
	for _, part := range []string{publish.ReleasesDir, publish.CurrentLink, publish.LogDir} {
		dir := filepath.Join(abs, part)
		dirs := []string{dir}
		if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
			dirs = append(dirs, real)
		}
		for _, d := range dirs {
			if inside(path, d) {
				return part + string(filepath.Separator)
			}
		}
	}
	return ""
}

// inside reports whether path is dir or under it.
func inside(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// writeKeyFile writes the key to path with mode 0600, atomically: a temporary file beside it (created
// 0600, never readable by others even for a moment), synced, then renamed over path with force, else linked
// to path, which fails when path exists (fs.ErrExist) without a window in which another file could appear.
func writeKeyFile(path string, data []byte, force bool) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if force {
		err = os.Rename(tmp, path)
	} else {
		err = os.Link(tmp, path)
	}
	if err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
