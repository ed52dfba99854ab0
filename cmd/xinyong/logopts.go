package main

import (
	"context"
	"fmt"
	"time"

	"xinyong/archive"
	"xinyong/publish"
)

// logOptions returns how publications sign the publication log: the key from log_key_file, else from
// the environment variable log_key_env names. A configured key that cannot be read fails the publication
// rather than publishing unsigned. Neither the key nor its file's content is ever logged.
func (e *env) logOptions(c *Config) (publish.LogOptions, error) {
	opt := publish.LogOptions{Origin: c.LogOrigin}
	if c.LogOrigin != "" {
		if err := archive.CheckOrigin(c.LogOrigin); err != nil {
			return opt, fmt.Errorf("log_origin: %w", err)
		}
	}
	switch {
	case c.LogKeyFile != "":
		k, err := archive.ReadKeyFile(c.LogKeyFile)
		if err != nil {
			return opt, fmt.Errorf("log_key_file: %w", err)
		}
		opt.Key = k
	case c.LogKeyEnv != "" && e.getenv(c.LogKeyEnv) != "":
		k, err := archive.ParseKey(e.getenv(c.LogKeyEnv))
		if err != nil {
			return opt, fmt.Errorf("log_key_env %s: %w", c.LogKeyEnv, err)
		}
		opt.Key = k
	}
	if c.LogPreviousKeyFile != "" {
		if opt.Key == nil {
			return opt, fmt.Errorf("log_previous_key_file: %s", "a previous key signs beside the key of log_key_file or log_key_env, which is not set")
		}
		k, err := archive.ReadKeyFile(c.LogPreviousKeyFile)
		if err != nil {
			return opt, fmt.Errorf("log_previous_key_file: %w", err)
		}
		opt.Previous = k
	}
	if url := c.LogTSA; url != "" {
		opt.Timestamp = func(ctx context.Context, checkpoint []byte) ([]byte, error) {
			ctx, cancel := context.WithTimeout(ctx, tsaTimeout)
			defer cancel()
			return archive.Timestamp(ctx, nil, url, checkpoint)
		}
	}
	return opt, nil
}

// tsaTimeout bounds a time-stamping authority's answer: one that does not answer costs the night this
// long, then the checkpoint is published without a time stamp.
const tsaTimeout = 30 * time.Second
