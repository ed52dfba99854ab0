package site

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// CheckTheme checks, before any work starts, that dir is a theme directory: it exists and has a layouts/
// directory. "" (the embedded theme) passes. The error names the directory.
func CheckTheme(dir string) error {
	if dir == "" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("check theme: %w", err) // the error names dir
	}
	if !fi.IsDir() {
		return fmt.Errorf("check theme %s: not a directory", dir)
	}
	if fi, err := os.Stat(filepath.Join(dir, "layouts")); err != nil || !fi.IsDir() {
		return fmt.Errorf("check theme %s: no layouts directory", dir)
	}
	return nil
}

// CheckBaseURL checks that u is an absolute http or https URL with a host. "" (the default base URL)
// passes.
func CheckBaseURL(u string) error {
	if u == "" {
		return nil
	}
	p, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("check base URL: %w", err)
	}
	if (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("check base URL %q: not an absolute http(s) URL", u)
	}
	return nil
}
