// Command ferrite is a Redis 7.0-compatible in-memory data server.
//
//	ferrite [/path/to/redis.conf] [--option value ...] [-]
//
// The command line and config files are redis-server's: see
// server.LoadConfig.
package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"ferrite/persistence"
	"ferrite/server"
)

func main() {
	// No heap profiling: nothing reads the profile, and its sampled stacks
	// cost some 1.4 MB of memory that Redis does not have.
	runtime.MemProfileRate = 0
	if len(os.Args) > 1 && os.Args[1] == "check-rdb" {
		if len(os.Args) != 3 {
			fmt.Fprintf(os.Stderr, "Usage: %s check-rdb <rdb-file-name>\n", os.Args[0])
			os.Exit(1)
		}
		os.Exit(persistence.CheckRDB(os.Args[2], os.Stdout))
	}
	if len(os.Args) > 1 && os.Args[1] == "check-aof" {
		os.Exit(persistence.CheckAOF(os.Args[2:], os.Stdout))
	}
	cfg, err := server.LoadConfig(os.Args[1:])
	if err != nil {
		var info *server.InfoExit
		var open *server.ConfigFileOpenError
		switch {
		case errors.As(err, &info):
			out := os.Stdout
			if info.Status != 0 {
				out = os.Stderr
			}
			fmt.Fprintln(out, strings.TrimSuffix(info.Text, "\n"))
			os.Exit(info.Status)
		case errors.As(err, &open):
			// redis-server logs this one (no log file is open yet).
			logLine(os.Stdout, 'C', "#", open.Error())
		default:
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}

	var logw io.Writer = os.Stdout
	if cfg.LogFile != "" {
		f, err := os.OpenFile(cfg.LogFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			fmt.Fprintf(os.Stderr, "Can't open the log file: %v\n", err)
			os.Exit(1)
		}
		logw = f
	}
	logLine(logw, 'C', "#", "oO0OoO0OoO0Oo Ferrite is starting oO0OoO0OoO0Oo")
	logLine(logw, 'C', "#", fmt.Sprintf("Ferrite version=%s (Redis %s compatible), bits=64, pid=%d, just started", server.Version, server.Version, os.Getpid()))
	if cfg.ConfigFile == "" {
		logLine(logw, 'C', "#", "Warning: no config file specified, using the default config. In order to specify a config file use "+os.Args[0]+" /path/to/redis.conf")
	} else {
		logLine(logw, 'C', "#", "Configuration loaded")
	}
	if cfg.Daemonize {
		logLine(logw, 'C', "#", "WARNING: Ferrite does not daemonize: it keeps running in the foreground (let a service manager run it in the background).")
	}

	// Commands execute one at a time under the keyspace lock. With
	// io-threads 1 (the default, as in Redis) one event loop serves the
	// clients on Linux (server/eventloop_linux.go) and one P runs Go code:
	// on 2 cores a second P only added scheduler hand-offs (measured 0.8x
	// with the loop, 0.7x with a goroutine per client). io-threads N > 1
	// serves each client from its own goroutine on N Ps, parallelizing
	// socket I/O. GOMAXPROCS in the environment wins.
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(cfg.IOThreads)
	}

	s, err := server.New(cfg)
	if err != nil {
		logLine(logw, 'M', "#", err.Error())
		os.Exit(1)
	}
	s.SetLogger(log.New(logw, "", 0))
	// Building the command table decodes commands.json: some MB of garbage
	// the GC policy would not bother returning (it is under its purge
	// slop), but that an idle server would carry in its RSS for good.
	debug.FreeOSMemory()
	if cfg.PidFile != "" {
		if err := os.WriteFile(cfg.PidFile, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
			logLine(logw, 'M', "#", "Failed to write PID file: "+err.Error())
		}
	}
	logLine(logw, 'M', "*", fmt.Sprintf("Running mode=standalone, port=%d.", cfg.Port))
	logLine(logw, 'M', "#", "Server initialized")

	sigc := make(chan os.Signal, 2)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	// The dataset loads while clients connect: they get -LOADING until
	// it is in (the loading flag is set before the listeners open).
	loaded := s.LoadDataFromDisk()
	go func() { errc <- s.ListenAndServe() }()

	status := 0
wait:
	select {
	case err := <-loaded:
		if err != nil {
			logLine(logw, 'M', "#", err.Error())
			os.Exit(1)
		}
		loaded = nil
		goto wait
	case sig := <-sigc:
		name := "SIGTERM"
		if sig == syscall.SIGINT {
			name = "SIGINT"
		}
		logLine(logw, 'M', "#", "Received "+name+" scheduling shutdown...")
		saved := make(chan struct{})
		go func() {
			select {
			case <-sigc:
				logLine(logw, 'M', "#", "You insist... exiting now.")
				os.Exit(1)
			case <-saved:
			}
		}()
		ok := s.ShutdownOnSignal(sig == syscall.SIGINT)
		close(saved)
		if !ok {
			goto wait // a failed save refuses the shutdown (no FORCE)
		}
		s.Close()
	case err := <-errc:
		// nil after SHUTDOWN; an error when the listeners could not open.
		if err != nil {
			logLine(logw, 'M', "#", err.Error())
			status = 1
		}
		s.Close()
	}
	if status == 0 {
		logLine(logw, 'M', "#", "Ferrite is now ready to exit, bye bye...")
	}
	if cfg.PidFile != "" {
		os.Remove(cfg.PidFile)
	}
	os.Exit(status)
}

// logLine writes one line in redis-server's log format:
// "pid:role dd Mon yyyy hh:mm:ss.mmm level message".
func logLine(w io.Writer, role byte, level, msg string) {
	ts := time.Now().Format("02 Jan 2006 15:04:05.000")
	fmt.Fprintf(w, "%d:%c %s %s %s\n", os.Getpid(), role, ts, level, msg)
}
