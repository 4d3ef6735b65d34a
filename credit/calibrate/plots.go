package calibrate

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot file names that WritePlots writes.
const (
	PlotROC          = "roc.svg"
	PlotDistribution = "score-distribution.svg"
	PlotGrades       = "grades.svg"
	PlotCalibration  = "calibration.svg"
)

var (
	colorBad  = color.RGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}
	colorGood = color.RGBA{R: 0x1f, G: 0x6f, B: 0xb4, A: 0xff}
	colorGrey = color.RGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
)

// WritePlots writes the report's pictures as SVG files into dir (created
// if needed): the ROC curve, the score distribution by outcome, the
// default rate of each grade against its PD band, and the calibration
// curve. It returns the paths written.
func (r *Report) WritePlots(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	makers := []struct {
		name string
		make func() (*plot.Plot, error)
	}{
		{PlotROC, r.rocPlot},
		{PlotDistribution, r.distributionPlot},
		{PlotGrades, r.gradesPlot},
		{PlotCalibration, r.calibrationPlot},
	}
	var paths []string
	for _, m := range makers {
		p, err := m.make()
		if err != nil {
			return paths, fmt.Errorf("calibrate: %s: %w", m.name, err)
		}
		path := filepath.Join(dir, m.name)
		if err := p.Save(16*vg.Centimeter, 11*vg.Centimeter, path); err != nil {
			return paths, fmt.Errorf("calibrate: %s: %w", m.name, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func (r *Report) title(what string) string {
	return fmt.Sprintf("%s, %s %s", what, r.RuleSet.ID, r.RuleSet.Version)
}

// rocPlot draws the ROC curve from the score histogram: lowest scores
// (the riskiest) flagged first.
func (r *Report) rocPlot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = r.title("ROC")
	p.X.Label.Text = "share of non-defaults flagged (false positive rate)"
	p.Y.Label.Text = "share of defaults flagged (true positive rate)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	bad, good := float64(r.Defaults), float64(r.Records-r.Defaults)
	pts := plotter.XYs{{X: 0, Y: 0}}
	var cb, cg float64
	for _, sc := range r.ScoreHistogram {
		cb += float64(sc.Defaults)
		cg += float64(sc.Records - sc.Defaults)
		pts = append(pts, plotter.XY{X: cg / good, Y: cb / bad})
	}
	line, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	line.Color = colorBad
	line.Width = vg.Points(1.5)
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return nil, err
	}
	diag.Color = colorGrey
	diag.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(diag, line)
	p.Legend.Add(fmt.Sprintf("AUC %.3f (%.3f-%.3f)", r.Discrimination.AUC, r.Discrimination.AUCLow, r.Discrimination.AUCHigh), line)
	// Leave room on the right: viewers substitute fonts wider than the
	// ones the layout was measured with.
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(40)
	p.Legend.YOffs = vg.Points(10)
	return p, nil
}

// distributionPlot draws the share of each outcome per 10-point score
// band.
func (r *Report) distributionPlot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = r.title("Scores by outcome")
	p.X.Label.Text = "score (10-point bands)"
	p.Y.Label.Text = "share of the outcome's records"
	const width = 10
	bands := map[int64][2]float64{}
	var lo, hi int64 = math.MaxInt64, math.MinInt64
	for _, sc := range r.ScoreHistogram {
		k := floorDiv(sc.Score, width)
		c := bands[k]
		c[0] += float64(sc.Records - sc.Defaults)
		c[1] += float64(sc.Defaults)
		bands[k] = c
		lo, hi = min(lo, k), max(hi, k)
	}
	good, bad := float64(r.Records-r.Defaults), float64(r.Defaults)
	var g, b plotter.XYs
	for k := lo; k <= hi; k++ {
		c := bands[k]
		x := float64(k*width) + width/2
		g = append(g, plotter.XY{X: x, Y: c[0] / good})
		b = append(b, plotter.XY{X: x, Y: c[1] / bad})
	}
	lg, err := plotter.NewLine(g)
	if err != nil {
		return nil, err
	}
	lg.Color, lg.Width = colorGood, vg.Points(1.5)
	lb, err := plotter.NewLine(b)
	if err != nil {
		return nil, err
	}
	lb.Color, lb.Width = colorBad, vg.Points(1.5)
	p.Add(lg, lb)
	p.Legend.Add("did not default", lg)
	p.Legend.Add("defaulted", lb)
	p.Legend.Top = true
	// Room for the legend right of the data.
	p.X.Min, p.X.Max = float64(lo*width)-width, float64((hi+1)*width)+6*width
	return p, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// gradesPlot draws, per grade on a log scale, the PD band (grey bar), the
// mean PD tested (cross) and the observed default rate with its Jeffreys
// interval (red).
func (r *Report) gradesPlot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = r.title("Default rate per grade")
	p.Y.Label.Text = "default rate / PD (log scale)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	const floor = 1e-5
	clampLog := func(v float64) float64 { return math.Max(floor, math.Min(1, v)) }
	var names []string
	var band, obs, mean plotter.XYs
	var bandErr, obsErr plotter.YErrors
	for i, g := range r.Grades {
		names = append(names, g.Grade)
		x := float64(i)
		// With a prior, the tests compare PDs moved to the sample's odds:
		// so are the bands drawn.
		lo, hi := clampLog(shiftPD(g.PDLower, r.PDShift)), clampLog(shiftPD(g.PDUpper, r.PDShift))
		mid := math.Sqrt(lo * hi)
		band = append(band, plotter.XY{X: x, Y: mid})
		bandErr = append(bandErr, struct{ Low, High float64 }{mid - lo, hi - mid})
		if g.Tested {
			o := clampLog(g.DefaultRate)
			jl, jh := clampLog(g.JeffreysLow), clampLog(g.JeffreysHigh)
			obs = append(obs, plotter.XY{X: x + 0.15, Y: o})
			obsErr = append(obsErr, struct{ Low, High float64 }{math.Max(0, o-jl), math.Max(0, jh-o)})
			mean = append(mean, plotter.XY{X: x - 0.15, Y: clampLog(g.MeanPD)})
		}
	}
	bars := &struct {
		plotter.XYs
		plotter.YErrors
	}{band, bandErr}
	be, err := plotter.NewYErrorBars(bars)
	if err != nil {
		return nil, err
	}
	be.LineStyle.Color, be.LineStyle.Width = colorGrey, vg.Points(6)
	be.CapWidth = 0
	p.Add(be)
	// A line in the bars' style stands for them in the legend.
	key := plotter.NewFunction(func(float64) float64 { return math.NaN() })
	key.LineStyle = be.LineStyle
	bandLabel := "PD band of the grade"
	if r.PDShift != 0 {
		bandLabel = "PD band, moved to the sample's odds"
	}
	p.Legend.Add(bandLabel, key)
	if len(obs) > 0 {
		pts := &struct {
			plotter.XYs
			plotter.YErrors
		}{obs, obsErr}
		oe, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return nil, err
		}
		oe.LineStyle.Color = colorBad
		sc, err := plotter.NewScatter(obs)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape = colorBad, draw.CircleGlyph{}
		ms, err := plotter.NewScatter(mean)
		if err != nil {
			return nil, err
		}
		ms.GlyphStyle.Color, ms.GlyphStyle.Shape = colorGood, draw.CrossGlyph{}
		p.Add(oe, sc, ms)
		p.Legend.Add(fmt.Sprintf("default rate, Jeffreys %s interval", pct(r.Confidence)), sc)
		p.Legend.Add("mean PD tested", ms)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Y.Min, p.Y.Max = floor, 1
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(10)
	p.Legend.YOffs = -vg.Points(20)
	return p, nil
}

// calibrationPlot draws observed default rate against mean PD per score
// decile, with the diagonal of perfect calibration.
func (r *Report) calibrationPlot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = r.title("Calibration by score decile")
	p.X.Label.Text = "mean PD"
	p.Y.Label.Text = "observed default rate"
	var pts plotter.XYs
	top := 0.0
	for _, c := range r.Calibration {
		pts = append(pts, plotter.XY{X: c.MeanPD, Y: c.DefaultRate})
		top = math.Max(top, math.Max(c.MeanPD, c.DefaultRate))
	}
	top = math.Min(1, math.Max(0.01, top*1.1))
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: top, Y: top}})
	if err != nil {
		return nil, err
	}
	diag.Color = colorGrey
	diag.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	lp, sc, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, err
	}
	lp.Color, sc.Color = colorBad, colorBad
	p.Add(diag, lp, sc)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, top, 0, top
	return p, nil
}
