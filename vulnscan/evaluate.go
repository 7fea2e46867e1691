package vulnscan

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Labelled evaluation: a folder of Python files, each starting with a
// header comment "# label: vulnerable CWE-89" or "# label: secure",
// optionally followed by "# round: N" (the writing round; see
// testdata/README.md: later rounds were written after the scanner, so
// they measure it on code it was not tuned on). A
// vulnerable file counts as detected when the scanner reports its CWE
// family (SameFamily); a secure file is a false alarm when the scanner
// reports anything at all.

// Report summarises a labelled evaluation.
type Report struct {
	Files               int
	TP, FN, FP, TN      int
	Precision, Recall   float64
	PerCWE              []CWEStats
	PerRound            []RoundStats
	Missed, FalseAlarms []string // file names with what was (not) found
	// ScanTime is the time spent in the scanner (reading and parsing
	// the files excluded): Files/ScanTime is its speed in snippets/s.
	ScanTime time.Duration
}

// RoundStats are the results on the files of one writing round.
type RoundStats struct {
	Round             int
	TP, FN, FP, TN    int
	Precision, Recall float64
}

// CWEStats are the results for one labelled CWE (CWE-327 and CWE-328 are
// one row, "CWE-327/328"). Detected counts its
// vulnerable files found with that family; FalseAlarms counts secure files
// with a finding of that family.
type CWEStats struct {
	CWE                  string
	Vulnerable, Detected int
	FalseAlarms          int
	Precision, Recall    float64
}

// Scanner is a scanning function to evaluate; Scan and Bandit both fit
// (ScanFunc adapts Scan).
type Scanner func(code string) ([]Finding, error)

// ScanFunc is Scan as a Scanner.
func ScanFunc(code string) ([]Finding, error) { return Scan(code), nil }

// EvaluateLabelled measures Scan on the labelled files in dir.
func EvaluateLabelled(dir string) (Report, error) { return EvaluateLabelledWith(dir, ScanFunc) }

// EvaluateLabelledWith measures any scanner on the labelled files in dir.
func EvaluateLabelledWith(dir string, scan Scanner) (Report, error) {
	return EvaluateLabelledRound(dir, -1, scan)
}

// EvaluateLabelledRound measures a scanner on the files of one writing
// round in dir (all rounds when round < 0), e.g. a held-out round.
func EvaluateLabelledRound(dir string, round int, scan Scanner) (Report, error) {
	want := round
	paths, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil {
		return Report{}, err
	}
	sort.Strings(paths)
	var r Report
	per := map[string]*CWEStats{}
	rounds := map[int]*RoundStats{}
	stat := func(cwe string) *CWEStats {
		if isCryptoCWE(cwe) {
			cwe = "CWE-327/328" // one family (SameFamily)
		}
		if per[cwe] == nil {
			per[cwe] = &CWEStats{CWE: cwe}
		}
		return per[cwe]
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return Report{}, err
		}
		vulnerable, cwe, round, err := parseLabel(string(src))
		if err != nil {
			return Report{}, fmt.Errorf("%s: %w", p, err)
		}
		if want >= 0 && round != want {
			continue
		}
		start := time.Now()
		found, err := scan(string(src))
		r.ScanTime += time.Since(start)
		if err != nil {
			return Report{}, fmt.Errorf("%s: %w", p, err)
		}
		r.Files++
		name := filepath.Base(p)
		if rounds[round] == nil {
			rounds[round] = &RoundStats{Round: round}
		}
		rs := rounds[round]
		if vulnerable {
			st := stat(cwe)
			st.Vulnerable++
			if hasFamily(found, cwe) {
				r.TP++
				rs.TP++
				st.Detected++
			} else {
				r.FN++
				rs.FN++
				r.Missed = append(r.Missed, fmt.Sprintf("%s (%s; found %s)", name, cwe, cweList(found)))
			}
			continue
		}
		if len(found) == 0 {
			r.TN++
			rs.TN++
			continue
		}
		r.FP++
		rs.FP++
		r.FalseAlarms = append(r.FalseAlarms, fmt.Sprintf("%s (found %s)", name, cweList(found)))
		counted := map[*CWEStats]bool{}
		for _, f := range found {
			if st := stat(f.CWE); !counted[st] {
				st.FalseAlarms++
				counted[st] = true
			}
		}
	}
	r.Precision, r.Recall = ratio(r.TP, r.TP+r.FP), ratio(r.TP, r.TP+r.FN)
	for _, st := range per {
		st.Precision, st.Recall = ratio(st.Detected, st.Detected+st.FalseAlarms), ratio(st.Detected, st.Vulnerable)
		r.PerCWE = append(r.PerCWE, *st)
	}
	sort.Slice(r.PerCWE, func(i, j int) bool { return cweLess(r.PerCWE[i].CWE, r.PerCWE[j].CWE) })
	for _, rs := range rounds {
		rs.Precision, rs.Recall = ratio(rs.TP, rs.TP+rs.FP), ratio(rs.TP, rs.TP+rs.FN)
		r.PerRound = append(r.PerRound, *rs)
	}
	sort.Slice(r.PerRound, func(i, j int) bool { return r.PerRound[i].Round < r.PerRound[j].Round })
	return r, nil
}

// parseLabel reads the "# label:" and "# round:" headers from the first
// lines of a file (round 0 when absent).
func parseLabel(src string) (vulnerable bool, cwe string, round int, err error) {
	sc := bufio.NewScanner(strings.NewReader(src))
	labelled := false
	for i := 0; i < 5 && sc.Scan(); i++ {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "# round:"); ok {
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d", &round); err != nil {
				return false, "", 0, fmt.Errorf("bad round %q", line)
			}
			continue
		}
		rest, ok := strings.CutPrefix(line, "# label:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		switch {
		case len(fields) == 1 && fields[0] == "secure":
			vulnerable, labelled = false, true
		case len(fields) == 2 && fields[0] == "vulnerable" && strings.HasPrefix(fields[1], "CWE-"):
			vulnerable, cwe, labelled = true, fields[1], true
		default:
			return false, "", 0, fmt.Errorf("bad label %q", line)
		}
	}
	if !labelled {
		return false, "", 0, fmt.Errorf("no \"# label:\" header in the first lines")
	}
	return vulnerable, cwe, round, nil
}

func hasFamily(fs []Finding, cwe string) bool {
	for _, f := range fs {
		if SameFamily(f.CWE, cwe) {
			return true
		}
	}
	return false
}

func cweList(fs []Finding) string {
	if len(fs) == 0 {
		return "nothing"
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.CWE] {
			seen[f.CWE] = true
			out = append(out, fmt.Sprintf("%s@%d", f.CWE, f.Line))
		}
	}
	return strings.Join(out, ",")
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// cweLess orders CWE ids numerically.
func cweLess(a, b string) bool {
	var x, y int
	fmt.Sscanf(a, "CWE-%d", &x)
	fmt.Sscanf(b, "CWE-%d", &y)
	if x != y {
		return x < y
	}
	return a < b
}

// String prints the report as a table.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d files: %d vulnerable (%d detected, %d missed), %d secure (%d clean, %d false alarms)\n",
		r.Files, r.TP+r.FN, r.TP, r.FN, r.FP+r.TN, r.TN, r.FP)
	fmt.Fprintf(&b, "overall  precision %.3f  recall %.3f\n", r.Precision, r.Recall)
	if r.ScanTime > 0 {
		fmt.Fprintf(&b, "scan time %v: %.0f snippets/s\n", r.ScanTime.Round(time.Microsecond), float64(r.Files)/r.ScanTime.Seconds())
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "%-11s %10s %9s %12s %9s %7s\n", "CWE", "vulnerable", "detected", "false alarms", "precision", "recall")
	for _, st := range r.PerCWE {
		fmt.Fprintf(&b, "%-11s %10d %9d %12d %9.3f %7.3f\n", st.CWE, st.Vulnerable, st.Detected, st.FalseAlarms, st.Precision, st.Recall)
	}
	if len(r.PerRound) > 1 {
		fmt.Fprintf(&b, "\n%-11s %5s %5s %5s %5s %9s %7s\n", "round", "TP", "FN", "FP", "TN", "precision", "recall")
		for _, rs := range r.PerRound {
			fmt.Fprintf(&b, "%-11d %5d %5d %5d %5d %9.3f %7.3f\n", rs.Round, rs.TP, rs.FN, rs.FP, rs.TN, rs.Precision, rs.Recall)
		}
	}
	for _, m := range r.Missed {
		fmt.Fprintf(&b, "missed: %s\n", m)
	}
	for _, f := range r.FalseAlarms {
		fmt.Fprintf(&b, "false alarm: %s\n", f)
	}
	return b.String()
}

// CompareReports prints per-family precision and recall of two
// evaluations of the same files side by side (the scanner and bandit).
// A family one of them never reports and the other has no vulnerable file
// of is printed with "-".
func CompareReports(nameA string, a Report, nameB string, b Report) string {
	var out strings.Builder
	fmt.Fprintf(&out, "%-11s %5s  %-17s  %-17s\n", "", "", nameA, nameB)
	fmt.Fprintf(&out, "%-11s %5s  %8s %8s  %8s %8s\n", "CWE", "vuln", "prec", "recall", "prec", "recall")
	cwes := map[string]bool{}
	for _, st := range a.PerCWE {
		cwes[st.CWE] = true
	}
	for _, st := range b.PerCWE {
		if st.Vulnerable > 0 {
			cwes[st.CWE] = true
		}
	}
	var keys []string
	for c := range cwes {
		keys = append(keys, c)
	}
	sort.Slice(keys, func(i, j int) bool { return cweLess(keys[i], keys[j]) })
	find := func(r Report, c string) (CWEStats, bool) {
		for _, st := range r.PerCWE {
			if st.CWE == c {
				return st, true
			}
		}
		return CWEStats{CWE: c}, false
	}
	cell := func(st CWEStats, ok bool) string {
		if !ok {
			if st.Vulnerable == 0 {
				return fmt.Sprintf("%8s %8s", "-", "-")
			}
		}
		rec := "-"
		if st.Vulnerable > 0 {
			rec = fmt.Sprintf("%.3f", st.Recall)
		}
		prec := "-"
		if st.Detected+st.FalseAlarms > 0 {
			prec = fmt.Sprintf("%.3f", st.Precision)
		}
		return fmt.Sprintf("%8s %8s", prec, rec)
	}
	for _, c := range keys {
		sa, oka := find(a, c)
		sb, okb := find(b, c)
		if !okb {
			sb.Vulnerable = sa.Vulnerable // bandit never reported it: recall 0
			okb = sb.Vulnerable > 0
		}
		vul := sa.Vulnerable
		fmt.Fprintf(&out, "%-11s %5d  %s  %s\n", c, vul, cell(sa, oka), cell(sb, okb))
	}
	fmt.Fprintf(&out, "%-11s %5d  %8.3f %8.3f  %8.3f %8.3f\n", "overall", a.TP+a.FN, a.Precision, a.Recall, b.Precision, b.Recall)
	return out.String()
}
