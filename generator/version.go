package generator

import (
	"crypto/sha256"
	"encoding/hex"
)

// VersionRunes is the length of a record's version: the first 12 hex digits (48 bits) of a SHA-256, enough
// to tell the versions of one record apart, short enough to cite.
const VersionRunes = 12

// Version returns the version of a record's page: the start of the SHA-256 of its Markdown without the
// version. It changes exactly when what the page says changes, never with the night it was exported on,
// so a citation that gives it identifies what was cited (docs/CONTRACT.md, "Releases (wave 2)").
func Version(fm Fields, body string) string {
	sum := sha256.Sum256(Document(fm, body))
	return hex.EncodeToString(sum[:])[:VersionRunes]
}
