// Command icons draws the site's favicon.ico (16 and 32 px) and apple-touch-icon.png (180 px) into the
// theme's static files: a white tick in a white ring on the masthead's red (#b3261e), an emblem-free mark
// (a portal may not draw the national emblem as its icon). The pixels are computed, not taken from a font or
// a drawing program, so the files are the same on every run:
//
//	go run ./themes/icons
//
// The output is committed; run it again only to change the mark.
package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

var red = color.NRGBA{0xb3, 0x26, 0x1e, 0xff}

func main() {
	dir := filepath.Join("themes", "xinyong", "static")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	touch := encode(draw(180, false))
	if err := os.WriteFile(filepath.Join(dir, "apple-touch-icon.png"), touch, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "favicon.ico"), ico(encode(draw(16, true)), encode(draw(32, true))), 0o644); err != nil {
		log.Fatal(err)
	}
}

// draw renders the mark at size×size, with rounded corners when rounded (a touch icon is square: the
// device rounds it). Each pixel is supersampled 4×4.
func draw(size int, rounded bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const n = 4
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var bg, white float64
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < n; sx++ {
					// Coordinates in the unit square.
					u := (float64(x) + (float64(sx)+0.5)/n) / float64(size)
					v := (float64(y) + (float64(sy)+0.5)/n) / float64(size)
					if rounded && !inRoundedSquare(u, v, 0.18) {
						continue
					}
					bg++
					if mark(u, v) {
						white++
					}
				}
			}
			if bg == 0 {
				continue
			}
			a := bg / (n * n)
			w := white / bg
			mix := func(c uint8) uint8 { return uint8(math.Round(float64(c)*(1-w) + 255*w)) }
			img.SetNRGBA(x, y, color.NRGBA{mix(red.R), mix(red.G), mix(red.B), uint8(math.Round(255 * a))})
		}
	}
	return img
}

func inRoundedSquare(u, v, r float64) bool {
	dx := math.Max(math.Max(r-u, u-(1-r)), 0)
	dy := math.Max(math.Max(r-v, v-(1-r)), 0)
	return dx*dx+dy*dy <= r*r
}

// mark is the white part: a ring and a tick inside it.
func mark(u, v float64) bool {
	d := math.Hypot(u-0.5, v-0.5)
	if d >= 0.30 && d <= 0.38 {
		return true
	}
	return nearSegment(u, v, 0.36, 0.51, 0.46, 0.61, 0.045) || nearSegment(u, v, 0.46, 0.61, 0.65, 0.40, 0.045)
}

func nearSegment(u, v, x1, y1, x2, y2, w float64) bool {
	dx, dy := x2-x1, y2-y1
	t := math.Max(0, math.Min(1, ((u-x1)*dx+(v-y1)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(u-(x1+t*dx), v-(y1+t*dy)) <= w
}

func encode(img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

// ico wraps PNG images (16 and 32 px) in an ICO container, which every browser reads.
func ico(pngs ...[]byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, [3]uint16{0, 1, uint16(len(pngs))})
	offset := 6 + 16*len(pngs)
	for _, p := range pngs {
		cfg, err := png.DecodeConfig(bytes.NewReader(p))
		if err != nil {
			log.Fatal(err)
		}
		binary.Write(&b, binary.LittleEndian, struct {
			W, H, Colors, Reserved uint8
			Planes, Bits           uint16
			Size, Offset           uint32
		}{uint8(cfg.Width), uint8(cfg.Height), 0, 0, 1, 32, uint32(len(p)), uint32(offset)})
		offset += len(p)
	}
	for _, p := range pngs {
		b.Write(p)
	}
	return b.Bytes()
}
