package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
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
	const line = len(VersionKey+": \"\"\n") + VersionRunes
	doc, closing := appendDocument(make([]byte, 0, documentCap(body)+line), fm, body)
	v := versionOf(doc)
	ins := make([]byte, 0, line)
	ins = append(ins, VersionKey+": "...)
	ins = appendQuoteYAML(ins, v)
	ins = append(ins, '\n')
	return slices.Insert(doc, closing, ins...)
}
