package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"xinyong/site"
)

// Defaults of the deadlines (config build_timeout, busy_alert_after).
const (
	defaultBuildTimeout   = 2 * time.Hour
	defaultBusyAlertAfter = 6 * time.Hour
)

// errBuildTimeout marks a build killed at its deadline (build_timeout).
var errBuildTimeout = errors.New("the site build did not finish within build_timeout and was killed")

// childBuild runs `xinyong build` in a child process of this binary, in a process group of its own, and
// kills the group at the deadline or when ctx ends (SIGTERM). In-process, Hugo cannot be stopped: a disk
// that fills during the build left its renderer blocked for ever, holding the data directory's lock.
// A child also keeps Hugo's memory out of a long-lived process.
type childBuild struct {
	exe     string        // the xinyong binary (os.Executable)
	timeout time.Duration // the deadline of one build
}

// build has the signature of release.Options.Build.
func (b childBuild) build(ctx context.Context, opt site.Options) (*site.Result, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, b.timeout, errBuildTimeout)
	defer cancel()
	args := []string{"build", "--json", "--content", opt.Content, "--out", opt.Out, "--log-level", "warn"}
	if opt.ThemeDir != "" {
		args = append(args, "--theme", opt.ThemeDir)
	}
	if opt.BaseURL != "" {
		args = append(args, "--base-url", opt.BaseURL)
	}
	if opt.Precompress {
		args = append(args, "--precompress")
	}
	if !opt.Identity.IsZero() {
		// The child reads no configuration file: the identity goes as JSON in one flag.
		id, err := json.Marshal(opt.Identity)
		if err != nil {
			return nil, fmt.Errorf("build (child process): %w", err)
		}
		args = append(args, "--identity", string(id))
	}
	if opt.Ready != nil {
		args = append(args, "--wait-ready")
	}
	if opt.Sums != "" {
		args = append(args, "--content-sums", opt.Sums)
	}
	if opt.Rows != "" {
		args = append(args, "--rows", opt.Rows)
	}
	if opt.RowStore != "" {
		args = append(args, "--row-store", opt.RowStore)
	}
	if opt.PageSums != "" {
		args = append(args, "--page-sums", opt.PageSums)
	}
	if u := opt.Reuse; u != nil {
		args = append(args, "--reuse-content", u.Content, "--reuse-site", u.Site, "--reuse-fingerprint", u.Fingerprint)
		if u.Rows != "" {
			args = append(args, "--reuse-rows", u.Rows)
		}
		if u.RowStore != "" {
			args = append(args, "--reuse-row-store", u.RowStore)
		}
		if u.CasesKey != "" {
			args = append(args, "--reuse-cases-key", u.CasesKey)
		}
	}
	cmd := exec.CommandContext(ctx, b.exe, args...)
	cmd.Env = append(os.Environ(), "XINYONG_CONFIG=") // flags only: the parent resolved the configuration
	if opt.WorkDir != "" {
		// Hugo's working directory and anything else the child puts in TMPDIR stay in the publication's
		// staging directory, which the next run removes if this one is killed.
		tmp, err := filepath.Abs(opt.WorkDir)
		if err != nil {
			return nil, fmt.Errorf("build (child process): %w", err)
		}
		if err := os.MkdirAll(tmp, 0o755); err != nil {
			return nil, fmt.Errorf("build (child process): %w", err)
		}
		cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	}
	// Its own process group, killed as a whole; and killed too if this process dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second // output pipes held open by anything left in the group
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	var ready io.WriteCloser
	if opt.Ready != nil {
		var err error
		if ready, err = cmd.StdinPipe(); err != nil {
			return nil, fmt.Errorf("build (child process): %w", err)
		}
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("build (child process): %w", err)
	}
	if ready != nil {
		// The child waits for this line (--wait-ready, readyLine) before it reads the tree's top level:
		// it gets it once opt.Ready says the tree is whole, and end of input if not (it then stops).
		go func() {
			if opt.Ready(ctx) == nil {
				io.WriteString(ready, readyText)
			}
			ready.Close()
		}()
	}
	err := cmd.Wait()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // whatever the build left running in its group
	}
	msg := strings.TrimSpace(stderr.String())
	if err != nil && fileSystemFull(filepath.Dir(opt.Out)) {
		// Hugo hangs or fails on a full disk, often without saying so: say it.
		msg = fmt.Sprintf("%s (%v) %s", filepath.Dir(opt.Out), syscall.ENOSPC, msg)
	}
	switch {
	case err == nil:
	case errors.Is(context.Cause(ctx), errBuildTimeout):
		return nil, fmt.Errorf("%w (%s): %s", errBuildTimeout, b.timeout, msg)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("build (child process) stopped: %w", context.Cause(ctx))
	default:
		return nil, fmt.Errorf("build (child process): %w: %s", err, msg)
	}
	var res site.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("build (child process): %w", err)
	}
	return &res, nil
}

// readyText is the line a publication sends a build started with --wait-ready when the export tree is
// whole.
const readyText = "ready\n"

// errNotReady ends a build started with --wait-ready whose parent closed its input without the line.
var errNotReady = errors.New("the publication did not finish the export tree (no ready line on standard input)")

// readyLine is site.Options.Ready for --wait-ready: it reads one line from r (the parent's pipe).
func readyLine(r io.Reader) func(context.Context) error {
	return func(ctx context.Context) error {
		line := make(chan string, 1)
		go func() {
			s, _ := bufio.NewReader(r).ReadString('\n')
			line <- s
		}()
		select {
		case s := <-line:
			if s != readyText {
				return errNotReady
			}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// fileSystemFull reports whether the file system of dir has less than 1 MiB free for this user.
func fileSystemFull(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	return st.Bavail*uint64(st.Bsize) < 1<<20
}

// tailBuffer keeps the last max bytes written to it: the end of a child's error output.
type tailBuffer struct {
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = t.b[over:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }
