package jsonschema

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
)

// A pattern decides the "pattern" keyword as gojsonschema does:
// regexp.MustCompile(p).MatchString(s), a match anywhere in s. Patterns
// over ASCII characters with no assertions but ^ and $ (all the patterns
// of the module's schemas) are compiled to a DFA over bytes, which
// matches a string in one table lookup per byte without allocating;
// others use the regexp itself. TestPatternDFAEqualsRegexp and
// FuzzPatternDFA hold the DFA to the regexp.
type pattern interface {
	MatchString(s string) bool
}

// maxDFAStates bounds the DFA of one pattern; a pattern that needs more
// is matched by its regexp.
const maxDFAStates = 1024

// compilePattern compiles p as gojsonschema does (regexp.Compile) and,
// where it can, as a DFA.
func compilePattern(p string) (pattern, error) {
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	if d, ok := compileDFA(p); ok {
		return d, nil
	}
	return re, nil
}

// dfa is a deterministic automaton over the bytes of a string that
// answers what regexp.MatchString answers. State 0 is the start.
type dfa struct {
	next []uint16 // next[s*128+c]: the state after ASCII byte c in state s
	// high is the state after any byte of 0x80 or more, which no
	// instruction of the pattern matches: every thread dies, and the
	// search restarts (the restart state).
	high []uint16
	// matched[s]: a match has been found; the answer is yes whatever
	// follows. atEnd[s]: a match is found if the input ends here.
	matched, atEnd []bool
}

// MatchString reports whether s contains a match of the pattern.
func (d *dfa) MatchString(s string) bool {
	st := uint16(0)
	if d.matched[st] {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			st = d.next[int(st)*128+int(c)]
		} else {
			st = d.high[st]
		}
		if d.matched[st] {
			return true
		}
	}
	return d.atEnd[st]
}

// dfaBuilder makes the DFA of a compiled regexp program by subset
// construction. A DFA state is the set of the program's instructions
// that threads wait at: ones that consume a character (InstRune,
// InstRune1), $ (InstEmptyWidth EmptyEndText, which holds only at the end)
// and InstMatch.
type dfaBuilder struct {
	prog   *syntax.Prog
	states [][]uint32
	index  map[string]int
	// restart is the closure of the start at a position after the first,
	// which every step adds, since MatchString looks for a match that
	// starts anywhere.
	restart []uint32
}

func compileDFA(p string) (*dfa, bool) {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return nil, false
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil || !dfaCompatible(prog) {
		return nil, false
	}
	b := &dfaBuilder{prog: prog, index: map[string]int{}}
	b.restart = b.closure([]uint32{uint32(prog.Start)}, false)
	d := &dfa{}
	// The start state is the only one at the beginning of the text, where
	// ^ holds; it is keyed apart from the same set met later.
	b.add(b.closure([]uint32{uint32(prog.Start)}, true), "^")
	restartState := b.add(b.restart, "")
	for s := 0; s < len(b.states); s++ {
		if len(b.states) > maxDFAStates {
			return nil, false
		}
		set := b.states[s]
		for c := range 128 {
			n := b.add(b.union(b.closure(b.step(set, rune(c)), false), b.restart), "")
			d.next = append(d.next, uint16(n))
		}
		d.high = append(d.high, uint16(restartState))
		d.matched = append(d.matched, b.hasMatch(set))
		d.atEnd = append(d.atEnd, b.matchesAtEnd(set, s == 0))
	}
	if len(b.states) > maxDFAStates {
		return nil, false
	}
	return d, true
}

// dfaCompatible reports whether every instruction of prog is one the DFA
// handles: ASCII character classes without case folding, and no
// assertion but ^ and $ of the whole text.
func dfaCompatible(prog *syntax.Prog) bool {
	for _, in := range prog.Inst {
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch, syntax.InstCapture, syntax.InstNop, syntax.InstMatch, syntax.InstFail:
		case syntax.InstEmptyWidth:
			if op := syntax.EmptyOp(in.Arg); op != syntax.EmptyBeginText && op != syntax.EmptyEndText {
				return false
			}
		case syntax.InstRune, syntax.InstRune1:
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				return false
			}
			for _, r := range in.Rune {
				if r >= 0x80 {
					return false
				}
			}
		default: // InstRuneAny, InstRuneAnyNotNL
			return false
		}
	}
	return true
}

// add returns the index of the state of set (with the key suffix tag),
// making it if it is new.
func (b *dfaBuilder) add(set []uint32, tag string) int {
	var k strings.Builder
	k.WriteString(tag)
	for _, pc := range set {
		k.WriteString(strconv.FormatUint(uint64(pc), 36))
		k.WriteByte(',')
	}
	key := k.String()
	if i, ok := b.index[key]; ok {
		return i
	}
	b.index[key] = len(b.states)
	b.states = append(b.states, set)
	return len(b.states) - 1
}

// closure follows the instructions that consume nothing from pcs and
// returns the waiting instructions reached, sorted; begin says whether
// the position is the beginning of the text (^ holds).
func (b *dfaBuilder) closure(pcs []uint32, begin bool) []uint32 {
	var out []uint32
	seen := map[uint32]bool{}
	var visit func(pc uint32)
	visit = func(pc uint32) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			visit(in.Out)
			visit(in.Arg)
		case syntax.InstCapture, syntax.InstNop:
			visit(in.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg) == syntax.EmptyBeginText {
				if begin {
					visit(in.Out)
				}
				return
			}
			out = append(out, pc) // $: waits for the end
		case syntax.InstRune, syntax.InstRune1, syntax.InstMatch:
			out = append(out, pc)
		}
	}
	for _, pc := range pcs {
		visit(pc)
	}
	slices.Sort(out)
	return out
}

// step returns the instructions that follow those of set that consume c.
func (b *dfaBuilder) step(set []uint32, c rune) []uint32 {
	var out []uint32
	for _, pc := range set {
		in := &b.prog.Inst[pc]
		if (in.Op == syntax.InstRune || in.Op == syntax.InstRune1) && in.MatchRune(c) {
			out = append(out, in.Out)
		}
	}
	return out
}

func (b *dfaBuilder) union(x, y []uint32) []uint32 {
	out := append(slices.Clone(x), y...)
	slices.Sort(out)
	return slices.Compact(out)
}

func (b *dfaBuilder) hasMatch(set []uint32) bool {
	return slices.ContainsFunc(set, func(pc uint32) bool { return b.prog.Inst[pc].Op == syntax.InstMatch })
}

// matchesAtEnd reports whether a thread of set reaches a match when the
// text ends here: through $ and whatever follows it that consumes
// nothing (^ too, when the text is empty, begin).
func (b *dfaBuilder) matchesAtEnd(set []uint32, begin bool) bool {
	seen := map[uint32]bool{}
	var visit func(pc uint32) bool
	visit = func(pc uint32) bool {
		if seen[pc] {
			return false
		}
		seen[pc] = true
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstMatch:
			return true
		case syntax.InstAlt, syntax.InstAltMatch:
			return visit(in.Out) || visit(in.Arg)
		case syntax.InstCapture, syntax.InstNop:
			return visit(in.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg) == syntax.EmptyBeginText && !begin {
				return false
			}
			return visit(in.Out)
		}
		return false
	}
	return slices.ContainsFunc(set, visit)
}
