// Package tsatest runs a throwaway RFC 3161 time-stamping authority in the test's process, so that the
// archive's timestamps are tested against a real TSA protocol exchange (HTTP, DER, CMS signature, a
// certificate chain) without a network or a third party, and are never skipped in CI.
//
// The TSA has its own self-signed CA and a TSA certificate issued by it (ECDSA P-256, the critical
// timeStamping extended key usage that RFC 3161 section 2.3 requires); responses are made with
// github.com/digitorus/timestamp. A test can make it fail in the ways a real TSA fails (SetFailure), to
// prove that the caller notices.
package tsatest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
)

// Failure is a way for the TSA to answer wrongly.
type Failure int

const (
	// None: the TSA answers every valid request with a granted, correct response.
	None Failure = iota
	// HTTP500: the TSA answers 500 Internal Server Error with a plain-text body.
	HTTP500
	// Rejection: the TSA answers 200 with a TimeStampResp whose status is rejection (badDataFormat), as a
	// real TSA does for a request it will not sign.
	Rejection
	// WrongNonce: the token is valid and signed but carries another nonce than the request's (a replayed
	// or mixed-up answer).
	WrongNonce
	// WrongImprint: the token is valid and signed but stamps another digest than the request's.
	WrongImprint
	// NoCertificate: the token leaves out the TSA certificate even though the request asked for it, so
	// its signature cannot be checked from the token alone.
	NoCertificate
	// Hang: the TSA does not answer until the client gives up (or the test ends).
	Hang
	// SubstitutedCertificate: the token is signed with the TSA's key, but the certificate it carries is
	// swapped for another one the CA issued for the same key with the same issuer and serial, under
	// another name. The CMS signature does not cover the certificates, so it still verifies; only the
	// signed ESS signing-certificate attribute, which hashes the real certificate, shows the swap.
	SubstitutedCertificate
	// WrongKeyUsage: the token is signed, correctly, with a certificate the same CA issued for the TSA's
	// key but for TLS servers, not for time-stamping: the chain is good, the purpose is not.
	WrongKeyUsage
)

// PolicyOID is the TSA policy the throwaway TSA stamps under (an OID under the arc reserved for
// examples, RFC 7229 style; no real policy is meant).
var PolicyOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 1}

// TSA is a running throwaway time-stamping authority.
type TSA struct {
	// URL is where to POST application/timestamp-query requests.
	URL string
	// Roots holds the TSA's CA certificate: the trust anchor a verifier is given.
	Roots *x509.CertPool
	// CA is the self-signed root; Cert is the TSA's signing certificate it issued.
	CA, Cert *x509.Certificate
	// Substitute is the certificate SubstitutedCertificate swaps in: same key, issuer, serial and
	// length as Cert, another subject.
	Substitute *x509.Certificate
	// ServerCert is the certificate WrongKeyUsage signs with (extended key usage serverAuth only).
	ServerCert *x509.Certificate

	key      crypto.Signer
	srv      *httptest.Server
	released chan struct{}
	release  sync.Once

	mu       sync.Mutex
	failure  Failure
	now      func() time.Time
	answered int
	last     *timestamp.Request
}

// New starts a TSA that lives until the test ends.
func New(t testing.TB) *TSA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tsaKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// Validity around now, wide enough that a slow test machine does not matter.
	notBefore := time.Now().Add(-time.Hour).Truncate(time.Second)
	notAfter := notBefore.Add(48 * time.Hour)
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{Country: []string{"CN"}, Organization: []string{"xinyong test"}, CommonName: "xinyong test TSA root"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 3161 section 2.3: the TSA certificate has exactly one extended key usage, timeStamping, and
	// the extension is critical. crypto/x509 marks it critical only when asked through ExtraExtensions.
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	if err != nil {
		t.Fatal(err)
	}
	tsaTemplate := &x509.Certificate{
		SerialNumber:    big.NewInt(2),
		Subject:         pkix.Name{Country: []string{"CN"}, Organization: []string{"xinyong test"}, CommonName: "xinyong test TSA"},
		NotBefore:       notBefore,
		NotAfter:        notAfter,
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}},
	}
	tsaDER, err := x509.CreateCertificate(rand.Reader, tsaTemplate, ca, tsaKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(tsaDER)
	if err != nil {
		t.Fatal(err)
	}
	// The substitute must have Cert's length so that swapping it in leaves every DER length right; ECDSA
	// signatures vary by a byte or two, so a few tries find one.
	var substitute *x509.Certificate
	fake := *tsaTemplate
	fake.Subject.CommonName = "xinyong fake TSA" // as long as "xinyong test TSA"
	for range 64 {
		der, err := x509.CreateCertificate(rand.Reader, &fake, ca, tsaKey.Public(), caKey)
		if err != nil {
			t.Fatal(err)
		}
		if len(der) == len(tsaDER) {
			if substitute, err = x509.ParseCertificate(der); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if substitute == nil {
		t.Fatal("tsatest: no substitute certificate of the TSA certificate's length")
	}
	server := *tsaTemplate
	server.SerialNumber = big.NewInt(3)
	server.ExtraExtensions = nil
	server.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	serverDER, err := x509.CreateCertificate(rand.Reader, &server, ca, tsaKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	serverCert, err := x509.ParseCertificate(serverDER)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)

	s := &TSA{Roots: roots, CA: ca, Cert: cert, Substitute: substitute, ServerCert: serverCert,
		key: tsaKey, released: make(chan struct{}), now: time.Now}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the TSA before the test ends, e.g. to test a TSA that cannot be reached (its URL then
// refuses connections). It is called when the test ends; calling it again does nothing.
func (s *TSA) Close() {
	// Release hanging handlers first: the server's Close waits for them.
	s.release.Do(func() { close(s.released) })
	s.srv.Close()
}

// SetFailure makes the TSA answer the following requests wrongly in the given way (None restores it).
func (s *TSA) SetFailure(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = f
}

// SetClock makes the TSA stamp the time now returns instead of the real time.
func (s *TSA) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Answered is the number of requests the TSA has answered with a granted token (wrong ones included).
func (s *TSA) Answered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered
}

// LastRequest is the last request the TSA parsed, or nil.
func (s *TSA) LastRequest() *timestamp.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *TSA) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	failure, now := s.failure, s.now
	s.mu.Unlock()

	switch failure {
	case HTTP500:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.released:
		}
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/timestamp-query" {
		http.Error(w, "POST an application/timestamp-query", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req, err := timestamp.ParseRequest(body)
	if err != nil || failure == Rejection {
		// A real TSA answers a request it will not honour with a TimeStampResp, not an HTTP error.
		s.reply(w, mustError(timestamp.Rejection, timestamp.BadDataFormat))
		return
	}
	s.mu.Lock()
	s.last = req
	s.mu.Unlock()

	ts := &timestamp.Timestamp{
		HashAlgorithm:     req.HashAlgorithm,
		HashedMessage:     req.HashedMessage,
		Time:              now().UTC(),
		Accuracy:          time.Second,
		Policy:            PolicyOID,
		Nonce:             req.Nonce,
		AddTSACertificate: req.Certificates && failure != NoCertificate,
	}
	switch failure {
	case WrongNonce:
		ts.Nonce = big.NewInt(1)
		if req.Nonce != nil {
			ts.Nonce.Add(ts.Nonce, req.Nonce)
		}
	case WrongImprint:
		other := sha256.Sum256(append([]byte("not "), req.HashedMessage...))
		ts.HashAlgorithm, ts.HashedMessage = crypto.SHA256, other[:]
	}
	signer := s.Cert
	if failure == WrongKeyUsage {
		signer = s.ServerCert
	}
	resp, err := ts.CreateResponseWithOpts(signer, s.key, crypto.SHA256)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if failure == SubstitutedCertificate {
		if bytes.Count(resp, s.Cert.Raw) != 1 {
			http.Error(w, "tsatest: the TSA certificate is not in the token once", http.StatusInternalServerError)
			return
		}
		resp = bytes.Replace(resp, s.Cert.Raw, s.Substitute.Raw, 1)
	}
	s.mu.Lock()
	s.answered++
	s.mu.Unlock()
	s.reply(w, resp)
}

func (s *TSA) reply(w http.ResponseWriter, der []byte) {
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(der)
}

func mustError(status timestamp.Status, info timestamp.FailureInfo) []byte {
	der, err := timestamp.CreateErrorResponse(status, info)
	if err != nil {
		panic(err)
	}
	return der
}
