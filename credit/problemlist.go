package credit

import "fmt"

// MaxProblems is the largest number of problems reported for one record or
// rule set. A document with more gets its first MaxProblems problems, in
// the order of Problems (by path, then code), and one more problem,
// TOO_MANY_PROBLEMS (RULESET_TOO_MANY_PROBLEMS for a rule set), that
// counts the rest. A hostile 1 MiB record can hold over a million
// mistakes; listing them all would cost gigabytes and help nobody.
const MaxProblems = 100

// problemList collects problems in bounded memory: with a limit, it keeps
// the limit smallest problems in the order of sortProblems and counts the
// others. Its sources never add the same problem twice (the decoder
// reports a repeated key once, the schema layer removes duplicates per
// call), so the counts are exact.
type problemList struct {
	limit int // 0: keep everything, in the order added
	ps    Problems
	// omitted and omittedErrors count the problems dropped so far.
	omitted, omittedErrors int
}

func (l *problemList) add(p Problem) {
	l.ps = append(l.ps, p)
	if l.limit > 0 && len(l.ps) >= 2*l.limit {
		l.trim()
	}
}

func (l *problemList) addAll(ps Problems) {
	for _, p := range ps {
		l.add(p)
	}
}

// trim sorts the problems and drops all but the first limit ones.
func (l *problemList) trim() {
	l.ps = sortProblems(l.ps)
	if len(l.ps) <= l.limit {
		return
	}
	for _, p := range l.ps[l.limit:] {
		l.omitted++
		if p.Severity == SeverityError {
			l.omittedErrors++
		}
	}
	clear(l.ps[l.limit:])
	l.ps = l.ps[:l.limit]
}

// hasErrors reports whether any problem added so far is an error.
func (l *problemList) hasErrors() bool { return l.omittedErrors > 0 || l.ps.HasErrors() }

// result returns the problems sorted, with a problem of the given code
// that counts the omitted ones, if any. Its severity is error when an
// omitted problem is an error, so that the list rejects exactly when the
// full list would.
func (l *problemList) result(code, doc string) Problems {
	if l.limit == 0 {
		return sortProblems(l.ps)
	}
	l.trim()
	if l.omitted == 0 {
		return l.ps
	}
	sev := SeverityWarning
	if l.omittedErrors > 0 {
		sev = SeverityError
	}
	more := Problem{Code: code, Severity: sev, Message: fmt.Sprintf(
		"%d more problems (%d errors, %d warnings) are not listed; at most %d are reported per %s",
		l.omitted, l.omittedErrors, l.omitted-l.omittedErrors, l.limit, doc)}
	return sortProblems(append(l.ps, more))
}
