package site

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io/fs"

	"xinyong/content"
)

// Fingerprint identifies everything besides the export tree that decides the built site: the site
// configuration, the theme (the embedded one, or themeDir) and the hand-written pages. Two builds of the
// same export tree with the same fingerprint and base URL write the same site, so a publication whose
// export and fingerprint are unchanged can be skipped.
func Fingerprint(themeDir string) (string, error) {
	h := sha256.New()
	if err := hashSite(h, themeDir); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// hashSite writes the site configuration, the theme (the embedded one, or themeDir) and the hand-written
// pages into h.
func hashSite(h hash.Hash, themeDir string) error {
	h.Write([]byte(siteConfig))
	for _, fsys := range []fs.FS{openTheme(themeDir), content.Pages()} {
		h.Write([]byte{0xff})
		err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			h.Write([]byte(path))
			h.Write([]byte{0})
			h.Write(data)
			h.Write([]byte{0})
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
