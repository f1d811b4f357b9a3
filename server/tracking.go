package server

import (
	"slices"
	"strings"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// Client-side caching (Redis's tracking.c).
//
// Default mode: after a read-only command, the keys it read are remembered
// in the tracking table (key -> IDs of clients that may cache it). When a
// key changes (signalModifiedKey), every client remembered for it gets one
// invalidation message and the key leaves the table: a client is told once
// per read, as in Redis. BCAST mode: clients register prefixes instead, the
// keys changed under each prefix are collected and sent as one message per
// prefix after the batch that changed them (Redis sends them before
// sleeping).
//
// A message goes to the client itself as a RESP3 push, or to the REDIRECT
// client: as a push if that one speaks RESP3, as a message on
// __redis__:invalidate if it is a RESP2 client in pub/sub mode. A RESP2
// client without redirection gets nothing (RESP2 has no pushes). A FLUSHDB
// or FLUSHALL invalidates everything with a null payload.
//
// Messages about keys the running client changed itself are queued until
// its command (or whole EXEC) has replied, as Redis 7.0 does, so they never
// interleave with its own reply.

// clientTracking is one client's CLIENT TRACKING state; nil when off.
type clientTracking struct {
	bcast, optin, optout, noloop bool
	caching                      bool // CLIENT CACHING given for the next command
	brokenRedir                  bool
	redirect                     int64
	prefixes                     []string // BCAST prefixes, kept sorted
}

// trackingTable is the server's side.
type trackingTable struct {
	keys     map[string]map[int64]struct{}
	items    int // IDs over all keys (tracking_total_items)
	prefixes map[string]*bcastState
	clients  int // clients with tracking on
	pending  []pendingInvalidation

	limitEffort int // trackingLimitUsedSlots' rounds spent over the limit
}

// bcastState is one prefix: the keys changed since the last broadcast
// (with the client that changed each last, for NOLOOP) and its clients.
type bcastState struct {
	keys    map[string]*client
	clients map[*client]struct{}
}

// pendingInvalidation is a message for the running client held until its
// command has replied; flush means "all keys" (a null payload).
type pendingInvalidation struct {
	to    *client
	key   string
	flush bool
}

const trackingChannel = "__redis__:invalidate"

// CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
func clientTrackingCommand(c *client) {
	s := c.srv
	var redirect int64
	var bcast, optin, optout, noloop bool
	var prefixes []string
	for j := 3; j < len(c.argv); j++ {
		opt := strings.ToLower(string(c.argv[j]))
		more := j < len(c.argv)-1
		switch {
		case opt == "redirect" && more:
			j++
			if redirect != 0 {
				c.addErrorString("ERR A client can only redirect to a single other client")
				return
			}
			id, ok := datatypes.ParseInt(c.argv[j])
			if !ok {
				c.addError(errNotInt)
				return
			}
			if s.clients[id] == nil {
				c.addErrorString("ERR The client ID you want redirect to does not exist")
				return
			}
			redirect = id
		case opt == "bcast":
			bcast = true
		case opt == "optin":
			optin = true
		case opt == "optout":
			optout = true
		case opt == "noloop":
			noloop = true
		case opt == "prefix" && more:
			j++
			prefixes = append(prefixes, string(c.argv[j]))
		default:
			c.addError(errSyntax)
			return
		}
	}
	switch strings.ToLower(string(c.argv[2])) {
	case "on":
	case "off":
		s.disableTracking(c)
		c.addOK()
		return
	default:
		c.addError(errSyntax)
		return
	}
	t := c.tracking
	switch {
	case !bcast && len(prefixes) > 0:
		c.addErrorString("ERR PREFIX option requires BCAST mode to be enabled")
		return
	case t != nil && t.bcast != bcast:
		c.addErrorString("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.")
		return
	case bcast && (optin || optout):
		c.addErrorString("ERR OPTIN and OPTOUT are not compatible with BCAST")
		return
	case optin && optout:
		c.addErrorString("ERR You can't specify both OPTIN mode and OPTOUT mode")
		return
	case t != nil && ((optin && t.optout) || (optout && t.optin)):
		c.addErrorString("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.")
		return
	}
	if bcast && !checkPrefixCollisions(c, prefixes) {
		return
	}
	s.enableTracking(c, redirect, bcast, optin, optout, noloop, prefixes)
	c.addOK()
}

// checkPrefixCollisions refuses prefixes that overlap one another or one
// the client already has (two prefixes overlap when one starts the other:
// both would report the same keys).
func checkPrefixCollisions(c *client, prefixes []string) bool {
	overlap := func(a, b string) bool { return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) }
	for i, p := range prefixes {
		if c.tracking != nil {
			for _, q := range c.tracking.prefixes {
				if overlap(p, q) {
					c.addErrorString("ERR Prefix '" + p + "' overlaps with an existing prefix '" + q + "'. Prefixes for a single client must not overlap.")
					return false
				}
			}
		}
		for _, q := range prefixes[i+1:] {
			if overlap(p, q) {
				c.addErrorString("ERR Prefix '" + p + "' overlaps with another provided prefix '" + q + "'. Prefixes for a single client must not overlap.")
				return false
			}
		}
	}
	return true
}

// enableTracking is Redis's enableTracking: flags are replaced, BCAST
// prefixes are added to those the client has (BCAST alone is the empty
// prefix: every key).
func (s *Server) enableTracking(c *client, redirect int64, bcast, optin, optout, noloop bool, prefixes []string) {
	t := c.tracking
	if t == nil {
		t = &clientTracking{}
		c.tracking = t
		s.tracking.clients++
	}
	t.brokenRedir, t.bcast, t.optin, t.optout, t.noloop = false, false, false, false, false
	t.redirect = redirect
	if bcast {
		t.bcast = true
		if len(prefixes) == 0 {
			prefixes = []string{""}
		}
		for _, p := range prefixes {
			s.enableBcastPrefix(c, p)
		}
	}
	t.optin, t.optout, t.noloop = optin, optout, noloop
}

func (s *Server) enableBcastPrefix(c *client, p string) {
	if s.tracking.prefixes == nil {
		s.tracking.prefixes = make(map[string]*bcastState)
	}
	bs := s.tracking.prefixes[p]
	if bs == nil {
		bs = &bcastState{keys: map[string]*client{}, clients: map[*client]struct{}{}}
		s.tracking.prefixes[p] = bs
	}
	if _, ok := bs.clients[c]; ok {
		return
	}
	bs.clients[c] = struct{}{}
	i, _ := slices.BinarySearch(c.tracking.prefixes, p)
	c.tracking.prefixes = slices.Insert(c.tracking.prefixes, i, p)
}

// disableTracking turns tracking off for c. Its IDs stay in the key table
// and are dropped lazily when the keys are invalidated, as in Redis.
func (s *Server) disableTracking(c *client) {
	t := c.tracking
	if t == nil {
		return
	}
	for _, p := range t.prefixes {
		bs := s.tracking.prefixes[p]
		if bs == nil {
			continue
		}
		delete(bs.clients, c)
		if len(bs.clients) == 0 {
			delete(s.tracking.prefixes, p)
		}
	}
	c.tracking = nil
	s.tracking.clients--
}

// CLIENT CACHING <YES | NO>
func clientCachingCommand(c *client) {
	t := c.tracking
	if t == nil {
		c.addErrorString("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
		return
	}
	switch strings.ToLower(string(c.argv[2])) {
	case "yes":
		if !t.optin {
			c.addErrorString("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
			return
		}
	case "no":
		if !t.optout {
			c.addErrorString("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
			return
		}
	default:
		c.addError(errSyntax)
		return
	}
	t.caching = true
	c.addOK()
}

// CLIENT GETREDIR
func clientGetredirCommand(c *client) {
	if c.tracking == nil {
		c.addInt(-1)
		return
	}
	c.addInt(c.tracking.redirect)
}

// CLIENT TRACKINGINFO
func clientTrackinginfoCommand(c *client) {
	t := c.tracking
	c.addMapLen(3)
	c.addBulkString("flags")
	if t == nil {
		c.addSetLen(1)
		c.addBulkString("off")
		c.addBulkString("redirect")
		c.addInt(-1)
		c.addBulkString("prefixes")
		c.addArrayLen(0)
		return
	}
	flags := []string{"on"}
	if t.bcast {
		flags = append(flags, "bcast")
	}
	if t.optin {
		flags = append(flags, "optin")
		if t.caching {
			flags = append(flags, "caching-yes")
		}
	}
	if t.optout {
		flags = append(flags, "optout")
		if t.caching {
			flags = append(flags, "caching-no")
		}
	}
	if t.noloop {
		flags = append(flags, "noloop")
	}
	if t.brokenRedir {
		flags = append(flags, "broken_redirect")
	}
	c.addSetLen(len(flags))
	for _, f := range flags {
		c.addBulkString(f)
	}
	c.addBulkString("redirect")
	c.addInt(t.redirect)
	c.addBulkString("prefixes")
	c.addArrayLen(len(t.prefixes))
	for _, p := range t.prefixes {
		c.addBulkString(p)
	}
}

// trackingAfterCommand runs after every command c executed at top level:
// it remembers the keys a read-only command read, drops a CLIENT CACHING
// given for this command, and sends the invalidations held for c.
func (s *Server) trackingAfterCommand(c *client, cmd *Command) {
	if t := c.tracking; t != nil {
		if cmd.has(cmdReadonly) && !t.bcast {
			s.trackingRememberKeys(c, cmd)
		}
		// CACHING lasts for one command, or until EXEC; the CLIENT
		// command that set it does not use it up.
		if c.multi == nil && cmd.Name != "client" && (cmd.Parent == nil || cmd.Parent.Name != "client") {
			t.caching = false
		}
	}
	if len(s.tracking.pending) > 0 && s.inCall == 0 {
		pending := s.tracking.pending
		s.tracking.pending = nil
		for _, p := range pending {
			if p.flush {
				s.sendTrackingMessage(p.to, nil, true, c)
			} else {
				s.sendTrackingMessage(p.to, trackingKeyArray(p.key), false, c)
			}
		}
	}
}

// trackingRememberKeys records that c may cache the keys cmd read, unless
// OPTIN without CACHING YES or OPTOUT with CACHING NO says otherwise.
func (s *Server) trackingRememberKeys(c *client, cmd *Command) {
	t := c.tracking
	if (t.optin && !t.caching) || (t.optout && t.caching) {
		return
	}
	refs, err := cmd.keyPositions(c.argv)
	if err != nil {
		return
	}
	if s.tracking.keys == nil {
		s.tracking.keys = make(map[string]map[int64]struct{})
	}
	for _, r := range refs {
		key := c.argv[r.Pos]
		ids := s.tracking.keys[string(key)]
		if ids == nil {
			ids = make(map[int64]struct{}, 1)
			s.tracking.keys[string(key)] = ids
		}
		if _, ok := ids[c.id]; !ok {
			ids[c.id] = struct{}{}
			s.tracking.items++
		}
	}
}

// trackingInvalidateKey is called when key changed (bcast) or left the
// tracking table for lack of room (!bcast): every client remembered for it
// is told once, and BCAST prefixes collect it.
func (s *Server) trackingInvalidateKey(key string, bcast bool) {
	// Keys remembered for clients that since left are still invalidated
	// (Redis keeps them too); once none is left a write costs nothing here.
	if s.tracking.clients == 0 && len(s.tracking.keys) == 0 {
		return
	}
	cur := s.execClient
	if bcast && len(s.tracking.prefixes) > 0 {
		for p, bs := range s.tracking.prefixes {
			if strings.HasPrefix(key, p) {
				bs.keys[key] = cur
			}
		}
	}
	ids, ok := s.tracking.keys[key]
	if !ok {
		return
	}
	delete(s.tracking.keys, key)
	s.tracking.items -= len(ids)
	// In ID order, as Redis walks its radix tree of IDs.
	order := make([]int64, 0, len(ids))
	for id := range ids {
		order = append(order, id)
	}
	slices.Sort(order)
	for _, id := range order {
		target := s.clients[id]
		if target == nil || target.tracking == nil || target.tracking.bcast {
			continue
		}
		if target.tracking.noloop && target == cur {
			continue
		}
		if target == cur {
			s.tracking.pending = append(s.tracking.pending, pendingInvalidation{to: target, key: key})
			continue
		}
		s.sendTrackingMessage(target, trackingKeyArray(key), false, cur)
	}
}

// trackingInvalidateOnFlush tells every tracking client that all keys are
// invalid (FLUSHDB, FLUSHALL) and empties the table.
func (s *Server) trackingInvalidateOnFlush() {
	if s.tracking.clients > 0 {
		cur := s.execClient
		for _, id := range s.sortedClientIDs() {
			cl := s.clients[id]
			if cl.tracking == nil {
				continue
			}
			if cl == cur {
				s.tracking.pending = append(s.tracking.pending, pendingInvalidation{to: cl, flush: true})
				continue
			}
			s.sendTrackingMessage(cl, nil, true, cur)
		}
	}
	if s.tracking.keys != nil {
		s.tracking.keys = make(map[string]map[int64]struct{})
		s.tracking.items = 0
	}
}

func (s *Server) sortedClientIDs() []int64 {
	ids := make([]int64, 0, len(s.clients))
	for id := range s.clients {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// trackingKeyArray is the payload naming one key.
func trackingKeyArray(key string) []byte {
	b := resp.AppendArray(nil, 1)
	return resp.AppendBulkString(b, key)
}

// sendTrackingMessage sends payload (an array of keys, or with null set a
// null meaning every key) to c, or to the client c redirects to.
// owner is the client whose batch is running: its bytes go into its reply
// buffer, after what it already has.
func (s *Server) sendTrackingMessage(c *client, payload []byte, null bool, owner *client) {
	to := c
	redirected := false
	if c.tracking != nil && c.tracking.redirect != 0 {
		r := s.clients[c.tracking.redirect]
		if r == nil {
			c.tracking.brokenRedir = true
			if c.proto > 2 {
				b := resp.AppendPush(nil, 3, 2)
				b = resp.AppendBulkString(b, "tracking-redir-broken")
				b = resp.AppendInt(b, c.tracking.redirect)
				s.pushTo(c, b, owner)
			}
			return
		}
		to, redirected = r, true
	}
	if null {
		if to.proto > 2 {
			payload = []byte("_\r\n")
		} else {
			payload = []byte("$-1\r\n")
		}
	}
	var b []byte
	switch {
	case to.proto > 2:
		b = resp.AppendPush(nil, 3, 2)
		b = resp.AppendBulkString(b, "invalidate")
	case redirected && to.pubsub != nil:
		b = resp.AppendArray(nil, 3)
		b = resp.AppendBulkString(b, "message")
		b = resp.AppendBulkString(b, trackingChannel)
	default:
		return // RESP2 without redirection: no way to push
	}
	s.pushTo(to, append(b, payload...), owner)
}

// pushTo queues out-of-band bytes for to: in its reply buffer when its
// own batch is the one running, else on its connection.
func (s *Server) pushTo(to *client, b []byte, owner *client) {
	if to == owner || to == s.execClient {
		to.reply = append(to.reply, b...)
		return
	}
	to.pushAsync(b)
}

// trackingBroadcast sends each BCAST prefix's changed keys to its clients
// (without the keys a NOLOOP client changed itself). owner is the client
// whose batch just ran, nil from cron.
func (s *Server) trackingBroadcast(owner *client) {
	if s.tracking.clients == 0 || len(s.tracking.prefixes) == 0 {
		return
	}
	ps := make([]string, 0, len(s.tracking.prefixes))
	for p := range s.tracking.prefixes {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	for _, p := range ps {
		bs := s.tracking.prefixes[p]
		if len(bs.keys) == 0 {
			continue
		}
		keys := make([]string, 0, len(bs.keys))
		for k := range bs.keys {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		all := bcastPayload(keys, bs.keys, nil)
		clients := make([]*client, 0, len(bs.clients))
		for cl := range bs.clients {
			clients = append(clients, cl)
		}
		slices.SortFunc(clients, func(a, b *client) int { return int(a.id - b.id) })
		for _, cl := range clients {
			if cl.tracking != nil && cl.tracking.noloop {
				if own := bcastPayload(keys, bs.keys, cl); own != nil {
					s.sendTrackingMessage(cl, own, false, owner)
				}
				continue
			}
			s.sendTrackingMessage(cl, all, false, owner)
		}
		bs.keys = map[string]*client{}
	}
}

// bcastPayload is the array of keys, leaving out those last changed by
// skip; nil when that leaves none.
func bcastPayload(keys []string, by map[string]*client, skip *client) []byte {
	n := 0
	for _, k := range keys {
		if skip == nil || by[k] != skip {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	b := resp.AppendArray(nil, n)
	for _, k := range keys {
		if skip == nil || by[k] != skip {
			b = resp.AppendBulkString(b, k)
		}
	}
	return b
}

// trackingLimitUsedSlots evicts keys from the tracking table (telling
// their clients, as if the keys changed) while it holds more than
// tracking-table-max-keys; the effort grows each time a call could not
// get under the limit, as Redis's.
func (s *Server) trackingLimitUsedSlots() {
	max := s.cfg.TrackingTableMaxKeys
	if s.tracking.keys == nil || max == 0 || int64(len(s.tracking.keys)) <= max {
		s.tracking.limitEffort = 0
		return
	}
	effort := 100 * (s.tracking.limitEffort + 1)
	for k := range s.tracking.keys { // map order is random: a random walk
		if effort == 0 {
			break
		}
		effort--
		s.trackingInvalidateKey(k, false)
		if int64(len(s.tracking.keys)) <= max {
			s.tracking.limitEffort = 0
			return
		}
	}
	s.tracking.limitEffort++
}

// trackingFlags are CLIENT LIST's tracking letters: t (on), R (broken
// redirect), B (broadcast).
func trackingFlags(f []byte, t *clientTracking) []byte {
	if t == nil {
		return f
	}
	f = append(f, 't')
	if t.brokenRedir {
		f = append(f, 'R')
	}
	if t.bcast {
		f = append(f, 'B')
	}
	return f
}

// trackingRedir is CLIENT LIST's redir= field.
func trackingRedir(t *clientTracking) int64 {
	if t == nil {
		return -1
	}
	return t.redirect
}
