package exchange_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"xinyong/exchange"
)

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u:SECRET@db.internal/credit?sslmode=require", "postgres://u:xxxxx@db.internal/credit?sslmode=require"},
		{"postgres://u:p@ss@db/x", "postgres://u:xxxxx@db/x"},
		{"postgres://u@127.0.0.1:1/x?password=SECRET", "postgres://u@127.0.0.1:1/x?password=xxxxx"},
		{"postgresql://db/x?sslmode=verify-full&password=SE%26CRET&sslpassword=K&application_name=a",
			"postgresql://db/x?sslmode=verify-full&password=xxxxx&sslpassword=xxxxx&application_name=a"},
		{"postgres://db/x?sslkey=/etc/xinyong/client.key", "postgres://db/x?sslkey=xxxxx"},
		{"host=127.0.0.1 port=1 user=u password=SECRET dbname=x", "host=127.0.0.1 port=1 user=u password=xxxxx dbname=x"},
		{"host=db password='se cret \\' x' dbname=x", "host=db password=xxxxx dbname=x"},
		{"host=db password = SECRET dbname=x", "host=db password = xxxxx dbname=x"},
		{"host=db PASSWORD=SECRET sslpassword='k k' sslkey=/k.pem passfile=/p", "host=db PASSWORD=xxxxx sslpassword=xxxxx sslkey=xxxxx passfile=xxxxx"},
		{"connect to `host=db password=SECRET`: refused", "connect to `host=db password=xxxxx refused"},
		{"PGPASSWORD=SECRET", "PGPASSWORD=xxxxx"},
		{"mysql://root:SECRET@h/x", "mysql://root:xxxxx@h/x"},
		{"/var/lib/exchange.db", "/var/lib/exchange.db"},
		{"postgres://u@db/x", "postgres://u@db/x"},
	}
	for _, tt := range tests {
		got := exchange.RedactDSN(tt.in)
		if got != tt.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "SECRET") || strings.Contains(got, "cret") {
			t.Errorf("RedactDSN(%q) = %q keeps the secret", tt.in, got)
		}
	}
}

func TestParseDSN_Keyword(t *testing.T) {
	tests := []struct{ dsn, dialect string }{
		{"host=127.0.0.1 port=1 user=u password=SECRET dbname=x", exchange.Postgres},
		{"dbname=credit", exchange.Postgres},
		{"postgres://u@h/x", exchange.Postgres},
		{"exchange.db", exchange.SQLite},
		{"sqlite:a=b.db", exchange.SQLite},
		{"data/x=1.db", exchange.SQLite},
	}
	for _, tt := range tests {
		d, _, err := exchange.ParseDSN(tt.dsn)
		if err != nil || d != tt.dialect {
			t.Errorf("ParseDSN(%q) = %q, %v; want %q", tt.dsn, d, err, tt.dialect)
		}
	}
}

// TestOpen_NoSecretInError: a database that does not answer fails with ErrConnect, and the error names
// neither password, whatever form the DSN takes.
func TestOpen_NoSecretInError(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u@127.0.0.1:1/x?password=SECRET1&connect_timeout=3",
		"postgres://u:SECRET1@127.0.0.1:1/x?connect_timeout=3",
		"host=127.0.0.1 port=1 user=u password=SECRET2 dbname=x connect_timeout=3",
		"host=127.0.0.1 port=1 user=u password='SECRET2 x' dbname=x connect_timeout=3",
	} {
		_, err := exchange.Open(context.Background(), dsn)
		if !errors.Is(err, exchange.ErrConnect) {
			t.Errorf("Open(%q): %v, want ErrConnect", dsn, err)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("Open(%q): the error shows the password: %v", dsn, err)
		}
	}
}
