// Package calibrate fits credit rule sets to labelled enterprise records
// and back-tests rule sets against observed defaults, so that a grade's PD
// is an estimate the data support rather than an assumption.
//
// # Data
//
// A Dataset holds validated records with outcome.defaulted, read by
// Dataset.Read from one record, a JSON array or NDJSON, gzipped or not.
// Its Digest names the records a rule set was fitted on. Records without
// an outcome, invalid records, samples without defaults or without
// non-defaults and single records are errors (RecordError,
// ErrNoOutcome, ErrInvalidRecord, ErrNoDefaults, ErrNoNonDefaults,
// ErrTooFewRecords), never a division by zero or NaN.
//
// # Fitting
//
// Fit re-estimates the characteristics of a parent rule set: per
// indicator, BinIndicator cuts quantile pre-bins (or takes the parent's
// own bins) and merges them into the bins of the largest information
// value that follow the declared trend of the default rate (falling for
// characteristics whose points rise, rising for falling ones, the best
// monotone or unimodal shape for those without a direction) and hold a
// minimum share of the records and of each outcome: optbinning's optimal
// binning, solved exactly by dynamic programming. Missing values get a
// bin of their own whose weight of evidence comes from the data. WoE is
// ln(share of non-defaults / share of defaults) (optbinning's sign: a
// riskier bin has a negative WoE). Characteristics below an
// information-value floor or whose WoE correlates with a stronger one are
// dropped; FitLogit regresses the default on the remaining WoE (Newton /
// IRLS, optional L2); a coefficient that would flip a bin trend drops its
// characteristic. Points are -coefficient·WoE·pdo/ln 2 in the parent's
// scaling; the score-to-PD mapping is then fitted on the rule set's own
// scores, of the training records or of FitOptions.CalibrationData (the
// most recent period, when the relation drifts), and its intercept
// corrected from those records' default rate to the population's
// (FitOptions.Prior; PriorShift, King and Zeng 2001). FitOptions.KeepPDO
// scales the fitted points so that the parent's pdo holds, leaving the
// meaning of the points the data cannot assess unchanged. The result is a
// rule-set JSON that extends the parent, loads with credit.LoadRuleSet and
// cites in its sources the data digest, size, default count, prior,
// method and fit statistics.
//
// CrossValidate estimates a method's out-of-sample AUC by k-fold
// cross-validation (folds by a hash of record_id, repeats with their own
// folds), so that options and candidate characteristics are chosen on
// training data alone. MODEL.md at the repository root shows the study
// that chose SCO-BASE's.
//
// Fitting computes in float64. Fitted numbers are rounded before they
// enter the rule set (WoE and coefficients to 6 places, then points in
// decimal to whole points, pdo to 2 places, base odds to 6 significant
// digits), and every loop runs in a fixed order, so the same data and
// options give the same bytes. Scoring stays decimal: package credit does
// not import this one.
//
// # Back-testing and monitoring
//
// A Backtester accumulates profiles with their outcomes (Add, or
// AddStream for files of any size in bounded memory) and writes a Report:
// discrimination (Discriminate: AUC with its DeLong interval, Gini, KS),
// calibration per grade (JeffreysTest as in the ECB's instructions for
// reporting IRB validation, at 99% by default; BinomialTest is available),
// Brier score and a calibration curve, missing shares per characteristic,
// and against a baseline report (ReadReport) the PSI of the score and CSI
// per characteristic. Samples that over-represent defaults are tested
// with BacktestOptions.Prior, the population rate they were drawn from.
// Reports are written as JSON with stable keys (WriteJSON), as text
// (WriteText) and as SVG pictures (WritePlots).
package calibrate
