package report

import (
	"fmt"
	"image/color"
	"regexp"
	"strings"
	"testing"
)

// Every alpha and channel: the band colour premultiplies validly (no
// channel above the alpha) and a writer that divides by the alpha and
// truncates, as gonum's SVG writer does, gets the line's channel back
// (a full channel, 255, at most one step low: the writer's 255/a·a can
// fall short of 255 where nothing premultiplied may exceed a).
func TestTranslucentRoundTrips(t *testing.T) {
	for a := 1; a < 256; a++ {
		for v := 0; v < 256; v++ {
			c := translucent(color.RGBA{uint8(v), 0, 0xff, 0xff}, uint8(a))
			r, _, b, al := c.RGBA()
			if r > al || b > al {
				t.Fatalf("alpha %d, channel %d: premultiplied %d above alpha %d", a, v, r, al)
			}
			if got := int(float64(r) * (255.0 / float64(al))); got != v && !(v == 255 && got == 254) {
				t.Fatalf("alpha %d: channel %d written as %d", a, v, got)
			}
		}
	}
}

var (
	bandStyle  = regexp.MustCompile(`fill:(#[0-9A-F]{6});fill-opacity:([0-9.]+)`)
	lineStroke = regexp.MustCompile(`stroke:(#[0-9A-F]{6});stroke-width:1.5`)
)

// The shaded band of a curve is the curve's colour, translucent, and a
// rate's axis ends at 100% (no headroom: the legend lies outside the
// plotting area).
func TestLineChartBandsAndAxis(t *testing.T) {
	var series []lineSeries
	for i, c := range palette {
		series = append(series, lineSeries{name: fmt.Sprintf("s%d", i), steps: []int{0, 50, 100},
			vals: []pooled{{P: .9, Lo: .8, Hi: .95, N: 100}, {P: .5, Lo: .4, Hi: .6, N: 100}, {P: .2, Lo: .1, Hi: .3, N: 100}}, color: c})
	}
	s, err := lineChart("t", "steps", "rate", series)
	if err != nil {
		t.Fatal(err)
	}
	bands, lines := bandStyle.FindAllStringSubmatch(s, -1), lineStroke.FindAllStringSubmatch(s, -1)
	if len(bands) != len(palette) || len(lines) < len(palette) {
		t.Fatalf("%d bands and %d lines, want %d of each", len(bands), len(lines), len(palette))
	}
	for i, c := range palette {
		r, g, b, _ := c.RGBA()
		want := fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
		if bands[i][1] != want || lines[i][1] != want {
			t.Errorf("series %d: band %s, line %s, want both %s", i, bands[i][1], lines[i][1], want)
		}
		if bands[i][2] == "1" || bands[i][2] == "0" {
			t.Errorf("series %d: band opacity %s", i, bands[i][2])
		}
	}
	if !strings.Contains(s, ">100%<") || strings.Contains(s, ">125%<") || strings.Contains(s, "1.2<") {
		t.Error("rate axis does not end at 100%")
	}
	// The legend sits right of the plotting area: every legend text starts
	// beyond the x axis's last tick label, which is whole (the label,
	// about 15 points wide, starts at least 20 points from the right edge).
	last := textX(t, s, "100")
	var width float64
	if m := svgWidth.FindStringSubmatch(s); m == nil {
		t.Fatal("no width on the svg element")
	} else {
		fmt.Sscan(m[1], &width)
	}
	if last > width-20 {
		t.Errorf("last x tick at %.1f of %.1f pt: cut", last, width)
	}
	for _, sr := range series {
		if x := textX(t, s, sr.name); x <= last {
			t.Errorf("legend entry %s at x=%.1f, inside the plot (last tick at %.1f)", sr.name, x, last)
		}
	}
}

var svgWidth = regexp.MustCompile(`<svg width="([0-9.]+)pt"`)

var textPattern = regexp.MustCompile(`<text x="([0-9.e+-]+)"[^>]*>([^<]*)</text>`)

// textX returns the x of the text element reading label in an SVG.
func textX(t *testing.T, svg, label string) float64 {
	t.Helper()
	for _, m := range textPattern.FindAllStringSubmatch(svg, -1) {
		if m[2] == label {
			var x float64
			fmt.Sscan(m[1], &x)
			return x
		}
	}
	t.Fatalf("no text %q in the chart", label)
	return 0
}

// A rate not measured (N = 0) is left out of a panel, not drawn at 0%.
func TestDotChartSkipsNotMeasured(t *testing.T) {
	mk := func(n int) panel {
		return panel{title: "HHH SFT", labels: []string{"a", "b"}, vals: [][]pooled{{{P: .5, Lo: .4, Hi: .6, N: n}, {P: .7, Lo: .6, Hi: .8, N: n}}}}
	}
	one := []dotSeries{{name: "trigger", color: palette[0]}}
	measured, err := dotChart([]panel{mk(100)}, one)
	if err != nil {
		t.Fatal(err)
	}
	none, err := dotChart([]panel{mk(0)}, one)
	if err != nil {
		t.Fatal(err)
	}
	count := func(s string) int { return strings.Count(s, "stroke:#C0392B") }
	if count(measured) <= count(none)+2 {
		t.Errorf("measured panel draws %d red marks, unmeasured %d: want the unmeasured dots and whiskers left out", count(measured), count(none))
	}
}
