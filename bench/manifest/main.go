// Command manifest prints what bench/publish.sh reports from a release's release.json: the counts and the
// time of each step, one "name seconds" line each.
//
//	go run ./bench/manifest DATA/releases/ID
package main

import (
	"fmt"
	"os"

	"xinyong/publish"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: manifest RELEASE_DIR")
		os.Exit(2)
	}
	m, err := publish.ReadManifest(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "manifest:", err)
		os.Exit(1)
	}
	fmt.Printf("# release %s as of %s: red %d, black %d, subjects %d, cases %d, pages %d, files %d, index %d docs %.1f MB\n",
		m.ID, m.AsOf, m.Red, m.Black, m.Subjects, m.Cases, m.Pages, m.Files, m.IndexDocs, float64(m.IndexBytes)/1e6)
	for _, s := range m.Steps {
		fmt.Printf("%s %.2f\n", s.Name, s.Duration.Seconds())
	}
}
