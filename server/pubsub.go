package server

import (
	"sort"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// Pub/sub, as Redis's pubsub.c: channels, patterns and shard channels
// (standalone: a separate namespace of channels, published with SPUBLISH).
// All state is protected by Server.mu. Subscribers of a channel or
// pattern are kept in subscription order, which is the delivery order;
// patterns are matched in the order they were first subscribed.

var pubsubCommands = map[string]cmdProc{
	"subscribe":            subscribeCommand,
	"unsubscribe":          unsubscribeCommand,
	"psubscribe":           psubscribeCommand,
	"punsubscribe":         punsubscribeCommand,
	"ssubscribe":           ssubscribeCommand,
	"sunsubscribe":         sunsubscribeCommand,
	"publish":              publishCommand,
	"spublish":             spublishCommand,
	"pubsub|channels":      pubsubChannelsCommand,
	"pubsub|numsub":        pubsubNumsubCommand,
	"pubsub|numpat":        pubsubNumpatCommand,
	"pubsub|shardchannels": pubsubShardchannelsCommand,
	"pubsub|shardnumsub":   pubsubShardnumsubCommand,
	"pubsub|help":          pubsubHelpCommand,
}

// pubsubServer holds every subscription of the server; the zero value is
// empty and ready.
type pubsubServer struct {
	channels     map[string][]*client // channel -> subscribers
	shard        map[string][]*client // shard channel -> subscribers
	patterns     map[string][]*client // pattern -> subscribers
	patternOrder []string             // patterns in first-subscription order
}

// clientPubsub is what one client subscribes to. A client has one
// (c.pubsub != nil) exactly while it has a subscription: that is Redis's
// CLIENT_PUBSUB flag (subscribed mode in RESP2, flag P, pubsub output
// buffer class, exemption from the idle timeout).
type clientPubsub struct {
	channels map[string]struct{}
	patterns map[string]struct{}
	shard    map[string]struct{}
}

// pubsubKind is one of the three namespaces.
type pubsubKind struct {
	subscribe, unsubscribe string
	pattern, shard         bool
}

var (
	kindChannel = pubsubKind{subscribe: "subscribe", unsubscribe: "unsubscribe"}
	kindPattern = pubsubKind{subscribe: "psubscribe", unsubscribe: "punsubscribe", pattern: true}
	kindShard   = pubsubKind{subscribe: "ssubscribe", unsubscribe: "sunsubscribe", shard: true}
)

// addPushLen starts a push (an array in RESP2).
func (c *client) addPushLen(n int) {
	if c.replyOn() {
		c.reply = resp.AppendPush(c.reply, c.proto, n)
	}
}

// subscriptions returns the client's set of kind k (nil when none).
func (ps *clientPubsub) set(k pubsubKind) *map[string]struct{} {
	switch {
	case k.pattern:
		return &ps.patterns
	case k.shard:
		return &ps.shard
	}
	return &ps.channels
}

// subscriptionCount is the count in (un)subscribe confirmations: channels
// plus patterns, or shard channels alone.
func (c *client) subscriptionCount(k pubsubKind) int {
	if c.pubsub == nil {
		return 0
	}
	if k.shard {
		return len(c.pubsub.shard)
	}
	return len(c.pubsub.channels) + len(c.pubsub.patterns)
}

// serverMap returns the server's subscriber map of kind k, created when
// needed.
func (s *Server) pubsubMap(k pubsubKind) map[string][]*client {
	ps := &s.pubsub
	switch {
	case k.pattern:
		if ps.patterns == nil {
			ps.patterns = make(map[string][]*client)
		}
		return ps.patterns
	case k.shard:
		if ps.shard == nil {
			ps.shard = make(map[string][]*client)
		}
		return ps.shard
	}
	if ps.channels == nil {
		ps.channels = make(map[string][]*client)
	}
	return ps.channels
}

// addSubscribed replies one (un)subscribe confirmation.
func (c *client) addSubscribed(kind string, name []byte, k pubsubKind) {
	c.addPushLen(3)
	c.addBulkString(kind)
	if name == nil {
		c.addNull()
	} else {
		c.addBulk(name)
	}
	c.addInt(int64(c.subscriptionCount(k)))
}

// pubsubSubscribe subscribes c to name; subscribing twice only confirms.
func (s *Server) pubsubSubscribe(c *client, name []byte, k pubsubKind) {
	if c.pubsub == nil {
		c.pubsub = &clientPubsub{}
		c.subscribed.Store(true)
	}
	set := c.pubsub.set(k)
	if *set == nil {
		*set = make(map[string]struct{})
	}
	if _, ok := (*set)[string(name)]; !ok {
		key := string(name)
		(*set)[key] = struct{}{}
		m := s.pubsubMap(k)
		subs, existed := m[key]
		m[key] = append(subs, c)
		if k.pattern && !existed {
			s.pubsub.patternOrder = append(s.pubsub.patternOrder, key)
		}
	}
	c.addSubscribed(k.subscribe, name, k)
}

// pubsubUnsubscribe removes c's subscription to name, confirming it when
// notify is set (even when c was not subscribed, as Redis).
func (s *Server) pubsubUnsubscribe(c *client, name string, k pubsubKind, notify bool) {
	if c.pubsub != nil {
		set := c.pubsub.set(k)
		if _, ok := (*set)[name]; ok {
			delete(*set, name)
			m := s.pubsubMap(k)
			subs := m[name]
			for i, sc := range subs {
				if sc == c {
					subs = append(subs[:i:i], subs[i+1:]...)
					break
				}
			}
			if len(subs) == 0 {
				delete(m, name)
				if k.pattern {
					order := s.pubsub.patternOrder
					for i, p := range order {
						if p == name {
							s.pubsub.patternOrder = append(order[:i:i], order[i+1:]...)
							break
						}
					}
				}
			} else {
				m[name] = subs
			}
		}
	}
	if notify {
		c.addSubscribed(k.unsubscribe, []byte(name), k)
	}
	if c.pubsub != nil && len(c.pubsub.channels)+len(c.pubsub.patterns)+len(c.pubsub.shard) == 0 {
		c.pubsub = nil
		c.subscribed.Store(false)
	}
}

// pubsubUnsubscribeAllKind drops every subscription of kind k; with none
// and notify set, it confirms with a null name as Redis.
func (s *Server) pubsubUnsubscribeAllKind(c *client, k pubsubKind, notify bool) {
	var names []string
	if c.pubsub != nil {
		for name := range *c.pubsub.set(k) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		s.pubsubUnsubscribe(c, name, k, notify)
	}
	if len(names) == 0 && notify {
		c.addSubscribed(k.unsubscribe, nil, k)
	}
}

// pubsubUnsubscribeAll drops all subscriptions of c silently (disconnect,
// RESET).
func (s *Server) pubsubUnsubscribeAll(c *client) {
	if c.pubsub == nil {
		return
	}
	s.pubsubUnsubscribeAllKind(c, kindChannel, false)
	s.pubsubUnsubscribeAllKind(c, kindPattern, false)
	s.pubsubUnsubscribeAllKind(c, kindShard, false)
}

// pubsubMessage is one message encoded once per protocol.
type pubsubMessage struct {
	kind          string
	pattern       []byte // nil for message/smessage
	channel, data []byte
	enc           [2][]byte // RESP2, RESP3
}

func (m *pubsubMessage) bytes(proto int) []byte {
	i := 0
	if proto >= 3 {
		i = 1
	}
	if m.enc[i] == nil {
		n := 3
		if m.pattern != nil {
			n = 4
		}
		b := resp.AppendPush(nil, proto, n)
		b = resp.AppendBulkString(b, m.kind)
		if m.pattern != nil {
			b = resp.AppendBulk(b, m.pattern)
		}
		b = resp.AppendBulk(b, m.channel)
		m.enc[i] = resp.AppendBulk(b, m.data)
	}
	return m.enc[i]
}

// deliver hands a message to a subscriber without waiting for its
// socket; the publisher's own copy goes into its reply so it keeps its
// place among the replies of its batch.
func (s *Server) deliver(from, to *client, m *pubsubMessage) {
	if to == from {
		if to.replyOn() {
			to.reply = append(to.reply, m.bytes(to.proto)...)
		}
		return
	}
	to.pushAsync(m.bytes(to.proto))
}

// pubsubPublish sends data to the subscribers of channel (and, for plain
// channels, of every matching pattern) and returns how many got it: one
// per subscription, so a client matching two patterns counts twice.
func (s *Server) pubsubPublish(from *client, channel, data []byte, shard bool) int64 {
	var n int64
	k := kindChannel
	kind := "message"
	if shard {
		k, kind = kindShard, "smessage"
	}
	m := &pubsubMessage{kind: kind, channel: channel, data: data}
	for _, sc := range s.pubsubMap(k)[string(channel)] {
		s.deliver(from, sc, m)
		n++
	}
	if shard {
		return n
	}
	for _, p := range s.pubsub.patternOrder {
		if !datatypes.GlobMatch([]byte(p), channel, false) {
			continue
		}
		pm := &pubsubMessage{kind: "pmessage", pattern: []byte(p), channel: channel, data: data}
		for _, sc := range s.pubsub.patterns[p] {
			s.deliver(from, sc, pm)
			n++
		}
	}
	return n
}

// allowedSubscribed reports whether a RESP2 client with subscriptions may
// run cmd.
func allowedSubscribed(cmd *Command) bool {
	switch cmd.FullName {
	case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
		"psubscribe", "punsubscribe", "quit", "reset":
		return true
	}
	return false
}

// --- commands ---

// SUBSCRIBE channel [channel ...]
func subscribeCommand(c *client) {
	for _, ch := range c.argv[1:] {
		c.srv.pubsubSubscribe(c, ch, kindChannel)
	}
}

// PSUBSCRIBE pattern [pattern ...]
func psubscribeCommand(c *client) {
	for _, p := range c.argv[1:] {
		c.srv.pubsubSubscribe(c, p, kindPattern)
	}
}

// SSUBSCRIBE shardchannel [shardchannel ...]
func ssubscribeCommand(c *client) {
	// Unlike SUBSCRIBE, Redis 7.0 keeps no exception for MULTI here.
	if c.flags&flagDenyBlocking != 0 {
		c.addErrorString("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")
		return
	}
	for _, ch := range c.argv[1:] {
		c.srv.pubsubSubscribe(c, ch, kindShard)
	}
}

// unsubscribeGeneric serves UNSUBSCRIBE, PUNSUBSCRIBE and SUNSUBSCRIBE:
// without arguments, everything of the kind.
func unsubscribeGeneric(c *client, k pubsubKind) {
	if len(c.argv) == 1 {
		c.srv.pubsubUnsubscribeAllKind(c, k, true)
		return
	}
	for _, name := range c.argv[1:] {
		c.srv.pubsubUnsubscribe(c, string(name), k, true)
	}
}

// UNSUBSCRIBE [channel [channel ...]]
func unsubscribeCommand(c *client) { unsubscribeGeneric(c, kindChannel) }

// PUNSUBSCRIBE [pattern [pattern ...]]
func punsubscribeCommand(c *client) { unsubscribeGeneric(c, kindPattern) }

// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
func sunsubscribeCommand(c *client) { unsubscribeGeneric(c, kindShard) }

// PUBLISH channel message
func publishCommand(c *client) {
	c.addInt(c.srv.pubsubPublish(c, c.argv[1], c.argv[2], false))
}

// SPUBLISH shardchannel message
func spublishCommand(c *client) {
	c.addInt(c.srv.pubsubPublish(c, c.argv[1], c.argv[2], true))
}

// channelsGeneric serves PUBSUB CHANNELS and SHARDCHANNELS: the active
// channels matching the pattern (all without one), sorted.
func channelsGeneric(c *client, k pubsubKind) {
	if len(c.argv) > 3 {
		c.addSubcommandSyntaxError()
		return
	}
	var names []string
	for name := range c.srv.pubsubMap(k) {
		if len(c.argv) == 2 || datatypes.GlobMatch(c.argv[2], []byte(name), false) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	c.addArrayLen(len(names))
	for _, name := range names {
		c.addBulkString(name)
	}
}

// numsubGeneric serves PUBSUB NUMSUB and SHARDNUMSUB: channel, count pairs.
func numsubGeneric(c *client, k pubsubKind) {
	m := c.srv.pubsubMap(k)
	c.addArrayLen(2 * (len(c.argv) - 2))
	for _, ch := range c.argv[2:] {
		c.addBulk(ch)
		c.addInt(int64(len(m[string(ch)])))
	}
}

// PUBSUB CHANNELS [pattern]
func pubsubChannelsCommand(c *client) { channelsGeneric(c, kindChannel) }

// PUBSUB SHARDCHANNELS [pattern]
func pubsubShardchannelsCommand(c *client) { channelsGeneric(c, kindShard) }

// PUBSUB NUMSUB [channel [channel ...]]
func pubsubNumsubCommand(c *client) { numsubGeneric(c, kindChannel) }

// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
func pubsubShardnumsubCommand(c *client) { numsubGeneric(c, kindShard) }

// PUBSUB NUMPAT
func pubsubNumpatCommand(c *client) { c.addInt(int64(len(c.srv.pubsub.patterns))) }

var pubsubHelp = []string{
	"CHANNELS [<pattern>]",
	"    Return the currently active channels matching a <pattern> (default: '*').",
	"NUMPAT",
	"    Return number of subscriptions to patterns.",
	"NUMSUB [<channel> ...]",
	"    Return the number of subscribers for the specified channels, excluding",
	"    pattern subscriptions(default: no channels).",
	"SHARDCHANNELS [<pattern>]",
	"    Return the currently active shard level channels matching a <pattern> (default: '*').",
	"SHARDNUMSUB [<shardchannel> ...]",
	"    Return the number of subscribers for the specified shard level channel(s)",
}

// PUBSUB HELP
func pubsubHelpCommand(c *client) { c.addReplyHelp(pubsubHelp...) }
