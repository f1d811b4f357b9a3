package server

import (
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// infoBody returns the text of an INFO reply (RESP2 bulk string).
func infoBody(t *testing.T, reply string) string {
	t.Helper()
	if !strings.HasPrefix(reply, "$") {
		t.Fatalf("INFO reply %q", reply)
	}
	return reply[strings.Index(reply, "\r\n")+2 : len(reply)-2]
}

// infoLayout lists INFO's section titles and, per section, the field names
// in order.
func infoLayout(body string) (titles []string, fields map[string][]string) {
	fields = make(map[string][]string)
	cur := ""
	for _, line := range strings.Split(body, "\r\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "# "):
			cur = line[2:]
			titles = append(titles, cur)
		default:
			name, _, _ := strings.Cut(line, ":")
			fields[cur] = append(fields[cur], name)
		}
	}
	return titles, fields
}

// infoMissing are the fields Ferrite cannot have: commands run on
// connection goroutines, so there is no main thread to measure.
var infoMissing = map[string]bool{"used_cpu_sys_main_thread": true, "used_cpu_user_main_thread": true}

// TestInfoMatchesRedis compares INFO everything's sections and the names
// and order of every field with a live redis-server 7.0. The per-command,
// per-error and per-database sections hold one line per thing that
// happened, so only their titles are compared.
func TestInfoMatchesRedis(t *testing.T) {
	r := startRedis(t)
	s := startServer(t)
	c := dial(t, s)
	wantTitles, wantFields := infoLayout(infoBody(t, r.Do("INFO", "everything")))
	gotTitles, gotFields := infoLayout(infoBody(t, c.Do("INFO", "everything")))
	if strings.Join(gotTitles, ",") != strings.Join(wantTitles, ",") {
		t.Fatalf("sections %v, want %v", gotTitles, wantTitles)
	}
	for _, title := range wantTitles {
		switch title {
		case "Commandstats", "Errorstats", "Latencystats", "Keyspace":
			continue
		}
		var want []string
		for _, f := range wantFields[title] {
			if !infoMissing[f] {
				want = append(want, f)
			}
		}
		if strings.Join(gotFields[title], ",") != strings.Join(want, ",") {
			t.Errorf("section %s:\n got  %v\n want %v", title, gotFields[title], want)
		}
	}
}

func TestInfoSections(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	defaults := "Server,Clients,Memory,Persistence,Stats,Replication,CPU,Modules,Errorstats,Cluster,Keyspace"
	all := "Server,Clients,Memory,Persistence,Stats,Replication,CPU,Modules,Commandstats,Errorstats,Latencystats,Cluster,Keyspace"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, defaults},
		{[]string{"default"}, defaults},
		{[]string{"all"}, all},
		{[]string{"everything"}, all},
		{[]string{"EVERYTHING", "server"}, all},
		{[]string{"clients", "Server", "CLIENTS"}, "Server,Clients"},
		{[]string{"modules"}, "Modules"},
		{[]string{"commandstats", "latencystats"}, "Commandstats,Latencystats"},
	} {
		titles, _ := infoLayout(infoBody(t, c.Do(append([]string{"INFO"}, tc.args...)...)))
		if got := strings.Join(titles, ","); got != tc.want {
			t.Errorf("INFO %v: sections %s, want %s", tc.args, got, tc.want)
		}
	}
	c.expect("$0\r\n\r\n", "INFO", "bogus")
	c.expect("$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n", "INFO", "cluster")
	c.Do("HELLO", "3")
	c.expect("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n", "INFO", "cluster")
}

func TestInfoValues(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "a", "1")
	c.expect("+OK\r\n", "SET", "b", "2", "EX", "100")
	c.expect("$1\r\n1\r\n", "GET", "a")
	c.expect("$-1\r\n", "GET", "nokey")
	c.Do("GET")                       // rejected: wrong arity
	c.Do("CLIENT", "KILL", "ID", "0") // failed
	c.Do("CLIENT", "ID")
	body := infoBody(t, c.Do("INFO", "everything"))
	port := strconv.Itoa(s.Addr().(*net.TCPAddr).Port)
	for _, re := range []string{
		`\r\nredis_version:7\.0\.15\r\n`,
		`\r\nredis_mode:standalone\r\n`,
		`\r\narch_bits:64\r\n`,
		`\r\nrun_id:[0-9a-f]{40}\r\n`,
		`\r\ntcp_port:` + port + `\r\n`,
		`\r\nconfigured_hz:10\r\n`,
		`\r\nconnected_clients:1\r\n`,
		`\r\nmaxclients:10000\r\n`,
		`\r\nused_memory:[1-9]\d*\r\n`,
		`\r\nused_memory_human:\d+\.\d\d[KMG]\r\n`,
		`\r\nmaxmemory_policy:noeviction\r\n`,
		`\r\nmem_fragmentation_ratio:\d+\.\d\d\r\n`,
		`\r\nrdb_changes_since_last_save:2\r\n`,
		`\r\naof_enabled:0\r\n`,
		`\r\ntotal_connections_received:1\r\n`,
		`\r\nkeyspace_hits:1\r\n`,
		`\r\nkeyspace_misses:1\r\n`,
		`\r\ntotal_error_replies:2\r\n`,
		`\r\nrole:master\r\n`,
		`\r\nmaster_replid:[0-9a-f]{40}\r\n`,
		`\r\nused_cpu_user:\d+\.\d{6}\r\n`,
		`\r\ncmdstat_set:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n`,
		`\r\ncmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n`,
		`\r\ncmdstat_client\|kill:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n`,
		`\r\ncmdstat_client\|id:calls=1,`,
		`\r\nerrorstat_ERR:count=2\r\n`,
		`\r\nlatency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n`,
		`\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\n`,
	} {
		if !regexp.MustCompile(re).MatchString(body) {
			t.Errorf("INFO lacks %s", re)
		}
	}
	if strings.Contains(body, "\r\ncmdstat_info:") {
		t.Error("INFO counts itself before it ran")
	}
	// The run id is the same for the life of the server.
	id := regexp.MustCompile(`run_id:(\w+)`).FindStringSubmatch(body)[1]
	if !strings.Contains(c.Do("INFO", "server"), "run_id:"+id+"\r\n") {
		t.Error("run_id changed")
	}
}
