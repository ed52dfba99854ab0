package search

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Probe is a known query and the site path of the hit it must give first. Build chooses a few from the
// documents it indexes (Stats.Probes); Check runs them, so that an index is known to answer before it is
// published or served.
type Probe struct {
	By   string `json:"by"` // ProbeByCode or ProbeByName: what Q is
	Q    string `json:"q"`
	Want string `json:"want"` // Hit.URL of the first hit
}

// What a Probe searches by.
const (
	ProbeByCode = "code"
	ProbeByName = "name"
)

// Probes chosen per kind: by code, by name.
const probesPerKind = 3

// ErrProbe is wrapped by the error of Check when an index gives a wrong answer to a probe, or none.
var ErrProbe = errors.New("search: the index does not answer a known query")

// Check runs each probe and returns an error wrapping ErrProbe at the first that fails: a search error, a
// panic (a corrupt segment makes Bleve panic), or another first hit.
func (x *Index) Check(ctx context.Context, probes []Probe) error {
	for _, p := range probes {
		if err := x.probe(ctx, p); err != nil {
			return fmt.Errorf("%w: %q: %w", ErrProbe, p.Q, err)
		}
	}
	return nil
}

func (x *Index) probe(ctx context.Context, p Probe) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	res, err := x.Search(ctx, Request{Q: p.Q, Size: 1})
	switch {
	case err != nil:
		return err
	case len(res.Hits) == 0:
		return fmt.Errorf("no hit, want %s", p.Want)
	case res.Hits[0].URL != p.Want:
		return fmt.Errorf("first hit %s, want %s", res.Hits[0].URL, p.Want)
	}
	return nil
}

// prober chooses probes among the documents of a build: the first subjects whose credit code no other
// document has (a full code gives its subject first) and the first documents, not natural persons, whose
// exact-match name no other document has (an exact name is first). It counts every code and name by a
// 64-bit key (keyOf, kept in the index's document list), so that its memory is a few words per document
// and a document that did not change since the previous index need not be prepared again.
type prober struct {
	codes, names   map[uint64]int
	byCode, byName []candidate
}

type candidate struct {
	key uint64
	p   Probe
}

func newProber() *prober {
	return &prober{codes: map[uint64]int{}, names: map[uint64]int{}}
}

// candidatesKept bounds the candidates of each kind, of which the unique ones become probes.
const candidatesKept = 64

// infoOf returns what the counts and the prober read of a prepared document: h as stored, masked as
// prepare reported.
func infoOf(h Hit, masked bool) docInfo {
	var in docInfo
	if h.Kind == KindSubject {
		in.flags |= infoSubject
	}
	if masked {
		in.flags |= infoMasked
	}
	if h.Code != "" {
		in.flags |= infoCode
		in.code = keyOf(h.Code)
		if h.Kind == KindSubject {
			in.flags |= infoCodeCand
		}
	}
	exact := normalize(h.Name)
	if exact == "" {
		return in
	}
	in.flags |= infoName
	in.name = keyOf(exact)
	if h.Person || utf8.RuneCountInString(exact) < 4 {
		return in
	}
	if q, err := Parse(h.Name); err != nil || q.Blocked || q.Notice != "" || q.code != "" || q.exact != exact {
		return in // not searched as the plain name it is
	}
	in.flags |= infoNameCand
	return in
}

// add counts a document and keeps it as a candidate. h, the document as stored, is needed (else an error)
// when it is a candidate: among the first candidatesKept documents that may be a probe by code or by name.
func (p *prober) add(in docInfo, h *Hit) error {
	if in.flags&infoCode != 0 {
		p.codes[in.code]++
		if in.flags&infoCodeCand != 0 && len(p.byCode) < candidatesKept {
			if h == nil {
				return errors.New("a probe candidate not prepared")
			}
			p.byCode = append(p.byCode, candidate{in.code, Probe{By: ProbeByCode, Q: h.Code, Want: h.URL}})
		}
	}
	if in.flags&infoName != 0 {
		p.names[in.name]++
		if in.flags&infoNameCand != 0 && len(p.byName) < candidatesKept {
			if h == nil {
				return errors.New("a probe candidate not prepared")
			}
			p.byName = append(p.byName, candidate{in.name, Probe{By: ProbeByName, Q: h.Name, Want: h.URL}})
		}
	}
	return nil
}

// probes returns the chosen probes, codes first.
func (p *prober) probes() []Probe {
	var out []Probe
	pick := func(cs []candidate, counts map[uint64]int) {
		n := 0
		for _, c := range cs {
			if n < probesPerKind && counts[c.key] == 1 {
				out = append(out, c.p)
				n++
			}
		}
	}
	pick(p.byCode, p.codes)
	pick(p.byName, p.names)
	return out
}
