package datatypes

import (
	"math/rand"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

func cgSeed(t *testing.T) int64 {
	seed := time.Now().UnixNano()
	if v := os.Getenv("SEED"); v != "" {
		seed, _ = strconv.ParseInt(v, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	return seed
}

// TestIDIndexRandom drives idIndex against a sorted-slice model with
// inserts, deletes (some during a range scan) and range scans.
func TestIDIndexRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(cgSeed(t)))
	var x idIndex[int]
	model := map[StreamID]int{}
	randID := func() StreamID {
		if rng.Intn(10) == 0 {
			return StreamID{^uint64(0) - uint64(rng.Intn(2)), ^uint64(0) - uint64(rng.Intn(2))}
		}
		return StreamID{uint64(rng.Intn(400)), uint64(rng.Intn(8))}
	}
	sorted := func() []StreamID {
		ids := make([]StreamID, 0, len(model))
		for id := range model {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, StreamID.Compare)
		return ids
	}
	for step := 0; step < 60000; step++ {
		switch op := rng.Intn(10); {
		case op < 4:
			id, v := randID(), rng.Int()
			_, had := model[id]
			if got := x.Insert(id, v); got == had {
				t.Fatalf("step %d: Insert(%v) = %v, present before: %v", step, id, got, had)
			}
			if !had {
				model[id] = v
			}
		case op < 6:
			id := randID()
			want, had := model[id]
			got, ok := x.Delete(id)
			if ok != had || got != want {
				t.Fatalf("step %d: Delete(%v) = %v,%v want %v,%v", step, id, got, ok, want, had)
			}
			delete(model, id)
		case op < 7:
			id := randID()
			want, had := model[id]
			if got, ok := x.Get(id); ok != had || got != want {
				t.Fatalf("step %d: Get(%v) = %v,%v want %v,%v", step, id, got, ok, want, had)
			}
		default:
			a, b := randID(), randID()
			if b.Compare(a) < 0 {
				a, b = b, a
			}
			limit := rng.Intn(50) + 1
			del := rng.Intn(3) == 0
			var want []StreamID
			for _, id := range sorted() {
				if id.Compare(a) >= 0 && id.Compare(b) <= 0 && len(want) < limit {
					want = append(want, id)
				}
			}
			var got []StreamID
			x.Range(a, b, func(id StreamID, v int) bool {
				if model[id] != v {
					t.Fatalf("step %d: value of %v = %d want %d", step, id, v, model[id])
				}
				got = append(got, id)
				if del && len(got)%2 == 1 {
					x.Delete(id)
					delete(model, id)
				}
				return len(got) < limit
			})
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: Range(%v,%v) = %v want %v", step, a, b, got, want)
			}
		}
		if x.Len() != len(model) {
			t.Fatalf("step %d: Len %d want %d", step, x.Len(), len(model))
		}
		if len(model) > 0 && step%97 == 0 {
			ids := sorted()
			if x.first() != ids[0] || x.last() != ids[len(ids)-1] {
				t.Fatalf("step %d: bounds %v %v want %v %v", step, x.first(), x.last(), ids[0], ids[len(ids)-1])
			}
		}
	}
}

// TestConsumerGroupsRandom checks groups, consumers and the two PELs of
// a group against a model: every NACK sits in the group PEL and in its
// owner's PEL, and nowhere else.
func TestConsumerGroupsRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(cgSeed(t)))
	s := &Stream{}
	names := []string{"b", "a", "c", "ab", "", "z"}
	for _, n := range names {
		if _, ok := s.CreateGroup(n, StreamID{}, InvalidEntriesRead); !ok {
			t.Fatal("create failed")
		}
	}
	if _, ok := s.CreateGroup("a", StreamID{}, 0); ok {
		t.Fatal("duplicate group created")
	}
	var order []string
	s.RangeGroups(func(g *ConsumerGroup) bool { order = append(order, g.Name); return true })
	if !slices.Equal(order, []string{"", "a", "ab", "b", "c", "z"}) {
		t.Fatalf("group order %q", order)
	}
	if !s.DestroyGroup("ab") || s.DestroyGroup("ab") || s.LookupGroup("ab") != nil || s.GroupCount() != 5 {
		t.Fatal("destroy")
	}

	g := s.LookupGroup("a")
	owner := map[StreamID]string{} // model: pending ID -> consumer
	consumers := map[string]bool{}
	cnames := []string{"x", "y", "w", "xx"}
	for step := 0; step < 20000; step++ {
		id := StreamID{uint64(rng.Intn(200)), 0}
		cn := cnames[rng.Intn(len(cnames))]
		switch rng.Intn(6) {
		case 0, 1: // deliver
			c, created := g.CreateConsumer(cn, int64(step))
			if created == consumers[cn] {
				t.Fatalf("step %d: CreateConsumer(%s) created=%v", step, cn, created)
			}
			consumers[cn] = true
			pe, added := g.AddPending(id, c, int64(step))
			_, had := owner[id]
			if added == had {
				t.Fatalf("step %d: AddPending added=%v had=%v", step, added, had)
			}
			g.SetOwner(pe, c)
			owner[id] = cn
		case 2: // ack
			_, had := owner[id]
			if g.Ack(id) != had {
				t.Fatalf("step %d: Ack(%v) != %v", step, id, had)
			}
			delete(owner, id)
		case 3: // delete a consumer
			if rng.Intn(10) != 0 {
				continue
			}
			c := g.LookupConsumer(cn)
			if (c != nil) != consumers[cn] {
				t.Fatalf("step %d: lookup %s", step, cn)
			}
			if c == nil {
				continue
			}
			want := 0
			for id, o := range owner {
				if o == cn {
					want++
					delete(owner, id)
				}
			}
			if n := g.DeleteConsumer(c); n != want {
				t.Fatalf("step %d: DeleteConsumer = %d want %d", step, n, want)
			}
			delete(consumers, cn)
		default: // claim with a range scan
			c, _ := g.CreateConsumer(cn, int64(step))
			consumers[cn] = true
			g.RangePending(id, StreamID{id.Ms + 20, 0}, func(pe *PendingEntry) bool {
				g.SetOwner(pe, c)
				owner[pe.ID] = cn
				return true
			})
		}
		// Check both views.
		if g.PendingLen() != len(owner) {
			t.Fatalf("step %d: PendingLen %d want %d", step, g.PendingLen(), len(owner))
		}
		total := 0
		var prev string
		first := true
		g.RangeConsumers(func(c *Consumer) bool {
			if !first && c.Name <= prev {
				t.Fatalf("step %d: consumer order %q after %q", step, c.Name, prev)
			}
			first, prev = false, c.Name
			last, n := StreamID{}, 0
			c.RangePending(StreamID{}, MaxStreamID, func(pe *PendingEntry) bool {
				if owner[pe.ID] != c.Name || pe.Consumer != c || g.LookupPending(pe.ID) != pe {
					t.Fatalf("step %d: %v in %s's PEL, owner %q", step, pe.ID, c.Name, owner[pe.ID])
				}
				if n > 0 && pe.ID.Compare(last) <= 0 {
					t.Fatalf("step %d: consumer PEL out of order", step)
				}
				last = pe.ID
				n++
				total++
				return true
			})
			return true
		})
		if total != len(owner) || g.ConsumerCount() != len(consumers) {
			t.Fatalf("step %d: %d owned entries, want %d; %d consumers want %d", step, total, len(owner), g.ConsumerCount(), len(consumers))
		}
	}
	// A clone is deep: acking in the copy leaves the original alone.
	cl := s.Groups.Dup()
	cg := cl.byName["a"]
	if cg.PendingLen() != g.PendingLen() {
		t.Fatal("clone PEL size")
	}
	if first, _, ok := g.PendingBounds(); ok {
		cg.Ack(first)
		if g.LookupPending(first) == nil || cg.LookupPending(first) != nil {
			t.Fatal("clone shares its PEL")
		}
	}
}
