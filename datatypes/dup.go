package datatypes

// Deep copies of collection values for COPY (Object.Dup through Duper).

// Dup returns a copy of d with the same entries, inserted into a fresh
// table with d's seed. Values are copied as they are, so V must be
// immutable (string, float64, struct{}) for the copy to share nothing
// mutable; collections holding mutable values wrap Dict in their own type.
func (d *Dict[V]) Dup() any {
	c := NewDict[V](d.seed)
	d.Range(func(k string, v V) bool {
		c.Set(k, v)
		return true
	})
	return c
}

// Dup returns a copy of the listpack's bytes.
func (lp *Listpack) Dup() any {
	c := append(Listpack(nil), *lp...)
	return &c
}

// Dup returns a copy of the intset's bytes.
func (is *Intset) Dup() any {
	c := append(Intset(nil), *is...)
	return &c
}
