package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

var palette = []color.Color{
	color.RGBA{0xc0, 0x39, 0x2b, 0xff}, // triggered: red
	color.RGBA{0xe6, 0x9a, 0x8f, 0xff},
	color.RGBA{0x29, 0x80, 0xb9, 0xff}, // untriggered: blue
	color.RGBA{0x8f, 0xc1, 0xe3, 0xff},
	color.RGBA{0x27, 0xae, 0x60, 0xff},
	color.RGBA{0x8e, 0x44, 0xad, 0xff},
	color.RGBA{0xd3, 0x54, 0x00, 0xff},
	color.RGBA{0x2c, 0x3e, 0x50, 0xff},
}

// Figure sizes. The page is at most 1200 px wide; a figure is drawn no wider
// than maxFigureWidth (1104 px at 96 px per inch) and the page's CSS scales it
// down on narrower screens (the SVG keeps its viewBox).
const (
	maxFigureWidth = 11.5 * vg.Inch
	fontSize       = 10
)

// translucent returns c at alpha a, for the band under a curve: the
// curve's own colour, lighter. (A color.RGBA{r, g, b, a} built from
// full-strength channels and a small alpha is not a premultiplied colour:
// SVG writers divide by the alpha and get channels above 255.)
func translucent(c color.Color, a uint8) color.Color {
	return tint(translucentNRGBA(c, a))
}

func translucentNRGBA(c color.Color, a uint8) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// tint is a non-premultiplied colour whose RGBA premultiplies rounding
// up, so that a writer that divides by the alpha and truncates (as
// gonum's SVG and PDF writers do) gets back the exact 8-bit channels: the
// band's fill is written with its line's colour code. color.NRGBA rounds
// down, and its bands came out one step off (#BF382A under #C0392B).
type tint color.NRGBA

func (t tint) RGBA() (r, g, b, a uint32) {
	a = uint32(t.A) * 0x101
	up := func(v uint8) uint32 {
		p := (uint32(v)*a + 254) / 255
		// The writers multiply by 255/a in floating point, which can land
		// just below an integer; one more step (still at most a) fixes it.
		if p < a && int(float64(p)*(255.0/float64(a))) < int(v) {
			p++
		}
		return p
	}
	return up(t.R), up(t.G), up(t.B), a
}

// percentTicks labels a 0–1 rate axis in percent, every 25 points, with
// minor ticks every 5.
type percentTicks struct{}

func (percentTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for i := 0; i <= 20; i++ {
		v := float64(i) / 20
		if v < min-1e-9 || v > max+1e-9 {
			continue
		}
		t := plot.Tick{Value: v}
		if i%5 == 0 {
			t.Label = fmt.Sprintf("%.0f%%", 100*v)
		}
		ts = append(ts, t)
	}
	return ts
}

// newPlot is a plot in the report's style: a rate on a 0–100% axis, no
// legend of its own (figures draw one beside the panels, outside the data).
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = fontSize + 1
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = fontSize
		a.Tick.Label.Font.Size = fontSize - 1
	}
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = percentTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Color = color.Gray{0xe4}
	p.Add(grid)
	return p
}

// legendItem is one entry of a figure's legend.
type legendItem struct {
	name  string
	thumb []plot.Thumbnailer
}

// newLegend lays items out top to bottom, swatch then text, with room
// between entries so neighbouring swatches do not touch.
func newLegend(items []legendItem) plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font.Size = fontSize
	l.Top, l.Left = true, true
	l.Padding = vg.Points(5)
	l.ThumbnailWidth = vg.Points(22)
	l.YPosition = draw.PosCenter
	for _, it := range items {
		l.Add(it.name, it.thumb...)
	}
	return l
}

// render draws panels (row-major, cols per row), each pw × ph, with one
// legend to their right, outside every plotting area, as an inline <svg>
// element.
func render(panels []*plot.Plot, cols int, items []legendItem, pw, ph vg.Length) (string, error) {
	cols = max(1, min(cols, len(panels)))
	rows := (len(panels) + cols - 1) / cols
	leg := newLegend(items)
	var lw vg.Length
	if len(items) > 0 {
		r := leg.Rectangle(draw.New(vgsvg.New(pw, ph)))
		// Slack for the browser's font, which may run wider than the
		// metrics the layout was computed with.
		lw = 1.25*(r.Max.X-r.Min.X) + vg.Points(12)
	}
	w := min(maxFigureWidth, pw*vg.Length(cols)+lw+vg.Points(18))
	h := ph * vg.Length(rows)
	cv := vgsvg.New(w, h)
	dc := draw.New(cv)
	white := dc
	white.SetColor(color.White)
	white.Fill(dc.Rectangle.Path())
	// A right margin beyond the last panel keeps the last x tick label
	// (centred on the axis's end) inside the picture.
	area := draw.Crop(dc, vg.Points(4), -(lw + vg.Points(14)), vg.Points(4), -vg.Points(4))
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(24), PadY: vg.Points(12)}
	for i, p := range panels {
		p.Draw(tiles.At(area, i%cols, i/cols))
	}
	if len(items) > 0 {
		lc := draw.Crop(dc, w-lw, 0, 0, -vg.Points(26))
		leg.Draw(lc)
	}
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return "", err
	}
	s := buf.String()
	if i := bytes.Index(buf.Bytes(), []byte("<svg")); i >= 0 {
		s = s[i:]
	}
	return s, nil
}

// errBars are values with asymmetric intervals at x positions.
type errBars struct {
	xs, ys, lo, hi []float64
}

func (e errBars) Len() int                        { return len(e.xs) }
func (e errBars) XY(i int) (float64, float64)     { return e.xs[i], e.ys[i] }
func (e errBars) YError(i int) (float64, float64) { return e.ys[i] - e.lo[i], e.hi[i] - e.ys[i] }

// dotSeries is one measurement per setting of a panel (e.g. triggered,
// after safety training).
type dotSeries struct {
	name   string
	color  color.Color
	hollow bool // before safety training: an open marker
	shape  draw.GlyphDrawer
}

// panel is one safety method's chart: per setting, each series' rate.
type panel struct {
	title  string
	labels []string   // settings
	vals   [][]pooled // [series][setting]
}

// dotChart draws the paper's panels of backdoor rates: one panel per
// safety method, in each a cluster per setting of dots with 95% interval
// whiskers, one per series (with and without the trigger, before and after
// safety training). A rate not measured (N = 0) is left out, not drawn at 0.
func dotChart(panels []panel, series []dotSeries) (string, error) {
	var ps []*plot.Plot
	var items []legendItem
	maxLabels := 1
	for _, pn := range panels {
		maxLabels = max(maxLabels, len(pn.labels))
	}
	for pi, pn := range panels {
		p := newPlot(pn.title, "", "")
		if pi == 0 {
			p.Y.Label.Text = "backdoor behaviour rate"
		}
		step := 0.8 / float64(max(1, len(series)))
		for si, s := range series {
			var pts plotter.XYs
			eb := errBars{}
			for j, v := range pn.vals[si] {
				if v.N == 0 {
					continue
				}
				x := float64(j) + (float64(si)-float64(len(series)-1)/2)*step
				pts = append(pts, plotter.XY{X: x, Y: v.P})
				eb.xs, eb.ys = append(eb.xs, x), append(eb.ys, v.P)
				eb.lo, eb.hi = append(eb.lo, v.Lo), append(eb.hi, v.Hi)
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return "", err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: s.color, Radius: vg.Points(3.5), Shape: s.shape}
			if eb.Len() > 0 {
				wh, err := plotter.NewYErrorBars(eb)
				if err != nil {
					return "", err
				}
				wh.LineStyle.Color, wh.LineStyle.Width, wh.CapWidth = s.color, vg.Points(1), vg.Points(5)
				p.Add(wh)
			}
			p.Add(sc)
			if pi == 0 {
				items = append(items, legendItem{s.name, []plot.Thumbnailer{sc}})
			}
		}
		p.NominalX(pn.labels...)
		p.X.Min, p.X.Max = -0.5, float64(len(pn.labels))-0.5
		if len(pn.labels) > 3 {
			p.X.Tick.Label.Rotation = 0.4
			p.X.Tick.Label.XAlign = draw.XRight
		}
		ps = append(ps, p)
	}
	// Panels side by side while each keeps about an inch per setting.
	// Panels side by side, two or more to a row (the paper's grid of
	// methods), each about 0.7 inch per setting; the legend takes the rest.
	avail := maxFigureWidth - 2.5*vg.Inch
	pw := vg.Length(max(3.2, 0.7*float64(maxLabels)+0.9)) * vg.Inch
	cols := max(1, min(len(ps), int(avail/pw)))
	if cols == 1 && len(ps) > 1 {
		cols = 2
	}
	return render(ps, cols, items, min(pw, avail/vg.Length(cols)), 3.4*vg.Inch)
}

// lineSeries is one curve over safety steps.
type lineSeries struct {
	name   string
	steps  []int
	vals   []pooled
	dashed bool
	color  color.Color
}

// lineChart draws curves with shaded 95% bands in the curve's colour. Steps
// where a rate was not measured (N = 0) are left out.
func lineChart(title, xlabel, ylabel string, series []lineSeries) (string, error) {
	p := newPlot(title, xlabel, ylabel)
	var items []legendItem
	xmax := 0.0
	// Many bands overlap: each lighter, so the curves stay readable.
	alpha := uint8(0x38)
	if len(series) > 4 {
		alpha = 0x1c
	}
	for _, s := range series {
		var pts, hi, lo plotter.XYs
		for i, st := range s.steps {
			v := s.vals[i]
			if v.N == 0 {
				continue
			}
			x := float64(st)
			xmax = math.Max(xmax, x)
			pts = append(pts, plotter.XY{X: x, Y: v.P})
			hi = append(hi, plotter.XY{X: x, Y: v.Hi})
			lo = append(lo, plotter.XY{X: x, Y: v.Lo})
		}
		if len(pts) == 0 {
			continue
		}
		band := append(hi, reversed(lo)...)
		if poly, err := plotter.NewPolygon(band); err == nil && len(pts) > 1 {
			poly.Color = translucent(s.color, alpha)
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return "", err
		}
		l.Color, sc.Color = s.color, s.color
		l.Width = vg.Points(1.5)
		if s.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l, sc)
		items = append(items, legendItem{s.name, []plot.Thumbnailer{l, sc}})
	}
	p.X.Min, p.X.Max = 0, math.Max(1, xmax)
	return render([]*plot.Plot{p}, 1, items, 7*vg.Inch, 4*vg.Inch)
}

func reversed(xy plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xy))
	for i, v := range xy {
		out[len(xy)-1-i] = v
	}
	return out
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
