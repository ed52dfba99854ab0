package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"xinyong/archive/tsatest"
)

// checkpointForTest is shaped like a C2SP tlog-checkpoint signed note; the timestamp code treats it as
// opaque bytes, which is the point.
var checkpointForTest = []byte("xinyong.example/log\n42\nq2Dm7ZxP8pQ3vJ0z3mV4i8b1n0xYw2FQy3tY8QeQ4ZU=\n\n— xinyong.example/log Az3grlZmxi1ffl4sqPGIxGJzDQ0=\n")

// TestTimestampObtainedAndChecked: a timestamp is fetched from a real (throwaway) TSA over HTTP, checked
// against the TSA's roots, and read again by an independent ASN.1 reader that shares no code with the
// checker, so that a checker that accepted whatever it parsed would be caught.
func TestTimestampObtainedAndChecked(t *testing.T) {
	tsa := tsatest.New(t)
	before := time.Now().Add(-time.Second)
	resp, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().Add(time.Second)
	if tsa.Answered() != 1 {
		t.Fatalf("the TSA answered %d requests, want 1", tsa.Answered())
	}
	req := tsa.LastRequest()
	digest := sha256.Sum256(checkpointForTest)
	if !req.Certificates || req.Nonce == nil || req.Nonce.Sign() <= 0 || !bytes.Equal(req.HashedMessage, digest[:]) {
		t.Fatalf("request: certReq %v, nonce %v, imprint %x; want certReq, a positive nonce, %x",
			req.Certificates, req.Nonce, req.HashedMessage, digest)
	}

	info, err := CheckTimestamp(resp, checkpointForTest, tsa.Roots)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Chained {
		t.Error("Chained is false although roots were given")
	}
	if info.Time.Before(before.Truncate(time.Second)) || info.Time.After(after) || info.Time.Location() != time.UTC {
		t.Errorf("time %v, want a UTC time between %v and %v", info.Time, before, after)
	}
	if info.Subject != tsa.Cert.Subject.String() || !strings.Contains(info.Subject, "xinyong test TSA") {
		t.Errorf("subject %q, want %q", info.Subject, tsa.Cert.Subject.String())
	}
	if info.Serial == nil || info.Serial.Cmp(tsa.Cert.SerialNumber) != 0 {
		t.Errorf("serial %v, want the TSA certificate's %v", info.Serial, tsa.Cert.SerialNumber)
	}
	if !info.Policy.Equal(tsatest.PolicyOID) || info.TokenSerial == nil || info.Accuracy != time.Second {
		t.Errorf("policy %v, token serial %v, accuracy %v", info.Policy, info.TokenSerial, info.Accuracy)
	}

	// Without roots the signature is still checked, and the answer says the chain was not.
	unchained, err := CheckTimestamp(resp, checkpointForTest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if unchained.Chained || !unchained.Time.Equal(info.Time) {
		t.Errorf("without roots: Chained %v, time %v; want false, %v", unchained.Chained, unchained.Time, info.Time)
	}

	// The independent reader.
	got := readTimeStampResp(t, resp)
	if got.status != 0 {
		t.Errorf("independent reader: status %d, want 0 (granted)", got.status)
	}
	if !got.imprintAlg.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}) || !bytes.Equal(got.imprint, digest[:]) {
		t.Errorf("independent reader: imprint %v %x, want SHA-256 %x", got.imprintAlg, got.imprint, digest)
	}
	if got.nonce == nil || got.nonce.Cmp(req.Nonce) != 0 {
		t.Errorf("independent reader: nonce %v, want the request's %v", got.nonce, req.Nonce)
	}
	if !got.genTime.Equal(info.Time) {
		t.Errorf("independent reader: genTime %v, CheckTimestamp says %v", got.genTime, info.Time)
	}
	if !got.hasCert(tsa.Cert) {
		t.Error("independent reader: the token does not carry the TSA certificate")
	}

	// Each request has its own nonce.
	if _, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest); err != nil {
		t.Fatal(err)
	}
	if again := tsa.LastRequest(); again.Nonce.Cmp(req.Nonce) == 0 {
		t.Errorf("two requests used the same nonce %v", req.Nonce)
	}
}

// TestTimestampChangedByteFails: a timestamp does not check for another message, nor once its own bytes
// are changed (here its genTime, which the TSA signed).
func TestTimestampChangedByteFails(t *testing.T) {
	tsa := tsatest.New(t)
	resp, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, len(checkpointForTest) / 2, len(checkpointForTest) - 1} {
		changed := bytes.Clone(checkpointForTest)
		changed[i] ^= 1
		if _, err := CheckTimestamp(resp, changed, tsa.Roots); err == nil || !strings.Contains(err.Error(), "not the SHA-256") {
			t.Errorf("message byte %d changed: err %v, want an imprint mismatch", i, err)
		}
	}

	info, err := CheckTimestamp(resp, checkpointForTest, tsa.Roots)
	if err != nil {
		t.Fatal(err)
	}
	genTime := []byte(info.Time.Format("20060102150405Z"))
	at := bytes.Index(resp, genTime)
	if at < 0 || bytes.Count(resp, genTime) != 1 {
		t.Fatalf("genTime %s found %d times in the response", genTime, bytes.Count(resp, genTime))
	}
	forged := bytes.Clone(resp)
	forged[at+3]-- // one year earlier: a back-dated checkpoint
	if _, err := CheckTimestamp(forged, checkpointForTest, tsa.Roots); err == nil {
		t.Error("a back-dated genTime was accepted")
	}
	if _, err := CheckTimestamp(forged, checkpointForTest, nil); err == nil {
		t.Error("a back-dated genTime was accepted without roots: the signature was not checked")
	}

	for _, junk := range [][]byte{nil, []byte("<html>502 Bad Gateway</html>"), append(bytes.Clone(resp), 0)} {
		if _, err := CheckTimestamp(junk, checkpointForTest, nil); err == nil {
			t.Errorf("%q accepted as a timestamp", junk)
		}
	}
}

// TestTimestampWrongRootsFail: a valid token from a TSA the verifier does not trust is refused, and the
// certificate's validity is judged at the token's time.
func TestTimestampWrongRootsFail(t *testing.T) {
	tsa, other := tsatest.New(t), tsatest.New(t)
	resp, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckTimestamp(resp, checkpointForTest, other.Roots); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("another TSA's roots: err %v, want not trusted", err)
	}
	if _, err := CheckTimestamp(resp, checkpointForTest, x509.NewCertPool()); err == nil {
		t.Error("an empty root pool trusted the TSA")
	}
	// The TSA's own CA, but a certificate not meant for time-stamping: refused.
	tsa.SetFailure(tsatest.WrongKeyUsage)
	tls, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest)
	if err != nil {
		t.Fatal(err) // Timestamp has no roots and does not judge the chain.
	}
	if _, err := CheckTimestamp(tls, checkpointForTest, nil); err != nil {
		t.Fatalf("the signature by a TLS certificate: %v", err)
	}
	if _, err := CheckTimestamp(tls, checkpointForTest, tsa.Roots); err == nil || !strings.Contains(err.Error(), "key usage") {
		t.Errorf("a token signed by a TLS server certificate: err %v, want refused for its key usage", err)
	}
	tsa.SetFailure(tsatest.None)

	// The TSA's own CA as roots, but the TSA stamps a time after its certificate expired: refused.
	tsa.SetClock(func() time.Time { return time.Now().Add(72 * time.Hour) })
	late, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckTimestamp(late, checkpointForTest, tsa.Roots); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("a token dated after the TSA certificate expired: err %v, want expired", err)
	}
}

// TestTimestampTSAFailures: each way a TSA can answer wrongly gives an error that names the TSA and says
// what was wrong, and no timestamp.
func TestTimestampTSAFailures(t *testing.T) {
	tsa := tsatest.New(t)
	for _, c := range []struct {
		name    string
		failure tsatest.Failure
		want    string
	}{
		{"HTTP 500", tsatest.HTTP500, "HTTP 500 Internal Server Error"},
		{"rejection", tsatest.Rejection, `status 2 (the request is rejected), failure "the data submitted has the wrong format"`},
		{"wrong nonce", tsatest.WrongNonce, "nonce is not the request's"},
		{"wrong imprint", tsatest.WrongImprint, "not the SHA-256"},
		{"no certificate", tsatest.NoCertificate, "carries no certificate"},
		{"substituted certificate", tsatest.SubstitutedCertificate, "does not name the certificate that signed it"},
	} {
		tsa.SetFailure(c.failure)
		resp, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest)
		if err == nil || resp != nil {
			t.Errorf("%s: resp %d bytes, err %v; want an error", c.name, len(resp), err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), tsa.URL) {
			t.Errorf("%s: %v; want it to say %q and name %s", c.name, err, c.want, tsa.URL)
		}
	}
	tsa.SetFailure(tsatest.None)
	if _, err := Timestamp(context.Background(), nil, tsa.URL, checkpointForTest); err != nil {
		t.Errorf("after the failures: %v", err)
	}

	// A URL that is not a TSA's, e.g. a portal's login page behind a proxy.
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html><title>登录</title>"))
	}))
	defer page.Close()
	if _, err := Timestamp(context.Background(), nil, page.URL, checkpointForTest); err == nil || !strings.Contains(err.Error(), "the answer is text/html; charset=utf-8, not a timestamp response") {
		t.Errorf("a web page: %v; want it to say it is not a timestamp response", err)
	}
}

// TestTimestampTimeout: a TSA that does not answer costs the context's time, not more.
func TestTimestampTimeout(t *testing.T) {
	tsa := tsatest.New(t)
	tsa.SetFailure(tsatest.Hang)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Timestamp(ctx, nil, tsa.URL, checkpointForTest)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v, the context allowed 300ms", d)
	}
}

// TestTimestampRedactsUserinfo: a TSA account's name and password in the URL never reach an error
// message, whether the TSA answers wrongly or cannot be reached.
func TestTimestampRedactsUserinfo(t *testing.T) {
	tsa := tsatest.New(t)
	tsa.SetFailure(tsatest.HTTP500)
	withUser := strings.Replace(tsa.URL, "http://", "http://alice:s3cret@", 1)
	_, err := Timestamp(context.Background(), nil, withUser, checkpointForTest)
	if err == nil || strings.Contains(err.Error(), "alice") || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), tsa.URL) {
		t.Errorf("HTTP 500: %v; want an error naming %s without its userinfo", err, tsa.URL)
	}

	// A port nobody listens on: the HTTP client's own error, which repeats the URL.
	gone := tsatest.New(t)
	goneURL := gone.URL
	closed := strings.Replace(goneURL, "http://", "http://alice:s3cret@", 1)
	gone.Close()
	_, err = Timestamp(context.Background(), nil, closed, checkpointForTest)
	if err == nil || strings.Contains(err.Error(), "alice") || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), goneURL) {
		t.Errorf("unreachable: %v; want an error naming %s without its userinfo", err, goneURL)
	}

	_, err = Timestamp(context.Background(), nil, "http://alice:s3cret@[::1", checkpointForTest)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("unparsable URL: %v; want an error without the password", err)
	}
}

// tstResp is what the independent reader finds in a TimeStampResp.
type tstResp struct {
	status     int
	imprintAlg asn1.ObjectIdentifier
	imprint    []byte
	genTime    time.Time
	nonce      *big.Int
	certs      []*x509.Certificate
}

func (r tstResp) hasCert(c *x509.Certificate) bool {
	for _, have := range r.certs {
		if have.Equal(c) {
			return true
		}
	}
	return false
}

// readTimeStampResp reads a TimeStampResp (RFC 3161 section 2.4.2, the CMS SignedData of RFC 5652
// section 5, the TSTInfo of RFC 3161 section 2.4.2) element by element from its DER, by position and tag
// as the RFCs lay them out, independently of digitorus/timestamp, digitorus/pkcs7 and tsa.go.
func readTimeStampResp(t *testing.T, der []byte) tstResp {
	t.Helper()
	var r tstResp
	top := derChildren(t, der)
	if len(top) != 2 {
		t.Fatalf("TimeStampResp has %d elements, want status and token", len(top))
	}
	status := derChildren(t, top[0].FullBytes)
	mustUnmarshal(t, status[0].FullBytes, &r.status)

	contentInfo := derChildren(t, top[1].FullBytes)
	var contentType asn1.ObjectIdentifier
	mustUnmarshal(t, contentInfo[0].FullBytes, &contentType)
	if !contentType.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}) || contentInfo[1].Class != asn1.ClassContextSpecific || contentInfo[1].Tag != 0 {
		t.Fatalf("token content type %v, want signedData in [0]", contentType)
	}
	fields := derChildren(t, contentInfo[1].Bytes) // [0] EXPLICIT: its content is the SignedData
	encap := derChildren(t, fields[2].FullBytes)
	var eContentType asn1.ObjectIdentifier
	mustUnmarshal(t, encap[0].FullBytes, &eContentType)
	if !eContentType.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}) {
		t.Fatalf("eContentType %v, want id-ct-TSTInfo", eContentType)
	}
	var tstInfoDER []byte
	mustUnmarshal(t, encap[1].Bytes, &tstInfoDER) // [0] EXPLICIT OCTET STRING
	for _, f := range fields[3:] {
		if f.Class == asn1.ClassContextSpecific && f.Tag == 0 { // certificates [0] IMPLICIT SET OF
			certs, err := x509.ParseCertificates(f.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			r.certs = certs
		}
	}

	tst := derChildren(t, tstInfoDER)
	imprint := derChildren(t, tst[2].FullBytes)
	alg := derChildren(t, imprint[0].FullBytes)
	mustUnmarshal(t, alg[0].FullBytes, &r.imprintAlg)
	mustUnmarshal(t, imprint[1].FullBytes, &r.imprint)
	if tst[4].Tag != asn1.TagGeneralizedTime {
		t.Fatalf("TSTInfo's fifth element has tag %d, want GeneralizedTime", tst[4].Tag)
	}
	gt, err := time.Parse("20060102150405Z0700", string(tst[4].Bytes))
	if err != nil {
		t.Fatal(err)
	}
	r.genTime = gt.UTC()
	// After genTime: accuracy (SEQUENCE), ordering (BOOLEAN), nonce (INTEGER), tsa [0], extensions [1],
	// each optional; the nonce is the only INTEGER.
	for _, f := range tst[5:] {
		if f.Class == asn1.ClassUniversal && f.Tag == asn1.TagInteger {
			r.nonce = new(big.Int)
			mustUnmarshal(t, f.FullBytes, &r.nonce)
		}
	}
	return r
}

// derChildren splits the content of one constructed DER value into its elements.
func derChildren(t *testing.T, der []byte) []asn1.RawValue {
	t.Helper()
	var outer asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &outer); err != nil || len(rest) > 0 {
		t.Fatalf("not one DER value: %v, %d bytes after it", err, len(rest))
	}
	var out []asn1.RawValue
	for b := outer.Bytes; len(b) > 0; {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(b, &v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
		b = rest
	}
	return out
}

func mustUnmarshal(t *testing.T, der []byte, v any) {
	t.Helper()
	if rest, err := asn1.Unmarshal(der, v); err != nil || len(rest) > 0 {
		t.Fatalf("unmarshal %T: %v, %d bytes after it", v, err, len(rest))
	}
}
