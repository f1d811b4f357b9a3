package server

import "strconv"

// Keyspace notifications (Redis's notify.c): a command that changes a key
// publishes the event on __keyspace@<db>__:<key> (message: the event name)
// and on __keyevent@<db>__:<event> (message: the key), for the classes
// notify-keyspace-events enables. Events are ordinary pub/sub messages
// sent while the command runs, so a RESP3 client subscribed to its own
// events receives the push before the command's reply, as in Redis 7.0.
//
// The event names and the order of events per command are Redis's; the
// differential tests in integration/ subscribe on both servers and compare
// the event streams.

// notifyKeyspaceEvent publishes event for key in database dbid if class is
// enabled. from is the client running the command (nil for background
// work such as active expiry and eviction).
func (s *Server) notifyKeyspaceEvent(from *client, class NotifyFlags, event string, key []byte, dbid int) {
	flags := s.cfg.NotifyKeyspaceEvents
	if flags&class == 0 {
		return
	}
	if flags&(NotifyKeyspace|NotifyKeyevent) == 0 {
		return
	}
	db := strconv.Itoa(dbid)
	if flags&NotifyKeyspace != 0 {
		ch := make([]byte, 0, 16+len(db)+len(key))
		ch = append(ch, "__keyspace@"...)
		ch = append(ch, db...)
		ch = append(ch, "__:"...)
		ch = append(ch, key...)
		s.pubsubPublish(from, ch, []byte(event), false)
	}
	if flags&NotifyKeyevent != 0 {
		ch := make([]byte, 0, 16+len(db)+len(event))
		ch = append(ch, "__keyevent@"...)
		ch = append(ch, db...)
		ch = append(ch, "__:"...)
		ch = append(ch, event...)
		s.pubsubPublish(from, ch, key, false) // encoded at once: key is not kept
	}
}

// notify publishes an event about key in the client's current database.
func (c *client) notify(class NotifyFlags, event string, key []byte) {
	if c.srv.cfg.NotifyKeyspaceEvents&class == 0 {
		return
	}
	c.srv.notifyKeyspaceEvent(c, class, event, key, c.db.ID)
}
