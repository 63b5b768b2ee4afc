package checker

import (
	"slices"
)

// automaton is a rune-keyed Aho–Corasick automaton over the lexicon's
// distinct normalised patterns.
//
// Nodes are numbered in breadth-first order (node 0 is the root). The edges
// of a node are contiguous in edgeRune/edgeNext and sorted by rune. Root
// transitions for the Basic Multilingual Plane are also held in a dense array,
// because every input rune that is not continuing a match starts at the root.
type automaton struct {
	nodes    []acNode
	edgeRune []rune
	edgeNext []int32
	rootNext []int32 // rootNext[r] for r < len(rootNext); 0 means "stay at the root"
	patLen   []int32 // rune length of each pattern
}

type acNode struct {
	edgeLo int32 // first edge
	edgeN  int32 // number of edges
	fail   int32 // longest proper suffix that is a trie node
	out    int32 // pattern ending exactly here, or -1
	dict   int32 // nearest node on the fail chain with out >= 0, or -1
}

// linearEdges is the edge count up to which a linear scan beats binary search.
const linearEdges = 8

// buildAutomaton builds the automaton for pats, which must be sorted
// (slices.Compare order), distinct and non-empty. Pattern i is reported as i.
func buildAutomaton(pats [][]rune) *automaton {
	a := &automaton{patLen: make([]int32, len(pats))}
	total := 0
	for i, p := range pats {
		a.patLen[i] = int32(len(p))
		total += len(p)
	}
	// Upper bound on nodes: one per pattern rune, plus the root.
	a.nodes = make([]acNode, 1, total+1)
	a.nodes[0] = acNode{out: -1, dict: -1}
	a.edgeRune = make([]rune, 0, total)
	a.edgeNext = make([]int32, 0, total)
	// Per-node build data: the range of patterns sharing the node's prefix,
	// the depth, the parent and the rune on the edge from the parent.
	type info struct {
		lo, hi, depth, parent int32
		r                     rune
	}
	infos := make([]info, 1, total+1)
	infos[0] = info{lo: 0, hi: int32(len(pats))}
	for n := 0; n < len(a.nodes); n++ {
		in := infos[n]
		lo, hi, d := in.lo, in.hi, in.depth
		if lo < hi && int32(len(pats[lo])) == d {
			a.nodes[n].out = lo
			lo++
		}
		a.nodes[n].edgeLo = int32(len(a.edgeRune))
		for i := lo; i < hi; {
			r := pats[i][d]
			j := i + 1
			for j < hi && pats[j][d] == r {
				j++
			}
			child := int32(len(a.nodes))
			a.nodes = append(a.nodes, acNode{out: -1, dict: -1})
			infos = append(infos, info{lo: i, hi: j, depth: d + 1, parent: int32(n), r: r})
			a.edgeRune = append(a.edgeRune, r)
			a.edgeNext = append(a.edgeNext, child)
			i = j
		}
		a.nodes[n].edgeN = int32(len(a.edgeRune)) - a.nodes[n].edgeLo
	}
	// Dense root transitions.
	root := a.nodes[0]
	maxR := rune(-1)
	for e := root.edgeLo; e < root.edgeLo+root.edgeN; e++ {
		if r := a.edgeRune[e]; r < 0x10000 && r > maxR {
			maxR = r
		}
	}
	a.rootNext = make([]int32, maxR+1)
	for e := root.edgeLo; e < root.edgeLo+root.edgeN; e++ {
		if r := a.edgeRune[e]; r < 0x10000 {
			a.rootNext[r] = a.edgeNext[e]
		}
	}
	// Failure and output links, in breadth-first (= index) order.
	for c := 1; c < len(a.nodes); c++ {
		in := infos[c]
		f := int32(0)
		if in.parent != 0 {
			f = a.step(a.nodes[in.parent].fail, in.r)
		}
		a.nodes[c].fail = f
		if a.nodes[f].out >= 0 {
			a.nodes[c].dict = f
		} else {
			a.nodes[c].dict = a.nodes[f].dict
		}
	}
	return a
}

// child returns the node reached from node s by rune r, or -1.
func (a *automaton) child(s int32, r rune) int32 {
	n := &a.nodes[s]
	lo, hi := int(n.edgeLo), int(n.edgeLo+n.edgeN)
	if hi-lo <= linearEdges {
		for e := lo; e < hi; e++ {
			if a.edgeRune[e] == r {
				return a.edgeNext[e]
			}
		}
		return -1
	}
	if i, ok := slices.BinarySearch(a.edgeRune[lo:hi], r); ok {
		return a.edgeNext[lo+i]
	}
	return -1
}

// step is the automaton's transition function: the state after reading r in
// state s.
func (a *automaton) step(s int32, r rune) int32 {
	for s != 0 {
		if c := a.child(s, r); c >= 0 {
			return c
		}
		s = a.nodes[s].fail
	}
	if r >= 0 && int(r) < len(a.rootNext) {
		return a.rootNext[r]
	}
	if r >= 0x10000 {
		if c := a.child(0, r); c >= 0 {
			return c
		}
	}
	return 0
}

// scan reports every occurrence of every pattern in text, overlapping ones
// included, as (pattern, index of its last rune), in order of end position.
func (a *automaton) scan(text []rune, hit func(pat int32, end int)) {
	s := int32(0)
	for i, r := range text {
		s = a.step(s, r)
		t := s
		if a.nodes[t].out < 0 {
			t = a.nodes[t].dict
		}
		for t > 0 {
			hit(a.nodes[t].out, i)
			t = a.nodes[t].dict
		}
	}
}
