package archive

// RFC 3161 trusted timestamps for checkpoints (issue 15, part 5). A checkpoint proves what the log held
// when the office signed it, but the office's own key cannot prove when: it could sign a back-dated
// checkpoint at any time. A time-stamping authority, a third party, signs that the checkpoint's SHA-256
// existed at its time. docs/archive-tsa.md says what that proves and what it does not.
//
// The published file is the TSA's whole TimeStampResp, DER, exactly as the TSA sent it (the ".tsr" that
// `openssl ts -reply -in checkpoint.tsr -text` prints and `openssl ts -verify` checks), not only the
// TimeStampToken inside it: both openssl and CheckTimestamp read it as it is, and keeping the TSA's bytes
// untouched keeps its signature valid.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// maxTimestampResponse bounds what Timestamp reads from a TSA: a response with a certificate chain is a
// few kilobytes; a megabyte means something other than a TSA answered.
const maxTimestampResponse = 1 << 20

// TimestampInfo is what a checked RFC 3161 timestamp says.
type TimestampInfo struct {
	// Time is the TSA's genTime, in UTC: the TSA attests that the message existed at this time.
	Time time.Time
	// Accuracy is the TSA's stated accuracy of Time (zero when it states none).
	Accuracy time.Duration
	// Policy is the TSA policy the token was issued under.
	Policy asn1.ObjectIdentifier
	// TokenSerial is the token's serial number, unique per TSA.
	TokenSerial *big.Int
	// Subject and Serial name the certificate that signed the token: its subject (RFC 2253) and serial.
	Subject string
	Serial  *big.Int
	// Chained is true when the signing certificate was checked to chain to the given roots, at Time, with
	// the timeStamping extended key usage. When false only the signature against the certificate the
	// token carries was checked, which proves nothing about who signed.
	Chained bool
}

// OIDs the check needs that crypto/x509 and the libraries do not export.
var (
	oidTSTInfo              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidSigningCertificate   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	oidSigningCertificateV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA256               = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
)

// Timestamp asks the TSA at tsaURL for an RFC 3161 timestamp of SHA-256(msg) and returns its whole
// TimeStampResp, DER, once it is checked: status granted, the token signed by the certificate it carries
// (the request asks for it), its message imprint SHA-256(msg), its nonce the request's. It does not check
// who the TSA is (no roots): that is CheckTimestamp's job when the response is verified. A nil client is
// http.DefaultClient; the time allowed comes from ctx. Errors name the TSA's URL without its userinfo.
func Timestamp(ctx context.Context, client *http.Client, tsaURL string, msg []byte) ([]byte, error) {
	where := redactURL(tsaURL)
	digest := sha256.Sum256(msg)
	// A 128-bit random nonce ties the answer to this request, so a replayed or misrouted answer for the
	// same digest is refused.
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("timestamp %s: nonce: %w", where, err)
	}
	req := timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest[:], Nonce: nonce, Certificates: true}
	query, err := req.Marshal()
	if err != nil {
		return nil, fmt.Errorf("timestamp %s: request: %w", where, err)
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, tsaURL, bytes.NewReader(query))
	if err != nil {
		return nil, fmt.Errorf("timestamp %s: %w", where, unwrapURLError(err))
	}
	httpReq.Header.Set("Content-Type", "application/timestamp-query")
	httpReq.Header.Set("Accept", "application/timestamp-reply")
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(httpReq)
	if err != nil {
		// The client's own error repeats the URL with its username; ours names it redacted.
		return nil, fmt.Errorf("timestamp %s: %w", where, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("timestamp %s: the TSA answered HTTP %s", where, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTimestampResponse+1))
	if err != nil {
		return nil, fmt.Errorf("timestamp %s: read the answer: %w", where, unwrapURLError(err))
	}
	if len(body) > maxTimestampResponse {
		return nil, fmt.Errorf("timestamp %s: the answer is larger than %d bytes: not a timestamp response", where, maxTimestampResponse)
	}
	ts, _, err := checkResponse(body, digest[:], nil)
	if err != nil {
		if ct := resp.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/timestamp-") {
			return nil, fmt.Errorf("timestamp %s: the answer is %s, not a timestamp response: %w", where, ct, err)
		}
		return nil, fmt.Errorf("timestamp %s: %w", where, err)
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("timestamp %s: the token's nonce is not the request's: the answer is not to this request", where)
	}
	return body, nil
}

// CheckTimestamp checks that resp, a DER TimeStampResp as Timestamp returns it, is a granted timestamp of
// SHA-256(msg) whose signature is valid for the certificate it carries. With roots non-nil it also checks
// that this certificate chains to roots and may stamp time (extended key usage timeStamping), both at the
// token's time: a timestamp stays valid after its TSA certificate expires, which is what it is for.
// Revocation is not checked (no CRL or OCSP is fetched). The answer says whether the chain was checked.
func CheckTimestamp(resp, msg []byte, roots *x509.CertPool) (TimestampInfo, error) {
	digest := sha256.Sum256(msg)
	ts, signer, err := checkResponse(resp, digest[:], roots)
	if err != nil {
		return TimestampInfo{}, fmt.Errorf("timestamp: %w", err)
	}
	return TimestampInfo{
		Time:        ts.Time.UTC(),
		Accuracy:    ts.Accuracy,
		Policy:      ts.Policy,
		TokenSerial: ts.SerialNumber,
		Subject:     signer.Subject.String(),
		Serial:      signer.SerialNumber,
		Chained:     roots != nil,
	}, nil
}

// checkResponse does the checks Timestamp and CheckTimestamp share and returns the parsed token and the
// certificate that signed it.
func checkResponse(resp, digest []byte, roots *x509.CertPool) (*timestamp.Timestamp, *x509.Certificate, error) {
	token, err := grantedToken(resp)
	if err != nil {
		return nil, nil, err
	}
	// digitorus/timestamp checks the CMS signature (the signed attributes' message digest is that of the
	// TSTInfo, the signature over them verifies with the signer's certificate), but only when the token
	// carries certificates: without one there is nothing to check, so such a token is refused.
	ts, err := timestamp.Parse(token)
	if err != nil {
		return nil, nil, fmt.Errorf("bad token: %w", err)
	}
	if !ts.AddTSACertificate {
		return nil, nil, errors.New("the token carries no certificate: its signature cannot be checked")
	}
	if ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, digest) {
		return nil, nil, fmt.Errorf("the token stamps %s %x, not the SHA-256 %x of this message", ts.HashAlgorithm, ts.HashedMessage, digest)
	}
	p7, err := pkcs7.Parse(token)
	if err != nil {
		return nil, nil, fmt.Errorf("bad token: %w", err)
	}
	signer := p7.GetOnlySigner()
	if signer == nil {
		return nil, nil, fmt.Errorf("the token has %d signers, or none with its certificate: a timestamp has one", len(p7.Signers))
	}
	if err := checkSigningCertificate(p7, signer); err != nil {
		return nil, nil, err
	}
	if roots != nil {
		intermediates := x509.NewCertPool()
		for _, c := range p7.Certificates {
			intermediates.AddCert(c)
		}
		_, err := signer.Verify(x509.VerifyOptions{
			Roots:         roots,
			Intermediates: intermediates,
			CurrentTime:   ts.Time,
			KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
		})
		if err != nil {
			return nil, nil, fmt.Errorf("the TSA certificate %q is not trusted: %w", signer.Subject.String(), err)
		}
	}
	return ts, signer, nil
}

// grantedToken returns the TimeStampToken of a TimeStampResp whose status is granted, and otherwise an
// error that says what the TSA answered. It also checks that the token's content is a TSTInfo, which the
// libraries do not.
func grantedToken(resp []byte) ([]byte, error) {
	var r struct {
		Status struct {
			Status       int
			StatusString []string       `asn1:"optional,utf8"`
			FailInfo     asn1.BitString `asn1:"optional"`
		}
		Token asn1.RawValue `asn1:"optional"`
	}
	rest, err := asn1.Unmarshal(resp, &r)
	if err != nil {
		return nil, fmt.Errorf("not a timestamp response: %w", err)
	}
	if len(rest) > 0 {
		return nil, errors.New("not a timestamp response: trailing data")
	}
	// grantedWithMods (1) is refused too: we asked for nothing a TSA could modify, so a modified grant
	// is not the timestamp we asked for.
	if r.Status.Status != int(timestamp.Granted) {
		msg := fmt.Sprintf("the TSA did not grant the timestamp: status %d (%s)", r.Status.Status, timestamp.Status(r.Status.Status))
		for i := 0; i < r.Status.FailInfo.BitLength; i++ {
			if r.Status.FailInfo.At(i) == 1 {
				msg += fmt.Sprintf(", failure %q", timestamp.FailureInfo(i))
			}
		}
		if len(r.Status.StatusString) > 0 {
			msg += fmt.Sprintf(", %q", strings.Join(r.Status.StatusString, "; "))
		}
		return nil, errors.New(msg)
	}
	if len(r.Token.FullBytes) == 0 {
		return nil, errors.New("the TSA granted the timestamp but sent no token")
	}
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(r.Token.FullBytes, &ci); err != nil {
		return nil, fmt.Errorf("bad token: %w", err)
	}
	if !ci.ContentType.Equal(pkcs7.OIDSignedData) {
		return nil, fmt.Errorf("bad token: content type %s, not signedData", ci.ContentType)
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		EncapContentInfo struct {
			EContentType asn1.ObjectIdentifier
			EContent     asn1.RawValue `asn1:"explicit,optional,tag:0"`
		}
	}
	// The SignedData has more fields (certificates, CRLs, signer infos); encoding/asn1 leaves them
	// unread, which is all that is wanted here.
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("bad token: %w", err)
	}
	if !sd.EncapContentInfo.EContentType.Equal(oidTSTInfo) {
		return nil, fmt.Errorf("bad token: it signs a %s, not a TSTInfo", sd.EncapContentInfo.EContentType)
	}
	return r.Token.FullBytes, nil
}

// checkSigningCertificate checks the token's signed ESS signing-certificate attribute (RFC 3161 section
// 2.4.1 requires it; RFC 5816 adds its v2 with SHA-256): it names, by hash, the certificate that signed,
// so that another certificate for the same key cannot be substituted. v2 is preferred when both are there.
func checkSigningCertificate(p7 *pkcs7.PKCS7, signer *x509.Certificate) error {
	type essCertIDv2 struct {
		HashAlgorithm pkix.AlgorithmIdentifier `asn1:"optional"`
		CertHash      []byte
		IssuerSerial  asn1.RawValue `asn1:"optional"`
	}
	var v2 struct {
		Certs    []essCertIDv2
		Policies asn1.RawValue `asn1:"optional"`
	}
	if err := p7.UnmarshalSignedAttribute(oidSigningCertificateV2, &v2); err == nil {
		if len(v2.Certs) == 0 {
			return errors.New("bad token: its signing-certificate attribute names no certificate")
		}
		id := v2.Certs[0]
		// The hash algorithm defaults to SHA-256 (RFC 5035) and is then absent.
		if alg := id.HashAlgorithm.Algorithm; len(alg) > 0 && !alg.Equal(oidSHA256) {
			return fmt.Errorf("bad token: its signing-certificate attribute hashes with %s; only SHA-256 is accepted", alg)
		}
		if sum := sha256.Sum256(signer.Raw); !bytes.Equal(id.CertHash, sum[:]) {
			return errors.New("bad token: its signing-certificate attribute does not name the certificate that signed it")
		}
		return nil
	}
	type essCertID struct {
		CertHash     []byte
		IssuerSerial asn1.RawValue `asn1:"optional"`
	}
	var v1 struct {
		Certs    []essCertID
		Policies asn1.RawValue `asn1:"optional"`
	}
	if err := p7.UnmarshalSignedAttribute(oidSigningCertificate, &v1); err == nil {
		if len(v1.Certs) == 0 {
			return errors.New("bad token: its signing-certificate attribute names no certificate")
		}
		// ESSCertID v1 is SHA-1 by definition; here it only identifies a certificate whose signature is
		// checked anyway, which SHA-1's collision weakness does not undo.
		if sum := sha1.Sum(signer.Raw); !bytes.Equal(v1.Certs[0].CertHash, sum[:]) {
			return errors.New("bad token: its signing-certificate attribute does not name the certificate that signed it")
		}
		return nil
	}
	return errors.New("bad token: it has no signing-certificate attribute")
}

// redactURL is the TSA's URL as errors may show it: without userinfo (a TSA account's name and password
// are secrets), and not at all when it does not parse (then it cannot be redacted reliably).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable TSA URL)"
	}
	u.User = nil
	return u.String()
}

// unwrapURLError drops net/http's *url.Error wrapper, whose message repeats the URL with its username;
// the caller names the URL itself. errors.Is still finds the cause (e.g. context.DeadlineExceeded).
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
