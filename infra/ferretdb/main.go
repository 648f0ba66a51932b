// Command local-ferretdb runs FerretDB v1 (a MongoDB wire-protocol server)
// on its SQLite backend for local development and tests.
//
// It embeds FerretDB's library package rather than building upstream's
// cmd/ferretdb: the module zip lacks build/version/version.txt (it is
// git-ignored upstream), so the plain CLI panics at start-up.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	_ "net/http/pprof" // served only with -debug-addr
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URL; must end with /")
	debugAddr := flag.String("debug-addr", "", "if set, serve Go's pprof profiles on this address")
	flag.Parse()

	if *debugAddr != "" {
		// For profiling the local store (BENCHMARKS.md); never on by default.
		go func() { log.Print(http.ListenAndServe(*debugAddr, nil)) }()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("ferretdb listening on %s, data at %s", *listen, *sqliteURL)
	if err := f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
