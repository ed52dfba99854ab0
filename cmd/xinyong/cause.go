package main

import (
	"context"
	"errors"
	"strings"
	"syscall"

	"xinyong/exchange"
	"xinyong/internal/release"
	"xinyong/scheduler"
)

// causeOf names the cause of a failed publication (scheduler.Cause*), which the public status page shows
// instead of the error; "" leaves it to the scheduler.
func causeOf(err error) string {
	var step *release.StepError
	switch {
	case errors.Is(err, release.ErrGuard), errors.Is(err, release.ErrFuture):
		return scheduler.CauseRefused
	case errors.Is(err, release.ErrNoSpace), errors.Is(err, syscall.ENOSPC),
		strings.Contains(err.Error(), syscall.ENOSPC.Error()),     // a child's error, as text
		strings.Contains(err.Error(), "database or disk is full"): // SQLite's (state.db)
		return scheduler.CauseDisk
	case errors.Is(err, errBuildTimeout):
		return scheduler.CauseTimeout
	case errors.Is(err, exchange.ErrConnect):
		return scheduler.CauseDatabase
	case errors.Is(err, context.Canceled):
		return scheduler.CauseInterrupted
	case errors.As(err, &step):
		switch step.Step {
		case release.StepExport:
			return scheduler.CauseExport
		case release.StepBuild:
			return scheduler.CauseBuild
		case release.StepIndex:
			return scheduler.CauseIndex
		}
	}
	return ""
}
