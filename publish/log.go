package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"xinyong/archive"
	"xinyong/changes"
	"xinyong/internal/tree"
	"xinyong/opendata"
	"xinyong/render"
)

// LogOptions are how a publication signs and stamps the publication log (docs/archive.md).
type LogOptions struct {
	// Key signs the checkpoints; nil publishes them unsigned (and says so), unless the database is a demo:
	// then a throwaway key is made (DemoKeyFile) and used.
	Key *archive.Key
	// Previous, while a new key is rotated in, is the key it replaces: it signs every checkpoint too, so
	// that verifiers who pinned it keep verifying until they take the new one.
	Previous *archive.Key
	// Origin names a new log without a key; "" is the base URL's host and path followed by "log".
	Origin string
	// Timestamp, when set, gets an RFC 3161 time-stamp response over each checkpoint.
	Timestamp func(ctx context.Context, checkpoint []byte) ([]byte, error)
}

// DemoKeyFile, in the data directory, holds the throwaway key that signs a demo's log. It is outside
// log/ and releases/, so nothing of it is ever published.
const DemoKeyFile = "demo-log.key"

// LogInfo is what release.json records of the release's switch in the publication log.
type LogInfo struct {
	Origin  string `json:"origin"`
	Size    int64  `json:"size"`    // the log's entries once this release's switch is committed
	Entries int64  `json:"entries"` // entries this switch appended
	Pages   int64  `json:"pages"`   // distinct page sums the release serves
	Added   int64  `json:"added"`
	Removed int64  `json:"removed"`
	Signed  bool   `json:"signed"`
	Demo    bool   `json:"demo_key,omitempty"` // signed with the demo's throwaway key
	Stamped bool   `json:"stamped,omitempty"`
	Hashed  int    `json:"hashed"` // files whose SHA-256 was computed (the rest were the previous release's)
}

// logStep records the release in the publication log: the SHA-256 of every file the site serves
// (site.sums, taken from the previous release's for the files that are its own), appended to the log as
// what this switch adds and removes, and the log's tiles and checkpoint published under site/log/. The
// switch counts once the publish step has made the release current and committed it.
func logStep(ctx context.Context, r *run) error {
	lg, err := archive.Open(r.data.Log())
	if err != nil {
		return err
	}
	// A switch appended but not committed — the process ended after making its release current — is
	// committed now, so that this one follows it.
	if r.cur.Dir != "" {
		if ok, err := lg.Recover(r.cur.Log()); err != nil {
			return err
		} else if ok {
			r.log.Warn("committed the current release's log entries, left uncommitted by an earlier run", "release", r.cur.ID())
		}
	}
	sums, hashed, err := siteSums(ctx, r)
	if err != nil {
		return err
	}
	set := distinctSums(sums)
	opt, demoKey, err := r.logOptions()
	if err != nil {
		return err
	}
	sw := archive.Switch{Release: r.id, AsOf: r.m.AsOf, Event: archive.EventPublished, At: r.now()}
	p, err := lg.Append(ctx, sw, set, r.stage.Log(), opt)
	if err != nil {
		return err
	}
	if err := lg.PublishPending(p, filepath.Join(r.stage.Site(), SiteLogDir)); err != nil {
		return err
	}
	// What this step wrote counts in the release's size (the link step sized the rest), less the set,
	// which the release keeps only until its switch is committed (commitLog).
	for _, dir := range []string{r.stage.Log(), filepath.Join(r.stage.Site(), SiteLogDir)} {
		n, err := diskUsage(dir)
		if err != nil {
			return err
		}
		r.logBytes += n
	}
	if fi, err := os.Stat(r.stage.SiteSums()); err == nil {
		r.logBytes += fi.Size()
	}
	for _, name := range []string{archive.SetFile, archive.SetHashesFile} {
		if fi, err := os.Stat(filepath.Join(r.stage.Log(), name)); err == nil {
			r.logBytes -= fi.Size()
		}
	}
	r.m.Log = &LogInfo{Origin: p.State.Origin, Size: p.State.Size, Entries: p.Entries, Pages: int64(len(set)),
		Added: p.Added, Removed: p.Removed, Signed: p.State.Signed, Demo: demoKey, Stamped: p.State.Stamped, Hashed: hashed}
	if p.StampErr != nil {
		r.log.Warn("the time-stamping authority gave no time stamp: the checkpoint is published without one", "error", p.StampErr)
	}
	if opt.Key == nil {
		r.log.Warn("the publication log's checkpoint is not signed: no signing key is configured (log_key_file or log_key_env; xinyong log-key makes one)")
	}
	r.log.Info("log", "size", p.State.Size, "entries", p.Entries, "added", p.Added, "removed", p.Removed,
		"pages", len(set), "hashed", hashed, "signed", p.State.Signed, "demo_key", demoKey)
	return nil
}

// logOptions returns the options the log is appended with: the configured ones, with the demo's
// throwaway key when the data is a demo's and no key is configured.
func (r *run) logOptions() (archive.Options, bool, error) {
	return r.opt.Log.options(r.data, r.opt.BaseURL, r.m.Demo, r.log)
}

func (o LogOptions) options(data Layout, baseURL string, demo bool, log *slog.Logger) (archive.Options, bool, error) {
	opt := archive.Options{Key: o.Key, Origin: o.Origin, Timestamp: o.Timestamp}
	if o.Previous != nil {
		opt.Also = []*archive.Key{o.Previous}
	}
	if opt.Origin == "" {
		opt.Origin = LogOrigin(baseURL)
	}
	if opt.Key != nil || !demo {
		return opt, false, nil
	}
	k, err := demoKey(filepath.Join(data.Root, DemoKeyFile), opt.Origin)
	if err != nil {
		return opt, false, err
	}
	log.Warn("the publication log of this demo is signed with a throwaway key made for it: never use it for a real publication", "key", filepath.Join(data.Root, DemoKeyFile))
	opt.Key = k
	return opt, true, nil
}

// rollbackLog appends to the log the switch a rollback to release rel makes, before the switch (pending
// in a directory of the log's, which it returns), for commitRollbackLog to commit after it: the pages of
// rel become the ones served again. A release without site.sums (made before the log) is summed whole.
// A data directory without a log (no publication recorded yet) records nothing: "" and no error.
func rollbackLog(ctx context.Context, data Layout, rel Release, m *Manifest, o LogOptions, now time.Time, log *slog.Logger) (string, error) {
	lg, err := archive.Open(data.Log())
	if err != nil || lg.State.Size == 0 {
		return "", err
	}
	var sums []tree.PathSum
	if prev, err := tree.ReadSHA256Sums(rel.SiteSums()); err == nil {
		for p, s := range prev {
			sums = append(sums, tree.PathSum{Path: p, Sum: s})
		}
	} else {
		files, err := listSite(rel.Site())
		if err != nil {
			return "", err
		}
		var todo []int
		for _, f := range files {
			if !strings.HasPrefix(f.rel, SiteLogDir+"/") {
				todo = append(todo, len(sums))
				sums = append(sums, tree.PathSum{Path: f.rel})
			}
		}
		if err := hashFiles(ctx, rel.Site(), sums, todo); err != nil {
			return "", err
		}
	}
	opt, _, err := o.options(data, "", m.Demo, log)
	if err != nil {
		return "", err
	}
	pending := filepath.Join(data.Log(), "pending-"+m.ID)
	os.RemoveAll(pending)
	sw := archive.Switch{Release: m.ID, AsOf: m.AsOf, Event: archive.EventRolledBack, At: now}
	if _, err := lg.Append(ctx, sw, distinctSums(sums), pending, opt); err != nil {
		os.RemoveAll(pending)
		return "", err
	}
	return pending, nil
}

// commitRollbackLog commits a rollback's switch once the release is current.
func commitRollbackLog(data Layout, pending string, log *slog.Logger) {
	if pending == "" {
		return
	}
	lg, err := archive.Open(data.Log())
	if err == nil {
		err = lg.Commit(pending)
	}
	if err != nil {
		log.Error("the rollback could not be recorded in the publication log", "error", err)
		return
	}
	os.RemoveAll(pending)
}

// LogOrigin is the log's default name for a site at baseURL: its host and path, then "log", e.g.
// credit.panjin.gov.cn/log.
func LogOrigin(baseURL string) string {
	s := baseURL
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s + "log"
}

// demoKey reads the demo's throwaway key, making it the first time.
func demoKey(path, origin string) (*archive.Key, error) {
	if k, err := archive.ReadKeyFile(path); err == nil {
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	skey, _, err := archive.GenerateKey(origin)
	if err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(skey+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return archive.ParseKey(skey)
}

// commitLog commits the release's switch to the log once it is current. A failure leaves the release
// published and the switch in its log/ directory, which the next publication commits (logStep).
func (r *run) commitLog() {
	lg, err := archive.Open(r.data.Log())
	if err == nil {
		err = lg.Commit(r.data.Release(r.id).Log())
	}
	if err != nil {
		r.log.Error("the publication log could not be committed: the next publication will", "release", r.id, "error", err)
		return
	}
	// Committed: the release's copy of the set (what a recovery would install) is the log's now, and
	// would keep 26 MB a release at 100,000 entries alive after the log moves on.
	archive.DropSet(r.data.Release(r.id).Log())
}

// siteSums returns the SHA-256 of every file of the staged site but the .gz beside another file and log/,
// by path, and writes them into the release's site.sums. The record pages' sums come from the rows file
// the record renderer wrote (render.PageSums: it summed each page it rendered from the bytes in memory and
// kept the previous build's sum of each page it linked); a file the link step read that is the previous
// release's own (the same inode at the same path) takes that release's sum. The rest are read and hashed,
// on every CPU. It returns how many were hashed. Without the renderer's sums (a theme without record
// layouts, or rows that do not match the build), the record pages the walk did not read take the previous
// release's sums, and without those every file is hashed.
func siteSums(ctx context.Context, r *run) ([]tree.PathSum, int, error) {
	site := r.stage.Site()
	if r.walk == nil {
		return nil, 0, errors.New("log: the link step listed no files") // Steps puts link before log
	}
	var prev map[string][sha256.Size]byte
	if r.cur.Dir != "" {
		var err error
		if prev, err = tree.ReadSHA256Sums(r.cur.SiteSums()); err != nil && !errors.Is(err, os.ErrNotExist) {
			r.log.Warn("the current release's site.sums cannot be read: the files the walk read are hashed", "error", err)
		}
	}
	var (
		out  []tree.PathSum
		todo []int
		seen map[string]bool // record pages whose sum is taken from the rows file
	)
	records, err := render.PageSums(r.stage.RecordRows())
	if err == nil && len(records) == r.records.Pages && r.m.RecordsFingerprint != "" {
		out = make([]tree.PathSum, 0, len(records)+len(r.walk.site))
		seen = make(map[string]bool, len(records))
		for rel, s := range records {
			out = append(out, tree.PathSum{Path: rel, Sum: s})
			seen[rel] = true
		}
	} else {
		records = nil
	}
	// The downloads and the delta files: their writers summed them as they wrote them (SHA256SUMS beside
	// them, which /data/ publishes for sha256sum -c): 147 MB not read again at 100,000 entries.
	if seen == nil {
		seen = map[string]bool{}
	}
	// The list and term pages the record renderer wrote, summed as it wrote them.
	if rendered, err := tree.ReadSHA256Sums(r.stage.RenderedSums()); err == nil {
		for rel, s := range rendered {
			if !seen[rel] {
				out = append(out, tree.PathSum{Path: rel, Sum: s})
				seen[rel] = true
			}
		}
	}
	for _, dir := range []string{"data", changes.SiteDataDir} {
		known, err := tree.ReadSHA256Sums(filepath.Join(site, dir, opendata.SumsFile))
		if err != nil {
			continue // none: the files are hashed
		}
		for name, s := range known {
			rel := dir + "/" + name
			if fi, err := os.Lstat(filepath.Join(site, rel)); err != nil || !fi.Mode().IsRegular() {
				continue // listed, not served: not recorded
			}
			if !seen[rel] && !strings.Contains(name, "/") {
				out = append(out, tree.PathSum{Path: rel, Sum: s})
				seen[rel] = true
			}
		}
	}
	files := r.walk.site
	var skipped []tree.PathSum // the record pages the walk did not read, without the renderer's sums
	if records == nil && !r.walk.all && len(r.walk.skipped) > 0 && prev != nil {
		// The previous release's, by the renderer's links.
		for rel, s := range prev {
			if r.walk.skipped[pathDir(rel)] {
				skipped = append(skipped, tree.PathSum{Path: rel, Sum: s})
			}
		}
		if len(skipped) != len(r.walk.skipped) {
			r.log.Warn("the current release's site.sums lacks record pages: every file is hashed", "want", len(r.walk.skipped), "got", len(skipped))
			skipped, prev = nil, nil
		}
	}
	if records == nil && (r.walk.all || (len(r.walk.skipped) > 0 && skipped == nil)) {
		// Record pages the walk did not read and no sums for them: every file is listed and hashed.
		if files, err = listSite(site); err != nil {
			return nil, 0, err
		}
	}
	out = append(out, skipped...)
	for _, f := range files {
		if strings.HasPrefix(f.rel, SiteLogDir+"/") || seen[f.rel] {
			continue
		}
		if s, ok := prev[f.rel]; ok && f.prev && tree.SameFile(filepath.Join(r.cur.Site(), f.rel), filepath.Join(site, f.rel)) {
			out = append(out, tree.PathSum{Path: f.rel, Sum: s})
			continue
		}
		todo = append(todo, len(out))
		out = append(out, tree.PathSum{Path: f.rel})
	}
	if err := hashFiles(ctx, site, out, todo); err != nil {
		return nil, 0, err
	}
	if err := tree.WriteSHA256Sums(r.stage.SiteSums(), out); err != nil {
		return nil, 0, err
	}
	return out, len(todo), nil
}

// pathDir is the directory of a slash-separated path inside the site.
func pathDir(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return ""
}

// listSite lists every file of the site but the .gz beside another file.
func listSite(site string) ([]siteFile, error) {
	var (
		mu    sync.Mutex
		files []siteFile
	)
	err := tree.Scan(site, func(dir string, fd int, fs []tree.File) error {
		names := make(map[string]bool, len(fs))
		for _, f := range fs {
			names[f.Name] = true
		}
		var out []siteFile
		for _, f := range fs {
			if strings.HasSuffix(f.Name, ".gz") && names[strings.TrimSuffix(f.Name, ".gz")] {
				continue
			}
			rel, _ := filepath.Rel(site, filepath.Join(dir, f.Name))
			out = append(out, siteFile{rel: filepath.ToSlash(rel)})
		}
		mu.Lock()
		files = append(files, out...)
		mu.Unlock()
		return nil
	})
	return files, err
}

// hashFiles computes the sums of out[i] for every i of todo, on every CPU.
func hashFiles(ctx context.Context, site string, out []tree.PathSum, todo []int) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	const batch = 64
	for start := 0; start < len(todo); start += batch {
		part := todo[start:min(start+batch, len(todo))]
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			for _, i := range part {
				s, err := tree.FileSum(filepath.Join(site, out[i].Path))
				if err != nil {
					return err
				}
				out[i].Sum = s
			}
			return nil
		})
	}
	return g.Wait()
}

// distinctSums returns the sums, each once, in byte order.
func distinctSums(files []tree.PathSum) []archive.Sum {
	set := make([]archive.Sum, len(files))
	for i, f := range files {
		set[i] = f.Sum
	}
	slices.SortFunc(set, func(a, b archive.Sum) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(set)
}
