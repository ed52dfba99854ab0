package exchange_test

import (
	"context"
	"os"
	"testing"

	"xinyong/exchange"
)

func TestScratchDemo(t *testing.T) {
	p := os.Getenv("DEMO_OUT")
	if p == "" {
		t.Skip()
	}
	db, err := exchange.Create(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := exchange.Demo(context.Background(), db, exchange.DemoOptions{Entries: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(st)
}
