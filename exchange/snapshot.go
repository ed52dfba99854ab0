package exchange

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// querier is what reads run on: the database, or the transaction of a snapshot.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// snapshotKey keys the transaction of a snapshot of one DB in a context.
type snapshotKey struct{ d *DB }

// Snapshot begins a read-only transaction that sees the database as of one moment — REPEATABLE READ on
// PostgreSQL (a write committed while it is open is not seen), a read transaction on SQLite — and returns
// a context that carries it: every read of d (IsDemo, Departments, Entries, Cases) made with that context,
// or one derived from it, goes through the transaction, so that an export reads one consistent state. end
// finishes the transaction; call it when the reads are done. The transaction holds one connection: the
// reads must run one after the other.
//
// The snapshot travels in the context rather than as another Source value, so that the export
// (generator.Snapshotter) can ask for one without exchange and generator sharing a type.
func (d *DB) Snapshot(ctx context.Context) (snap context.Context, end func() error, err error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if d.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := d.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("begin a read-only snapshot: %w", err)
	}
	end = func() error {
		// Read-only: nothing to commit. Rollback after the context ended is not an error worth reporting.
		if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			return fmt.Errorf("end the snapshot: %w", err)
		}
		return nil
	}
	return context.WithValue(ctx, snapshotKey{d}, tx), end, nil
}

// q returns the snapshot of d that ctx carries, or the database.
func (d *DB) q(ctx context.Context) querier {
	if tx, ok := ctx.Value(snapshotKey{d}).(*sql.Tx); ok {
		return tx
	}
	return d.db
}
