package calibrate_test

import (
	"fmt"
	"os"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/calibrate"
)

// Fit SCO-BASE's characteristics to labelled records and read the fit.
func ExampleFit() {
	f, err := os.Open("../../testdata/train/pl2.ndjson.gz")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	var data calibrate.Dataset
	if err := data.Read(f, "pl2", calibrate.ReadOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	res, err := calibrate.Fit(credit.DefaultRuleSet(), &data, calibrate.FitOptions{
		ID: "PL-2", Version: "1.0.0", Prior: 0.0393, // the population rate of the source file
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.RuleSet.ID, "extends", res.RuleSet.Extends, "fitted on", res.Records, "records,", res.Defaults, "defaults")
	for _, c := range res.Characteristics {
		if c.Status == calibrate.StatusKept {
			fmt.Printf("%s IV %.2f\n", c.ID, c.Binning.IV)
		}
	}
	fmt.Printf("training AUC %.2f\n", res.Train.AUC)
	// Output:
	// PL-2 extends SCO-BASE fitted on 1417 records, 400 defaults
	// fin_interest_coverage IV 0.47
	// fin_ocf_to_current_liabilities IV 0.41
	// fin_ems IV 0.35
	// fin_retained_earnings IV 0.20
	// fin_revenue_growth_real IV 0.10
	// training AUC 0.75
}

// Compare two fitting options by cross-validation on the training data
// alone: the minimum bin share of optbinning's defaults against larger
// bins.
func ExampleCrossValidate() {
	f, err := os.Open("../../testdata/train/pl2.ndjson.gz")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	var data calibrate.Dataset
	if err := data.Read(f, "pl2", calibrate.ReadOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	for _, share := range []float64{0.05, 0.08} {
		cv, err := calibrate.CrossValidate(credit.DefaultRuleSet(), &data, calibrate.FitOptions{
			Binning: calibrate.BinningOptions{MinBinShare: share},
		}, calibrate.CVOptions{Folds: 5})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("min bin share %.2f: out-of-fold AUC %.3f\n", share, cv.AUC)
	}
	// Output:
	// min bin share 0.05: out-of-fold AUC 0.729
	// min bin share 0.08: out-of-fold AUC 0.731
}

// The Jeffreys test of a grade: 12 defaults among 500 obligors are too
// many for a PD of 1% at 99% confidence.
func ExampleJeffreysTest() {
	p, err := calibrate.JeffreysTest(500, 12, 0.01)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("p = %.4f, fails at 99%%: %v\n", p, p < 0.01)
	// Output: p = 0.0032, fails at 99%: true
}
