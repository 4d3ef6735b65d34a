package calibrate

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Errors about the outcomes of a sample. They are returned (wrapped)
// wherever a statistic would otherwise divide by zero or be undefined.
var (
	// ErrNoDefaults: the sample has no defaulted record.
	ErrNoDefaults = errors.New("calibrate: no defaulted record in the sample")
	// ErrNoNonDefaults: the sample has no record that did not default.
	ErrNoNonDefaults = errors.New("calibrate: no non-defaulted record in the sample")
	// ErrTooFewRecords: the sample is too small for the statistic.
	ErrTooFewRecords = errors.New("calibrate: too few records")
)

// z975 is the 97.5% quantile of the standard normal distribution, for
// two-sided 95% intervals.
const z975 = 1.959963984540054

// RiskCount is the number of defaulted and non-defaulted records that
// share one value of a risk measure (a score, a PD).
type RiskCount struct {
	// Risk is the value; a higher value means a higher risk.
	Risk float64
	// Bad is the number of defaulted records with this value.
	Bad int64
	// Good is the number of records with this value that did not default.
	Good int64
}

// Discrimination holds the rank statistics of a risk measure.
type Discrimination struct {
	// AUC is the area under the ROC curve: the probability that a
	// defaulted record has a higher risk than a non-defaulted one, ties
	// counting one half (Mann-Whitney).
	AUC float64 `json:"auc"`
	// AUCStdErr is the DeLong standard error of AUC (Hanley-McNeil when a
	// class has a single record).
	AUCStdErr float64 `json:"auc_std_err"`
	// AUCLow and AUCHigh bound the two-sided 95% confidence interval
	// AUC ± 1.96·AUCStdErr, clipped to [0, 1].
	AUCLow  float64 `json:"auc_ci_low"`
	AUCHigh float64 `json:"auc_ci_high"`
	// Gini is the accuracy ratio, 2·AUC - 1.
	Gini float64 `json:"gini"`
	// KS is the Kolmogorov-Smirnov statistic: the largest gap between the
	// cumulative shares of defaulted and non-defaulted records over
	// cut-offs of the risk measure.
	KS float64 `json:"ks"`
	// KSAt is the risk value at which KS is reached (records at or above
	// it against those below).
	KSAt float64 `json:"ks_at"`
	// Bad and Good count the records of each outcome.
	Bad  int64 `json:"defaults"`
	Good int64 `json:"non_defaults"`
}

// Discriminate computes AUC (with its DeLong interval), Gini and KS from
// counts per risk value. Counts with the same Risk are added up; order
// does not matter. It fails with ErrNoDefaults or ErrNoNonDefaults when a
// class is empty: the statistics are then undefined.
func Discriminate(counts []RiskCount) (Discrimination, error) {
	t := slices.Clone(counts)
	slices.SortStableFunc(t, func(a, b RiskCount) int {
		switch {
		case a.Risk < b.Risk:
			return -1
		case a.Risk > b.Risk:
			return 1
		}
		return 0
	})
	// Merge equal values.
	m := t[:0]
	for _, c := range t {
		if c.Bad < 0 || c.Good < 0 || math.IsNaN(c.Risk) {
			return Discrimination{}, fmt.Errorf("calibrate: negative count or NaN risk value")
		}
		if n := len(m); n > 0 && m[n-1].Risk == c.Risk {
			m[n-1].Bad += c.Bad
			m[n-1].Good += c.Good
			continue
		}
		m = append(m, c)
	}
	var d Discrimination
	for _, c := range m {
		d.Bad += c.Bad
		d.Good += c.Good
	}
	switch {
	case d.Bad == 0:
		return d, ErrNoDefaults
	case d.Good == 0:
		return d, ErrNoNonDefaults
	}
	n1, n0 := float64(d.Bad), float64(d.Good)
	// Pair credits: a bad at value v beats the goods below v and ties with
	// the goods at v.
	var goodsBelow, credit float64
	for _, c := range m {
		b, g := float64(c.Bad), float64(c.Good)
		credit += b * (goodsBelow + g/2)
		goodsBelow += g
	}
	d.AUC = credit / (n1 * n0)
	d.Gini = 2*d.AUC - 1
	d.AUCStdErr = delongSE(m, d.AUC, n1, n0)
	d.AUCLow = math.Max(0, d.AUC-z975*d.AUCStdErr)
	d.AUCHigh = math.Min(1, d.AUC+z975*d.AUCStdErr)
	// KS: cut-offs between values; records at or above the cut-off are
	// "flagged".
	var cb, cg float64
	for _, c := range m {
		// Share of each class strictly below c.Risk.
		if gap := math.Abs(cg/n0 - cb/n1); gap > d.KS {
			d.KS, d.KSAt = gap, c.Risk
		}
		cb += float64(c.Bad)
		cg += float64(c.Good)
	}
	return d, nil
}

// delongSE is the DeLong et al. (1988) standard error of the AUC from
// placement values: for a bad at v, the share of goods below v (ties
// half); for a good at v, the share of bads above v (ties half). With a
// single record in a class the sample variance is undefined, and the
// Hanley-McNeil (1982) formula is used instead.
func delongSE(m []RiskCount, auc, n1, n0 float64) float64 {
	if n1 < 2 || n0 < 2 {
		q1, q2 := auc/(2-auc), 2*auc*auc/(1+auc)
		v := (auc*(1-auc) + (n1-1)*(q1-auc*auc) + (n0-1)*(q2-auc*auc)) / (n1 * n0)
		return math.Sqrt(math.Max(0, v))
	}
	var goodsBelow, badsAbove float64
	for _, c := range m {
		badsAbove += float64(c.Bad)
	}
	var s10, s01 float64
	for _, c := range m {
		b, g := float64(c.Bad), float64(c.Good)
		badsAbove -= b
		v10 := (goodsBelow + g/2) / n0
		v01 := (badsAbove + b/2) / n1
		s10 += b * sq(v10-auc)
		s01 += g * sq(v01-auc)
		goodsBelow += g
	}
	s10 /= n1 - 1
	s01 /= n0 - 1
	return math.Sqrt(s10/n1 + s01/n0)
}

func sq(x float64) float64 { return float64(x * x) }

// AUC returns the discrimination statistics of risk values (higher means
// riskier) against outcomes; risk and defaulted have the same length.
func AUC(risk []float64, defaulted []bool) (Discrimination, error) {
	if len(risk) != len(defaulted) {
		return Discrimination{}, fmt.Errorf("calibrate: %d risk values for %d outcomes", len(risk), len(defaulted))
	}
	counts := make([]RiskCount, len(risk))
	for i, r := range risk {
		counts[i].Risk = r
		if defaulted[i] {
			counts[i].Bad = 1
		} else {
			counts[i].Good = 1
		}
	}
	return Discriminate(counts)
}

// PSI returns the population stability index Σ (a - e)·ln(a/e) of the
// shares of actual against expected counts per bucket. A sample with an
// empty bucket has 0.5 added to every one of its buckets first (additive
// smoothing), so that the index stays finite; a sample without any record
// is an error (ErrTooFewRecords).
func PSI(expected, actual []int64) (float64, error) {
	if len(expected) != len(actual) || len(expected) == 0 {
		return 0, fmt.Errorf("calibrate: PSI needs the same number of buckets in both samples, at least one")
	}
	e, err := shares(expected)
	if err != nil {
		return 0, err
	}
	a, err := shares(actual)
	if err != nil {
		return 0, err
	}
	var psi float64
	for i := range e {
		psi += (a[i] - e[i]) * math.Log(a[i]/e[i])
	}
	return psi, nil
}

// shares turns counts into shares, adding 0.5 to every count when one of
// them is zero.
func shares(counts []int64) ([]float64, error) {
	var total float64
	smooth := 0.0
	for _, c := range counts {
		if c < 0 {
			return nil, fmt.Errorf("calibrate: negative count")
		}
		if c == 0 {
			smooth = 0.5
		}
		total += float64(c)
	}
	if total == 0 {
		return nil, fmt.Errorf("%w: a sample without records has no distribution", ErrTooFewRecords)
	}
	total += smooth * float64(len(counts))
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = (float64(c) + smooth) / total
	}
	return out, nil
}

// JeffreysTest is the one-sided test of a PD against the defaults observed
// among n obligors (ECB instructions for reporting IRB validation, 2019):
// the posterior of the default rate under the Jeffreys prior Beta(½, ½) is
// Beta(d + ½, n - d + ½), and the p-value is its CDF at pd. A small p
// means the PD underestimates the observed default rate. n must be
// positive, 0 <= d <= n, and 0 <= pd <= 1.
func JeffreysTest(n, d int64, pd float64) (float64, error) {
	if err := checkCounts(n, d, pd); err != nil {
		return 0, err
	}
	switch pd {
	case 0:
		return 0, nil
	case 1:
		return 1, nil
	}
	return mathext.RegIncBeta(float64(d)+0.5, float64(n-d)+0.5, pd), nil
}

// JeffreysInterval returns the equal-tailed interval of the Jeffreys
// posterior Beta(d + ½, n - d + ½) of a default rate with the given
// confidence (such as 0.95): its (1-conf)/2 and (1+conf)/2 quantiles.
func JeffreysInterval(n, d int64, conf float64) (lo, hi float64, err error) {
	if err := checkCounts(n, d, 0); err != nil {
		return 0, 0, err
	}
	if !(conf > 0 && conf < 1) {
		return 0, 0, fmt.Errorf("calibrate: confidence %v not in (0, 1)", conf)
	}
	b := distuv.Beta{Alpha: float64(d) + 0.5, Beta: float64(n-d) + 0.5}
	return b.Quantile((1 - conf) / 2), b.Quantile((1 + conf) / 2), nil
}

// BinomialTest is P(X >= d) for X ~ Binomial(n, pd), the one-sided exact
// binomial test of a PD (independent defaults assumed).
func BinomialTest(n, d int64, pd float64) (float64, error) {
	if err := checkCounts(n, d, pd); err != nil {
		return 0, err
	}
	if d == 0 {
		return 1, nil
	}
	if pd == 0 {
		return 0, nil
	}
	if pd == 1 {
		return 1, nil
	}
	return mathext.RegIncBeta(float64(d), float64(n-d+1), pd), nil
}

func checkCounts(n, d int64, pd float64) error {
	if n <= 0 {
		return fmt.Errorf("%w: a test needs at least one obligor", ErrTooFewRecords)
	}
	if d < 0 || d > n {
		return fmt.Errorf("calibrate: %d defaults among %d obligors", d, n)
	}
	if !(pd >= 0 && pd <= 1) {
		return fmt.Errorf("calibrate: PD %v not in [0, 1]", pd)
	}
	return nil
}

// WoE returns the weight of evidence ln(g/b) of a bin with good
// non-defaulted and bad defaulted records out of totals goodTotal and
// badTotal, where g and b are the bin's shares of each class (the
// optbinning sign convention: a bin riskier than average has a negative
// WoE), and the bin's information value (g - b)·WoE. A bin without a
// record of one class has no finite WoE: the binning merges such bins
// away, and WoE reports an error for them.
func WoE(good, bad, goodTotal, badTotal int64) (woe, iv float64, err error) {
	if goodTotal <= 0 {
		return 0, 0, ErrNoNonDefaults
	}
	if badTotal <= 0 {
		return 0, 0, ErrNoDefaults
	}
	if good <= 0 || bad <= 0 || good > goodTotal || bad > badTotal {
		return 0, 0, fmt.Errorf("calibrate: WoE of a bin with %d non-defaults and %d defaults is not finite", good, bad)
	}
	g := float64(good) / float64(goodTotal)
	b := float64(bad) / float64(badTotal)
	woe = math.Log(g / b)
	return woe, (g - b) * woe, nil
}

// Brier returns the mean squared difference between PDs and outcomes.
func Brier(pd []float64, defaulted []bool) (float64, error) {
	if len(pd) != len(defaulted) {
		return 0, fmt.Errorf("calibrate: %d PDs for %d outcomes", len(pd), len(defaulted))
	}
	if len(pd) == 0 {
		return 0, fmt.Errorf("%w: the Brier score needs at least one record", ErrTooFewRecords)
	}
	var s float64
	for i, p := range pd {
		y := 0.0
		if defaulted[i] {
			y = 1
		}
		s += sq(p - y)
	}
	return s / float64(len(pd)), nil
}

// logit is ln(p/(1-p)).
func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// sigmoid is 1/(1+e^-x).
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// PriorShift returns the amount to add to a log-odds of default fitted on
// a sample with default rate sampleRate so that it holds for a population
// with default rate prior (King and Zeng 2001, prior correction):
// ln[(prior/(1-prior))·((1-sampleRate)/sampleRate)]. Both rates lie in
// (0, 1).
func PriorShift(prior, sampleRate float64) (float64, error) {
	if !(prior > 0 && prior < 1) {
		return 0, fmt.Errorf("calibrate: prior %v not in (0, 1)", prior)
	}
	if !(sampleRate > 0 && sampleRate < 1) {
		return 0, fmt.Errorf("calibrate: sample default rate %v not in (0, 1)", sampleRate)
	}
	return logit(prior) - logit(sampleRate), nil
}
