package main

import (
	"context"
	"errors"
	"strings"
	"syscall"

	"xinyong/exchange"
	"xinyong/publish"
	"xinyong/scheduler"
)

// causeOf names the cause of a failed publication (scheduler.Cause*), which the public status page shows
// instead of the error; "" leaves it to the scheduler.
func causeOf(err error) string {
	var step *publish.StepError
	switch {
	case errors.Is(err, publish.ErrGuard), errors.Is(err, publish.ErrFuture):
		return scheduler.CauseRefused
	case errors.Is(err, publish.ErrNoSpace), errors.Is(err, syscall.ENOSPC),
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
		case publish.StepExport:
			return scheduler.CauseExport
		case publish.StepBuild:
			return scheduler.CauseBuild
		case publish.StepIndex:
			return scheduler.CauseIndex
		}
	}
	return ""
}
