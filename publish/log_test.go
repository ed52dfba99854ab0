package publish_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"xinyong/archive"
	"xinyong/archive/tsatest"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// logNights publishes a demo twice, the second time after one entry, whose subject has no other and
// whose name is on its own page only, is repaired, keeping one release: the first is pruned. It returns
// the data directory, both results, the repaired entry's page as the first night served it, and what
// names the repaired subject.
func logNights(t *testing.T) (data string, first, night *publish.Result, page []byte, secrets []string, firstCheckpoint []byte) {
	t.Helper()
	built := time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)
	path := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 150, Seed: 7, AsOf: fixture.AsOf})
		return err
	})
	db, err := exchange.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	data = t.TempDir()
	first = mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Keep: 1, Now: func() time.Time { return built }})
	firstCheckpoint, err = os.ReadFile(filepath.Join(first.Dir, publish.SiteDir, publish.SiteLogDir, archive.CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	list, repairID, secrets := soleNamedEntry(t, first.Dir)
	page, err = os.ReadFile(filepath.Join(first.Dir, publish.SiteDir, list, repairID, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	as := fixture.AsOf.String()
	execAll(t, path, `UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '`+as+`', updated_at = '`+as+`T20:00:00+08:00'
		WHERE id = '`+repairID+`'`)
	night = mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Keep: 1, Now: func() time.Time { return built.Add(time.Hour) }})
	if _, err := os.Stat(first.Dir); !os.IsNotExist(err) {
		t.Fatalf("the first release was not pruned: %v", err)
	}
	return data, first, night, page, secrets, firstCheckpoint
}

// TestRun_LogProvesRemovedPage: a page saved on the first night is proved published on its as-of date and
// taken down by the second release, after its entry was repaired and after the release that served it
// was pruned; one changed byte is refused; nothing the log holds or answers names the repaired subject.
func TestRun_LogProvesRemovedPage(t *testing.T) {
	data, first, night, page, secrets, _ := logNights(t)
	lg, err := archive.Open(publish.Layout{Root: data}.Log())
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := os.ReadFile(filepath.Join(night.Dir, publish.SiteDir, publish.SiteLogDir, archive.VKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	sum := archive.Sum(sha256.Sum256(page))
	p, err := lg.Prove(sum)
	if err != nil {
		t.Fatal(err)
	}
	v, err := archive.Check(p, sum, string(vkey))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Signed || !v.Found || len(v.Periods) != 1 {
		t.Fatalf("verified: %+v", v)
	}
	pd := v.Periods[0]
	if pd.From.Release != first.ID || pd.From.AsOf != fixture.AsOf.String() || pd.To.Release != first.ID ||
		pd.Current || pd.Removed == nil || pd.Removed.Release != night.ID {
		t.Errorf("period: %+v (removed %+v), want from and to %s, removed by %s", pd, pd.Removed, first.ID, night.ID)
	}

	// One character changed: the log never recorded these bytes.
	forged := bytes.Replace(page, []byte("<title>"), []byte("<title> "), 1)
	if bytes.Equal(forged, page) {
		t.Fatal("the page has no <title>")
	}
	fsum := archive.Sum(sha256.Sum256(forged))
	fp, err := lg.Prove(fsum)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := archive.Check(fp, fsum, string(vkey)); err != nil || v.Found {
		t.Fatalf("forged page: %+v, %v", v, err)
	}
	// The genuine proof does not prove the forged page.
	if _, err := archive.Check(p, fsum, string(vkey)); err == nil {
		t.Fatal("the genuine page's proof checked for the forged one")
	}

	// A page both nights served is proved current.
	home, err := os.ReadFile(filepath.Join(night.Dir, publish.SiteDir, "about", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	hsum := archive.Sum(sha256.Sum256(home))
	hp, err := lg.Prove(hsum)
	if err != nil {
		t.Fatal(err)
	}
	hv, err := archive.Check(hp, hsum, string(vkey))
	if err != nil || len(hv.Periods) != 1 || !hv.Periods[0].Current || hv.Periods[0].From.Release != first.ID ||
		hv.Latest == nil || hv.Latest.Release != night.ID {
		t.Fatalf("about page: %+v, %v", hv, err)
	}

	// Privacy: no name, code or legal representative of the repaired subject in the log directory, the
	// published log or the proofs.
	answers, _ := json.Marshal([]*archive.Proof{p, fp, hp})
	haystacks := map[string][]byte{"proofs": answers}
	for _, root := range []string{publish.Layout{Root: data}.Log(), filepath.Join(night.Dir, publish.SiteDir, publish.SiteLogDir),
		filepath.Join(night.Dir, publish.LogDir)} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			if d.Type().IsRegular() {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				haystacks[path] = b
			}
			return nil
		})
	}
	if len(haystacks) < 10 {
		t.Fatalf("only %d files searched", len(haystacks))
	}
	for name, b := range haystacks {
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s names the repaired subject: %q", name, s)
			}
		}
		// Nothing but ASCII either (no name in any encoding): entries, tiles are hashes, ids, dates, counts.
		if name == "proofs" || strings.HasSuffix(name, archive.CheckpointFile) || strings.HasSuffix(name, ".json") {
			for _, r := range string(b) {
				if r > 0x7f && r != '—' {
					t.Errorf("%s holds %q", name, r)
					break
				}
			}
		}
	}
}

// TestRun_LogIndependentReader reads the log as a client of C2SP tlog-tiles would, with none of the
// writer's code: the entry bundles and level-0 tiles the site publishes, the checkpoint's root recomputed
// by RFC 6962 from the entries, its Ed25519 signature checked against /log/vkey, the second night's tree
// proved to extend the first's (transparency-dev/merkle's verifier), and the release entry's pages-root
// recomputed from the SHA-256 of every file the site serves.
func TestRun_LogIndependentReader(t *testing.T) {
	data, first, night, _, _, firstCP := logNights(t)
	// The first publication read only the files nobody had summed as they wrote them (Hugo's pages and
	// the assets): the record, list and term pages' sums came from the renderer, the downloads' from
	// their SHA256SUMS. The night's root below checks those sums against the files.
	if m := first.Manifest.Log; m == nil || m.Hashed == 0 || int64(m.Hashed)*3 > m.Pages {
		t.Errorf("the first publication hashed %+v files: want a third of the pages at most (Hugo's and the assets, about 70 here)", m)
	}
	logDir := filepath.Join(night.Dir, publish.SiteDir, publish.SiteLogDir)
	read := func(rel string) []byte {
		b, err := os.ReadFile(filepath.Join(logDir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cp := read("checkpoint")
	origin, size, root := parseCP(t, cp)
	vkey := strings.TrimSpace(string(read("vkey")))
	checkNoteSig(t, cp, vkey, origin)
	if size < 3 {
		t.Fatalf("size %d", size)
	}
	// The entries, from the bundles: 256 per full bundle, the last one partial.
	var entries [][]byte
	for n := int64(0); n*256 < size; n++ {
		w := min(256, size-n*256)
		name := fmt.Sprintf("tile/entries/%03d", n)
		if w < 256 {
			name += fmt.Sprintf(".p/%d", w)
		}
		b := read(name)
		for len(b) > 0 {
			l := int(binary.BigEndian.Uint16(b))
			entries = append(entries, b[2:2+l])
			b = b[2+l:]
		}
	}
	if int64(len(entries)) != size {
		t.Fatalf("%d entries in the bundles, checkpoint says %d", len(entries), size)
	}
	leaves := make([][]byte, len(entries))
	for i, e := range entries {
		h := sha256.Sum256(append([]byte{0}, e...))
		leaves[i] = h[:]
	}
	if got := mth(leaves); !bytes.Equal(got, root) {
		t.Fatalf("root recomputed from the entries %x, checkpoint %x", got, root)
	}
	// Level-0 tiles are the leaf hashes.
	tile0 := read(fmt.Sprintf("tile/0/%03d", 0) + map[bool]string{true: fmt.Sprintf(".p/%d", size), false: ""}[size < 256])
	if !bytes.Equal(tile0, bytes.Join(leaves[:min(256, size)], nil)) {
		t.Fatal("tile 0/000 is not the leaf hashes")
	}
	// The last entry is the release entry of the night: its pages-root is the Merkle tree of the distinct
	// SHA-256 of every file the site serves (but the .gz beside another file, and log/).
	last := string(entries[size-1])
	if !strings.HasPrefix(last, "xinyong-log-release v1\nrelease "+night.ID+"\n") {
		t.Fatalf("last entry:\n%s", last)
	}
	var sums [][]byte
	site := filepath.Join(night.Dir, publish.SiteDir)
	filepath.WalkDir(site, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(site, path)
		if d.IsDir() && rel == publish.SiteLogDir {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if base, ok := strings.CutSuffix(path, ".gz"); ok {
			if _, err := os.Stat(base); err == nil {
				return nil
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(b)
		sums = append(sums, s[:])
		return nil
	})
	slices.SortFunc(sums, bytes.Compare)
	sums = slices.CompactFunc(sums, bytes.Equal)
	setLeaves := make([][]byte, len(sums))
	for i, s := range sums {
		h := sha256.Sum256(append([]byte{0}, s...))
		setLeaves[i] = h[:]
	}
	want := base64.StdEncoding.EncodeToString(mth(setLeaves))
	if !strings.Contains(last, "\npages "+strconv.Itoa(len(sums))+"\n") || !strings.Contains(last, "\npages-root "+want+"\n") {
		t.Fatalf("release entry does not commit to the %d files served (root %s):\n%s", len(sums), want, last)
	}

	// The night summed only what changed, taking the rest from the first release's site.sums: the root
	// above holds for that path, not only for a first release's.
	if m := night.Manifest.Log; m == nil || m.Hashed == 0 || m.Hashed*4 > len(sums) {
		t.Errorf("the second night hashed %+v of %d files: want only what changed", m, len(sums))
	}

	// Append-only: the second checkpoint's tree extends the first's.
	_, size1, root1 := parseCP(t, firstCP)
	lg, err := archive.Open(publish.Layout{Root: data}.Log())
	if err != nil {
		t.Fatal(err)
	}
	tp, err := lg.ProveConsistency(size1)
	if err != nil {
		t.Fatal(err)
	}
	hashes := make([][]byte, len(tp))
	for i := range tp {
		hashes[i] = tp[i][:]
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, uint64(size1), uint64(size), hashes, root1, root); err != nil {
		t.Fatalf("the second tree does not extend the first: %v", err)
	}
	// And an inclusion proof of the first entry, from the server side, checks with the independent verifier.
	p, err := lg.Prove(archive.Sum(sha256.Sum256([]byte("never published"))))
	if err != nil || p.Found {
		t.Fatalf("%+v %v", p, err)
	}
}

// mth is RFC 6962's Merkle tree hash of leaf hashes.
func mth(leaves [][]byte) []byte {
	switch len(leaves) {
	case 0:
		h := sha256.Sum256(nil)
		return h[:]
	case 1:
		return leaves[0]
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	h := sha256.Sum256(append(append([]byte{1}, mth(leaves[:k])...), mth(leaves[k:])...))
	return h[:]
}

// parseCP reads a C2SP checkpoint's origin, size and root.
func parseCP(t *testing.T, cp []byte) (string, int64, []byte) {
	t.Helper()
	lines := strings.Split(string(cp), "\n")
	if len(lines) < 4 {
		t.Fatalf("checkpoint:\n%s", cp)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		t.Fatalf("root %q", lines[2])
	}
	return lines[0], n, root
}

// checkNoteSig checks a signed note's Ed25519 signature by the verifier key name+hash+base64(0x01 || key),
// as the signed-note format defines it: the signature line "— <name> <base64(key hash || signature)>"
// over the text before the blank line.
func checkNoteSig(t *testing.T, msg []byte, vkey, origin string) {
	t.Helper()
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || parts[0] != origin {
		t.Fatalf("vkey %q for origin %q", vkey, origin)
	}
	keyHash, _ := hex.DecodeString(parts[1])
	pub, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(pub) != 33 || pub[0] != 1 {
		t.Fatalf("vkey %q", vkey)
	}
	text, sigs, ok := strings.Cut(string(msg), "\n\n")
	if !ok {
		t.Fatal("the checkpoint is not signed")
	}
	prefix := "— " + origin + " "
	sig := strings.TrimSuffix(strings.TrimPrefix(sigs, prefix), "\n")
	if !strings.HasPrefix(sigs, prefix) {
		t.Fatalf("signature line %q", sigs)
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(raw) != 4+64 || !bytes.Equal(raw[:4], keyHash) {
		t.Fatalf("signature %q", sig)
	}
	if !ed25519.Verify(ed25519.PublicKey(pub[1:]), []byte(text+"\n"), raw[4:]) {
		t.Fatal("the checkpoint's signature does not verify")
	}
	// A changed byte of the text fails.
	if ed25519.Verify(ed25519.PublicKey(pub[1:]), []byte(strings.Replace(text, "\n", "\n ", 1)+"\n"), raw[4:]) {
		t.Fatal("a changed checkpoint verifies")
	}
}

// TestRollback_Logged: a rollback is a switch of what the site serves, and the log records it (event
// rolled-back): a page the second release replaced is proved served again from the rollback on, and a
// rollback to the current release records nothing.
func TestRollback_Logged(t *testing.T) {
	built := time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)
	db := fixture.MustDemo(t, 100)
	data := t.TempDir()
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, BaseURL: "https://a.example.invalid/",
		Now: func() time.Time { return built }})
	// Another base URL: every page changes, no entry leaves, so the rollback is allowed.
	second := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, BaseURL: "https://b.example.invalid/",
		Now: func() time.Time { return built.Add(time.Hour) }})
	page, err := os.ReadFile(filepath.Join(first.Dir, publish.SiteDir, "about", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	lg, _ := archive.Open(publish.Layout{Root: data}.Log())
	size := lg.State.Size
	if _, err := publish.RollbackWith(data, second.ID, fixture.AsOf, publish.RollbackOptions{}); err != nil {
		t.Fatal(err)
	}
	if lg, _ = archive.Open(publish.Layout{Root: data}.Log()); lg.State.Size != size {
		t.Fatalf("a rollback to the current release appended %d entries", lg.State.Size-size)
	}
	at := built.Add(2 * time.Hour)
	if _, err := publish.RollbackWith(data, first.ID, fixture.AsOf, publish.RollbackOptions{Now: func() time.Time { return at }}); err != nil {
		t.Fatal(err)
	}
	lg, _ = archive.Open(publish.Layout{Root: data}.Log())
	if lg.State.Size <= size || lg.State.Release != first.ID {
		t.Fatalf("the rollback is not recorded: %+v", lg.State)
	}
	vkey, _ := os.ReadFile(filepath.Join(lg.Dir, archive.VKeyFile))
	sum := archive.Sum(sha256.Sum256(page))
	p, err := lg.Prove(sum)
	if err != nil {
		t.Fatal(err)
	}
	v, err := archive.Check(p, sum, string(vkey))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Signed || len(v.Periods) != 2 {
		t.Fatalf("%+v", v)
	}
	a, b := v.Periods[0], v.Periods[1]
	if a.From.Release != first.ID || a.Removed == nil || a.Removed.Release != second.ID || a.Current {
		t.Errorf("first period: %+v", a)
	}
	if b.From.Release != first.ID || b.From.Event != archive.EventRolledBack || !b.From.At.Equal(at) || !b.Current {
		t.Errorf("second period: %+v", b)
	}
	// The rollback's pending directory is gone once committed.
	if left, _ := filepath.Glob(filepath.Join(lg.Dir, "pending-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestRun_LogTimestamped: with a time-stamping authority (a throwaway one, in process), every checkpoint
// gets an RFC 3161 time stamp, published beside it and carried by the proofs; one that fails leaves the
// checkpoint unstamped and the publication published.
func TestRun_LogTimestamped(t *testing.T) {
	tsa := tsatest.New(t)
	stamp := func(ctx context.Context, cp []byte) ([]byte, error) { return archive.Timestamp(ctx, nil, tsa.URL, cp) }
	db := fixture.MustDemo(t, 80)
	data := t.TempDir()
	built := time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)
	res := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Now: func() time.Time { return built },
		Log: publish.LogOptions{Timestamp: stamp}})
	logDir := filepath.Join(res.Dir, publish.SiteDir, publish.SiteLogDir)
	cp, err := os.ReadFile(filepath.Join(logDir, archive.CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	tsr, err := os.ReadFile(filepath.Join(logDir, archive.TimestampFile))
	if err != nil {
		t.Fatal(err)
	}
	info, err := archive.CheckTimestamp(tsr, cp, tsa.Roots)
	if err != nil || !info.Chained {
		t.Fatalf("the published time stamp: %+v, %v", info, err)
	}
	if _, err := archive.CheckTimestamp(tsr, append(cp, ' '), tsa.Roots); err == nil {
		t.Fatal("the time stamp checks for another checkpoint")
	}
	if res.Manifest.Log == nil || !res.Manifest.Log.Stamped || tsa.Answered() != 1 {
		t.Fatalf("manifest %+v, %d answered", res.Manifest.Log, tsa.Answered())
	}
	page, _ := os.ReadFile(filepath.Join(res.Dir, publish.SiteDir, "about", "index.html"))
	lg, _ := archive.Open(publish.Layout{Root: data}.Log())
	p, err := lg.Prove(archive.Sum(sha256.Sum256(page)))
	if err != nil || !bytes.Equal(p.Timestamp, tsr) || p.Checkpoint != string(cp) {
		t.Fatalf("the proof does not carry the time stamp: %v", err)
	}

	// The authority fails: published all the same, without a time stamp.
	tsa.SetFailure(tsatest.HTTP500)
	res = mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Now: func() time.Time { return built.Add(time.Hour) },
		BaseURL: "https://b.example.invalid/", Log: publish.LogOptions{Timestamp: stamp}})
	if res.Manifest.Log.Stamped {
		t.Fatal("stamped by a failing authority")
	}
	if _, err := os.Stat(filepath.Join(res.Dir, publish.SiteDir, publish.SiteLogDir, archive.TimestampFile)); !os.IsNotExist(err) {
		t.Fatalf("a time stamp is published beside the new checkpoint: %v", err)
	}
	lg, _ = archive.Open(publish.Layout{Root: data}.Log())
	if p, err := lg.Prove(archive.Sum(sha256.Sum256(page))); err != nil || p.Timestamp != nil {
		t.Fatalf("the proof carries the old checkpoint's time stamp: %v", err)
	}
}
