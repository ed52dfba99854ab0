package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedIcons: the committed icons are what the program draws, pixel for pixel (the PNG bytes may
// differ with another Go's compressor), at the sizes the heads declare: favicon.ico holds 16 and 32 px,
// apple-touch-icon.png is 180 px.
func TestCommittedIcons(t *testing.T) {
	static := filepath.Join("..", "xinyong", "static")
	touch, err := os.ReadFile(filepath.Join(static, "apple-touch-icon.png"))
	if err != nil {
		t.Fatal(err)
	}
	samePixels(t, "apple-touch-icon.png", touch, draw(180, false))

	ico, err := os.ReadFile(filepath.Join(static, "favicon.ico"))
	if err != nil {
		t.Fatal(err)
	}
	var head [3]uint16
	if err := binary.Read(bytes.NewReader(ico), binary.LittleEndian, &head); err != nil || head[1] != 1 || head[2] != 2 {
		t.Fatalf("favicon.ico header %v (%v), want an icon with 2 images", head, err)
	}
	for i, size := range []int{16, 32} {
		entry := ico[6+16*i : 6+16*(i+1)]
		n, off := binary.LittleEndian.Uint32(entry[8:]), binary.LittleEndian.Uint32(entry[12:])
		if int(entry[0]) != size || int(off+n) > len(ico) {
			t.Fatalf("favicon.ico image %d: %d px at %d+%d", i, entry[0], off, n)
		}
		samePixels(t, "favicon.ico", ico[off:off+n], draw(size, true))
	}
}

func samePixels(t *testing.T, name string, data []byte, want *image.NRGBA) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if img.Bounds() != want.Bounds() {
		t.Fatalf("%s: %v, want %v", name, img.Bounds(), want.Bounds())
	}
	for y := 0; y < want.Bounds().Dy(); y++ {
		for x := 0; x < want.Bounds().Dx(); x++ {
			r1, g1, b1, a1 := img.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("%s: pixel (%d, %d) differs from what themes/icons draws: run go run ./themes/icons", name, x, y)
			}
		}
	}
}
