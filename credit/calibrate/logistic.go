package calibrate

import (
	"errors"
	"fmt"
	"math"
)

// ErrSeparation: the maximum-likelihood estimate does not exist because a
// combination of the inputs separates (or almost separates) defaults from
// non-defaults; a coefficient grows without bound. Merge bins, drop the
// input or set an L2 penalty.
var ErrSeparation = errors.New("calibrate: logistic regression does not converge: the data are (quasi-)separable")

// LogitOptions configures FitLogit. The zero value fits without penalty,
// with at most 50 iterations.
type LogitOptions struct {
	// L2 is the ridge penalty λ/2·Σβ² on the coefficients (not the
	// intercept), on the summed log-likelihood. 0: none.
	L2 float64
	// MaxIter bounds the Newton iterations; 0 means 50.
	MaxIter int
}

// LogitFit is a fitted logistic regression logit(p) = Coef[0] +
// Σ Coef[j]·x[j-1].
type LogitFit struct {
	// Coef holds the intercept and then one coefficient per column.
	Coef []float64
	// StdErr holds the standard errors of Coef, from the inverse of the
	// (penalised) information matrix at the solution.
	StdErr []float64
	// Iterations is the number of Newton steps taken.
	Iterations int
	// Deviance is -2 times the log-likelihood at the solution.
	Deviance float64
}

// FitLogit fits a logistic regression of y (true: defaulted) on the
// columns of x (x[i] is the row of record i, all rows of the same length)
// by Newton-Raphson (iteratively reweighted least squares), starting from
// the intercept logit(ȳ) and zero coefficients, with step halving when
// the deviance rises. The arithmetic runs in a fixed order over rows and
// columns, so the same input gives the same result on every run.
//
// It fails with ErrNoDefaults or ErrNoNonDefaults for a sample of one
// class, and with ErrSeparation when the fitted probabilities go to 0 or 1
// (a coefficient beyond ±50 or no convergence), which happens on
// separable data without an L2 penalty.
func FitLogit(x [][]float64, y []bool, opts LogitOptions) (*LogitFit, error) {
	n := len(y)
	if len(x) != n {
		return nil, fmt.Errorf("calibrate: %d rows for %d outcomes", len(x), n)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: logistic regression needs records", ErrTooFewRecords)
	}
	k := len(x[0]) + 1
	for i, row := range x {
		if len(row)+1 != k {
			return nil, fmt.Errorf("calibrate: row %d has %d columns, want %d", i, len(row), k-1)
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("calibrate: row %d holds %v", i, v)
			}
		}
	}
	bad := 0
	for _, v := range y {
		if v {
			bad++
		}
	}
	switch bad {
	case 0:
		return nil, ErrNoDefaults
	case n:
		return nil, ErrNoNonDefaults
	}
	if opts.L2 < 0 || math.IsNaN(opts.L2) {
		return nil, fmt.Errorf("calibrate: L2 penalty %v is negative", opts.L2)
	}
	maxIter := opts.MaxIter
	if maxIter <= 0 {
		maxIter = 50
	}
	beta := make([]float64, k)
	beta[0] = logit(float64(bad) / float64(n))
	row := make([]float64, k)
	row[0] = 1
	rowOf := func(i int) []float64 {
		copy(row[1:], x[i])
		return row
	}
	dev := func(b []float64) float64 {
		var d float64
		for i := range n {
			eta := dot(rowOf(i), b)
			// -2·log-likelihood, computed stably from eta.
			if y[i] {
				d += softplus(-eta)
			} else {
				d += softplus(eta)
			}
		}
		d *= 2
		for j := 1; j < k; j++ {
			d += opts.L2 * sq(b[j])
		}
		return d
	}
	cur := dev(beta)
	h := make([]float64, k*k)
	g := make([]float64, k)
	step := make([]float64, k)
	trial := make([]float64, k)
	fit := &LogitFit{}
	for it := 1; it <= maxIter; it++ {
		clear(h)
		clear(g)
		for i := range n {
			r := rowOf(i)
			p := sigmoid(dot(r, beta))
			w := float64(p * (1 - p))
			res := -p
			if y[i] {
				res = 1 - p
			}
			for a := range k {
				g[a] += float64(r[a] * res)
				wa := float64(w * r[a])
				for b := 0; b <= a; b++ {
					h[a*k+b] += float64(wa * r[b])
				}
			}
		}
		for j := 1; j < k; j++ {
			g[j] -= opts.L2 * beta[j]
			h[j*k+j] += opts.L2
		}
		for a := range k {
			for b := a + 1; b < k; b++ {
				h[a*k+b] = h[b*k+a]
			}
		}
		if !solveSPD(h, g, step, k) {
			return nil, fmt.Errorf("%w (the information matrix is singular at iteration %d)", ErrSeparation, it)
		}
		// Step halving: never accept a step that raises the deviance.
		t := 1.0
		var next float64
		for range 30 {
			for j := range k {
				trial[j] = beta[j] + float64(t*step[j])
			}
			next = dev(trial)
			if next <= cur || math.Abs(next-cur) <= 1e-12*math.Abs(cur) {
				break
			}
			t /= 2
		}
		copy(beta, trial)
		fit.Iterations = it
		for _, b := range beta {
			if math.Abs(b) > 50 {
				return nil, fmt.Errorf("%w (a coefficient reached %.3g)", ErrSeparation, b)
			}
		}
		maxStep := 0.0
		for j := range k {
			maxStep = math.Max(maxStep, math.Abs(t*step[j]))
		}
		change := math.Abs(cur - next)
		cur = next
		if maxStep < 1e-10 || change/(math.Abs(cur)+0.1) < 1e-14 {
			fit.Coef = beta
			fit.Deviance = cur
			fit.StdErr = stdErrs(h, k)
			// Fitted probabilities at 0 or 1 mean separation even if the
			// steps became small.
			if cur < 1e-6 {
				return nil, fmt.Errorf("%w (the deviance fell to %.3g)", ErrSeparation, cur)
			}
			return fit, nil
		}
	}
	return nil, fmt.Errorf("%w (no convergence in %d iterations)", ErrSeparation, maxIter)
}

// softplus is ln(1 + e^x), without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// dot is Σ a[i]·b[i]; each product is rounded before it is added, so that
// no platform fuses the two into one instruction with a different result.
func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += float64(a[i] * b[i])
	}
	return s
}

// cholesky factors the symmetric positive definite k×k matrix a (row
// major) into l·lᵀ, l lower triangular; false when a is not positive
// definite.
func cholesky(a []float64, k int) ([]float64, bool) {
	l := make([]float64, k*k)
	for i := range k {
		for j := 0; j <= i; j++ {
			s := a[i*k+j]
			for m := range j {
				s -= float64(l[i*k+m] * l[j*k+m])
			}
			if i == j {
				if !(s > 1e-300) {
					return nil, false
				}
				l[i*k+i] = math.Sqrt(s)
			} else {
				l[i*k+j] = s / l[j*k+j]
			}
		}
	}
	return l, true
}

// solveSPD solves a·x = b for a symmetric positive definite a.
func solveSPD(a, b, x []float64, k int) bool {
	l, ok := cholesky(a, k)
	if !ok {
		return false
	}
	// l·z = b, then lᵀ·x = z.
	z := make([]float64, k)
	for i := range k {
		s := b[i]
		for m := range i {
			s -= float64(l[i*k+m] * z[m])
		}
		z[i] = s / l[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		s := z[i]
		for m := i + 1; m < k; m++ {
			s -= float64(l[m*k+i] * x[m])
		}
		x[i] = s / l[i*k+i]
	}
	return true
}

// stdErrs returns the square roots of the diagonal of the inverse of the
// information matrix h.
func stdErrs(h []float64, k int) []float64 {
	se := make([]float64, k)
	e := make([]float64, k)
	col := make([]float64, k)
	for j := range k {
		clear(e)
		e[j] = 1
		if !solveSPD(h, e, col, k) {
			return se
		}
		se[j] = math.Sqrt(math.Max(0, col[j]))
	}
	return se
}
