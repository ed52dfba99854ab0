package generator

import (
	"crypto/sha256"
	"hash"
	"runtime"
	"sync"

	"xinyong/internal/tree"
	"xinyong/search"
)

// pipeline renders and writes the files of the tree on a pool of goroutines, while everything that depends
// on their order stays in that order. The export's goroutine reads the rows, decides every page (which
// rows are published, under which path, what is reported, counted and listed) and submits each file with
// a function that renders its bytes; workers render it, hash it, and write it (or link it from the
// previous release, Exporter.Previous); one goroutine then takes the files back in the order they were
// submitted, to feed the data version's hash and the content sums and to hand each file's search document
// (made on the worker too) to Exporter.Docs. So the tree, the data version, the sums, the report and the
// search documents are exactly those of a sequential export, on every core.
//
// Memory stays bounded: at most pipelineWindow files are between submission and the ordered hash.
type pipeline struct {
	tree    *tree.Tree
	version hash.Hash              // the data version, fed in submission order
	sums    *tree.SumsWriter       // nil: no content sums are written
	pages   *pagesWriter           // nil: no pages file is written (Exporter.Pages)
	docs    func(search.Doc) error // nil: no search documents (Exporter.Docs)

	mu     sync.Mutex
	docErr error // the first error of docs: the next submit returns it

	jobs     chan *pageJob
	done     chan *pageJob
	window   chan struct{}
	workers  sync.WaitGroup
	ordered  chan struct{} // closed when the ordering goroutine has ended
	inFlight sync.WaitGroup
	next     int
	closed   bool
}

// pageJob is one file on its way through the pipeline.
type pageJob struct {
	seq    int
	rel    string
	render func() []byte
	hashed bool // part of the data version
	keep   bool // recorded in the pages file with digest (submitPage)
	digest [sha256.Size]byte
	known  bool              // sum is already the SHA-256 of what render returns (a page reused from the pages file)
	doc    func() search.Doc // nil: the file has no search document
	data   []byte
	docv   search.Doc
	sum    [sha256.Size]byte
}

const pipelineWindow = 512

func newPipeline(t *tree.Tree, sums *tree.SumsWriter, pages *pagesWriter, docs func(search.Doc) error) *pipeline {
	p := &pipeline{tree: t, version: sha256.New(), sums: sums, pages: pages, docs: docs, jobs: make(chan *pageJob, pipelineWindow),
		done: make(chan *pageJob, pipelineWindow), window: make(chan struct{}, pipelineWindow),
		ordered: make(chan struct{})}
	// Creating a file waits on the file system as well as the CPU: a few more workers than cores keep
	// both busy.
	for range max(4, runtime.GOMAXPROCS(0)+2) {
		p.workers.Add(1)
		go p.work()
	}
	go p.order()
	return p
}

// submit queues the file rel, whose bytes render returns on a worker. rel is reserved in the tree at once
// (Tree.Exists reports it). hashed says whether the file is part of the data version. render must not
// use anything the caller changes afterwards. A write error is returned by a later submit or by close.
func (p *pipeline) submit(rel string, hashed bool, render func() []byte) error {
	return p.queue(&pageJob{rel: rel, render: render, hashed: hashed})
}

// submitPage is submit for a record page, part of the data version, whose bytes are recorded in the pages
// file with digest, the digest of its inputs, when keep is true. sum, when not nil, is the SHA-256 of
// what render returns (a page reused from the pages file, whose checksum vouches for it).
//
// doc, when not nil, makes the page's search document on the worker; the documents reach Exporter.Docs in
// submission order, from the ordering goroutine. doc must not use anything the caller changes afterwards.
func (p *pipeline) submitPage(rel string, render func() []byte, digest *[sha256.Size]byte, keep bool, sum *[sha256.Size]byte, doc func() search.Doc) error {
	j := &pageJob{rel: rel, render: render, hashed: true, keep: keep, digest: *digest, doc: doc}
	if sum != nil {
		j.sum, j.known = *sum, true
	}
	return p.queue(j)
}

func (p *pipeline) queue(j *pageJob) error {
	if err := p.err(); err != nil {
		return err
	}
	if err := p.tree.Reserve(j.rel); err != nil {
		return err
	}
	p.window <- struct{}{}
	p.inFlight.Add(1)
	j.seq = p.next
	p.jobs <- j
	p.next++
	return nil
}

func (p *pipeline) work() {
	defer p.workers.Done()
	for j := range p.jobs {
		j.data = j.render()
		j.render = nil
		if j.doc != nil && p.docs != nil {
			j.docv = j.doc()
		}
		if !j.known {
			j.sum = sha256.Sum256(j.data)
		}
		p.tree.Put(j.rel, j.data, &j.sum) // an error is kept by the tree: the next Reserve or Commit returns it
		p.done <- j
	}
}

// order takes the files back in submission order.
func (p *pipeline) order() {
	defer close(p.ordered)
	waiting := map[int]*pageJob{}
	want := 0
	for j := range p.done {
		waiting[j.seq] = j
		for {
			j, ok := waiting[want]
			if !ok {
				break
			}
			delete(waiting, want)
			want++
			if j.hashed {
				p.version.Write([]byte(j.rel))
				p.version.Write([]byte{0})
				p.version.Write(j.data)
			}
			if p.sums != nil {
				p.sums.Add(j.rel, &j.sum)
			}
			if p.pages != nil && j.keep {
				p.pages.add(&j.digest, j.rel, j.data, &j.sum)
			}
			if j.doc != nil && p.docs != nil && p.err() == nil {
				if err := p.docs(j.docv); err != nil {
					p.mu.Lock()
					p.docErr = err
					p.mu.Unlock()
				}
			}
			j.data, j.docv = nil, search.Doc{}
			<-p.window
			p.inFlight.Done()
		}
	}
}

// err returns the first error of Exporter.Docs, if any.
func (p *pipeline) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.docErr
}

// dataVersion waits for every file submitted so far and returns the data version's hash of them, then of
// extra.
func (p *pipeline) dataVersion(extra []byte) []byte {
	p.inFlight.Wait()
	p.version.Write(extra)
	return p.version.Sum(nil)
}

// close waits for every file and stops the goroutines. It may be called more than once.
func (p *pipeline) close() {
	if p.closed {
		return
	}
	p.closed = true
	close(p.jobs)
	p.workers.Wait()
	close(p.done)
	<-p.ordered
}
