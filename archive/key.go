package archive

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// Key is the log's signing key: a signed-note signer and its verifier key (name+hash+base64), which is
// published as /log/vkey.
type Key struct {
	note.Signer
	VKey string
}

// GenerateKey makes a new Ed25519 signing key named origin. It returns the private key in the signed-note
// form (PRIVATE+KEY+<origin>+<hash>+<base64>), which only the operator keeps, and the verifier key.
func GenerateKey(origin string) (skey, vkey string, err error) {
	if err := CheckOrigin(origin); err != nil {
		return "", "", err
	}
	return note.GenerateKey(rand.Reader, origin)
}

// CheckOrigin says whether origin can name a log and its key: a non-empty name without spaces or '+'.
func CheckOrigin(origin string) error {
	if origin == "" || strings.ContainsAny(origin, " +\t\n") || !isPrintable(origin) {
		return fmt.Errorf("log origin %q: want a name without spaces or '+', e.g. credit.panjin.gov.cn/log", truncate(origin, 80))
	}
	return nil
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r == 0x7f {
			return false
		}
	}
	return true
}

// ParseKey reads a private key written by GenerateKey (surrounding white space ignored). The error never
// holds the key.
func ParseKey(skey string) (*Key, error) {
	skey = strings.TrimSpace(skey)
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, errors.New("log signing key: not a signed-note private key (PRIVATE+KEY+…), as xinyong log-key writes")
	}
	// PRIVATE+KEY+<name>+<hash>+<base64 of the algorithm byte and the Ed25519 seed>
	// (the base64 may hold '+' itself: the key is what follows the fourth '+').
	rest := skey
	for range 4 {
		_, rest, _ = strings.Cut(rest, "+")
	}
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, errors.New("log signing key: not an Ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(s.Name(), pub)
	if err != nil {
		return nil, err
	}
	return &Key{Signer: s, VKey: vkey}, nil
}

// ReadKeyFile reads the private key from a file. A key file others can read is refused: the key signs
// what the city says it published.
func ReadKeyFile(path string) (*Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf(msgKeyMode, path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

const msgKeyMode = "log signing key %s: mode %v lets others read it; chmod 600 it"
