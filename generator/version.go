package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
)

// VersionRunes is the length of a record's version: the first 12 hex digits (48 bits) of a SHA-256, enough
// to tell the versions of one record apart, short enough to cite.
const VersionRunes = 12

// VersionKey is the front matter key of a record's version.
const VersionKey = "version"

// Version returns the version of a record's page: the start of the SHA-256 of its Markdown without the
// version. It changes exactly when what the page says changes, never with the night it was exported on,
// so a citation that gives it identifies what was cited (docs/CONTRACT.md, "Releases (wave 2)").
func Version(fm Fields, body string) string {
	return versionOf(Document(fm, body))
}

func versionOf(doc []byte) string {
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:])[:VersionRunes]
}

// VersionedDocument is Document(fm + version, body) with version = Version(fm, body), written once: the
// version line is the last key of the front matter, inserted before its closing line.
func VersionedDocument(fm Fields, body string) []byte {
	doc := Document(fm, body)
	v := versionOf(doc)
	end := bytes.Index(doc[3:], []byte("\n---\n")) + 3 + 1 // the closing line; Document always writes one
	line := VersionKey + ": " + QuoteYAML(v) + "\n"
	out := make([]byte, 0, len(doc)+len(line))
	out = append(out, doc[:end]...)
	out = append(out, line...)
	return append(out, doc[end:]...)
}
