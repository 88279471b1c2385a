// Command ferretdb runs FerretDB v2.5.0 (PostgreSQL + DocumentDB) for local runs and tests.
//
// Why a wrapper instead of `go install .../cmd/ferretdb@v2.5.0`: that command does not
// compile with Go 1.26 (undefined: setGOMAXPROCS), while the embeddable package
// `github.com/FerretDB/FerretDB/v2/ferretdb` is the same server and builds. Embedded
// mode has authentication off, so the listener must stay on 127.0.0.1. Telemetry is off.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/v2/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	pgURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/postgres", "PostgreSQL URL (DocumentDB installed)")
	stateDir := flag.String("state-dir", ".", "directory for state.json")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}

	telemetry := false
	f, err := ferretdb.New(&ferretdb.Config{
		PostgreSQLURL: *pgURL,
		ListenAddr:    *listen,
		StateDir:      *stateDir,
		LogLevel:      level,
		LogOutput:     os.Stderr,
		Telemetry:     &telemetry,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "FerretDB v2.5.0 listening on %s\n", *listen)
	f.Run(ctx)
}
