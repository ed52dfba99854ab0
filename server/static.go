package server

import (
	"bytes"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"xinyong/internal/precompress"
)

// Cache lifetimes. Pages and feeds are cached briefly, so that an entry taken down after 信用修复 leaves
// readers' caches within minutes; fingerprinted assets never change under their name.
const (
	cacheShort     = "public, max-age=300"
	cacheNotFound  = "public, max-age=60"
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheNone      = "no-store"
)

// fingerprinted matches a file name with Hugo's fingerprint: main.min.<hex>.css.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{32,}\.[A-Za-z0-9]+$`)

// contentTypes are the types of the site's files, with the charset of the text ones.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json; charset=utf-8",
	".xml":   "application/xml; charset=utf-8",
	".rss":   "application/rss+xml; charset=utf-8",
	".svg":   "image/svg+xml",
	".txt":   "text/plain; charset=utf-8",
	".csv":   "text/csv; charset=utf-8",
	".jsonl": "application/jsonl; charset=utf-8",
	".md":    "text/markdown; charset=utf-8",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".ico":   "image/x-icon",
	".webp":  "image/webp",
	".gz":    "application/gzip",
	".zip":   "application/zip",
	".pdf":   "application/pdf",
}

func contentType(name string) string {
	if path.Base(name) == "SHA256SUMS" { // the open-data checksums (sha256sum -c)
		return contentTypes[".txt"]
	}
	// The publication log (docs/archive.md): the checkpoint and the verifier key are text, as C2SP
	// tlog-checkpoint has it; its time stamp an RFC 3161 reply; the tiles and bundles bytes.
	switch name {
	case "log/checkpoint", "log/vkey":
		return contentTypes[".txt"]
	case "log/checkpoint.tsr":
		return "application/timestamp-reply"
	}
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// fullTile reports whether name is a full tile or entry bundle of the publication log, which never
// changes under its name (a partial one, tile/…/<N>.p/<W>, is replaced by a wider one).
func fullTile(name string) bool {
	return strings.HasPrefix(name, "log/tile/") && !strings.Contains(name, ".p/")
}

// compressible reports whether a type is text, which the release may have precompressed.
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "json") ||
		strings.Contains(ctype, "xml") || strings.HasPrefix(ctype, "image/svg")
}

// siteName turns a URL path into a name inside the site directory: "." for "/", "red/E01" for
// "/red/E01/". It refuses paths that are not clean and absolute, and every path with a segment that
// starts with a dot (.., ., dotfiles), a backslash or a NUL.
func siteName(urlPath string) (string, bool) {
	if !strings.HasPrefix(urlPath, "/") || strings.ContainsAny(urlPath, "\\\x00") {
		return "", false
	}
	p := strings.TrimSuffix(urlPath[1:], "/")
	if p == "" {
		return ".", true
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "" || seg[0] == '.' {
			return "", false
		}
	}
	return p, true
}

// serveStatic answers a request for a file of the site.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, st *state) {
	name, ok := siteName(r.URL.Path)
	if !ok {
		s.notFound(w, r, st)
		return
	}
	f, fi, err := openFile(st.root, name)
	if err != nil {
		s.notFound(w, r, st)
		return
	}
	if fi.IsDir() {
		f.Close()
		if !strings.HasSuffix(r.URL.Path, "/") {
			redirectSlash(w, r)
			return
		}
		name = path.Join(name, "index.html")
		if f, fi, err = openFile(st.root, name); err != nil || fi.IsDir() {
			if err == nil {
				f.Close()
			}
			s.notFound(w, r, st)
			return
		}
	} else if strings.HasSuffix(r.URL.Path, "/") {
		f.Close()
		s.notFound(w, r, st)
		return
	}
	defer func() { f.Close() }()

	h := w.Header()
	ctype := contentType(name)
	h.Set("Content-Type", ctype)
	if fingerprinted.MatchString(name) || fullTile(name) {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheShort)
	}
	gz := false
	var content io.ReadSeeker = f
	if compressible(ctype) {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			if zf, zi, err := openFile(st.root, name+".gz"); err == nil && !zi.IsDir() {
				f.Close()
				f, fi, gz = zf, zi, true
				content = f
			} else {
				if err == nil {
					zf.Close()
				}
				// No .gz beside it (a release precompresses the pages many read, not every record's page):
				// compressed now, to the bytes the release would have written.
				if z, release := compressFile(f, fi.Size()); z != nil {
					defer release()
					content, gz = bytes.NewReader(z), true
				}
			}
			if gz {
				h.Set("Content-Encoding", "gzip")
			}
		}
	}
	h.Set("ETag", etag(fi, gz))
	http.ServeContent(w, withoutExcessRanges(r), "", fi.ModTime(), content)
}

// maxOnTheFly is the largest file the server compresses per request; larger ones without a .gz (which the
// release writes for every large text file) are sent as they are.
const maxOnTheFly = 1 << 20

// compressors are the gzip writers of on-the-fly compression, reused across requests.
var compressors = sync.Pool{New: func() any { return precompress.NewWriter() }}

// compressFile returns the gzip of a file of size bytes, and the function that releases the bytes once sent;
// nil when the file is too small or too large to be worth it, or cannot be read.
func compressFile(f io.Reader, size int64) ([]byte, func()) {
	if size < precompress.MinSize || size > maxOnTheFly {
		return nil, nil
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, nil
	}
	zw := compressors.Get().(*precompress.Writer)
	z, err := zw.Compress(data)
	if err != nil {
		compressors.Put(zw)
		return nil, nil
	}
	return z, func() { compressors.Put(zw) }
}

// openFile opens a regular file or a directory of the site. Anything else is not there: it is opened
// non-blocking, so that a FIFO (whose open blocks until a writer comes) or a device never holds the
// request, and then refused by its mode. O_NONBLOCK does not change reads of regular files.
func openFile(root *os.Root, name string) (*os.File, fs.FileInfo, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		err = fs.ErrNotExist
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// etag is a strong validator of a file of a release: a release never changes, so its size and time
// identify its content; the gzip variant has its own.
func etag(fi fs.FileInfo, gz bool) string {
	t := `"` + strconv.FormatInt(fi.Size(), 36) + "-" + strconv.FormatInt(fi.ModTime().UnixNano(), 36)
	if gz {
		t += "-gz"
	}
	return t + `"`
}

// acceptsGzip reports whether the request's Accept-Encoding (RFC 9110 §12.5.3) lets the answer be gzip:
// gzip (or x-gzip) with a q-value above 0 or, when neither is named, "*" with one; and not less wanted
// than identity when identity is weighted (named, or covered by "*"). Codings and parameter names are case-insensitive;
// a malformed q-value counts as 0. Without the header, or with an empty one, the answer is not encoded.
func acceptsGzip(r *http.Request) bool {
	gz, star, identity := -1.0, -1.0, -1.0 // -1: not named
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			q := qValue(params)
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gz = max(gz, q)
			case "*":
				star = max(star, q)
			case "identity":
				identity = max(identity, q)
			}
		}
	}
	if gz < 0 {
		gz = star
	}
	if identity < 0 {
		identity = star // identity unweighted: any gzip weight above 0 wins
	}
	return gz > 0 && gz >= identity
}

// qValue returns the weight among the parameters of one coding ("q=0.5", "Q=1"): 1 without one, 0 when
// it is malformed (qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )).
func qValue(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		name, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		whole, frac, dot := strings.Cut(v, ".")
		if whole != "0" && whole != "1" || dot && len(frac) > 3 || strings.Trim(frac, "0123456789") != "" {
			return 0
		}
		q, err := strconv.ParseFloat(v, 64)
		if err != nil || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// maxRanges is the most byte ranges a request may ask for at once. Each range of a multipart answer
// carries its own part header, so 2,000 one-byte ranges made a 17.8 KB file 16 times its size; a request
// for more is answered with the whole file (200), which RFC 9110 §14.2 allows ("a server MAY ignore the
// Range header field").
const maxRanges = 5

// withoutExcessRanges returns r, or a copy of r without its Range header when it asks for more than
// maxRanges ranges.
func withoutExcessRanges(r *http.Request) *http.Request {
	n := 0
	for _, v := range r.Header.Values("Range") {
		n += strings.Count(v, ",") + 1
	}
	if n <= maxRanges {
		return r
	}
	r = r.Clone(r.Context())
	r.Header.Del("Range")
	return r
}

// redirectSlash sends a directory's address without its final slash to the address with it, keeping the
// query.
func redirectSlash(w http.ResponseWriter, r *http.Request) {
	target := r.URL.EscapedPath() + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	// A path that starts with // would be a host to the browser; siteName has refused those already.
	w.Header().Set("Cache-Control", cacheShort)
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

// notFound answers with the site's 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *state) {
	h := w.Header()
	h.Set("Content-Type", contentTypes[".html"])
	h.Set("Cache-Control", cacheNotFound)
	h.Set("Content-Length", strconv.Itoa(len(st.notFound)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(st.notFound)
	}
}
