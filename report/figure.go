package report

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// The figure style of the report, for sections drawn by other packages
// (probe): rates on a 0–100% axis, a legend beside the panels, outside
// every plotting area.

// NewRatePlot returns a plot whose y axis is a rate from 0 to 100%.
func NewRatePlot(title, xlabel, ylabel string) *plot.Plot { return newPlot(title, xlabel, ylabel) }

// LegendEntry is one line of a figure's legend.
type LegendEntry struct {
	Name   string
	Thumbs []plot.Thumbnailer
}

// Figure renders panels (row-major, cols to a row), each w × h, with the
// legend to their right, as an inline <svg> element that scales down with
// the page.
func Figure(panels []*plot.Plot, cols int, legend []LegendEntry, w, h vg.Length) (string, error) {
	items := make([]legendItem, len(legend))
	for i, e := range legend {
		items[i] = legendItem{e.Name, e.Thumbs}
	}
	return render(panels, cols, items, w, h)
}
