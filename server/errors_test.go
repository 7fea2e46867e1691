package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	oa "github.com/openai/openai-go"
)

// Every bad request gets OpenAI's error JSON, with all four fields
// present, and the fitting status.
func TestErrors(t *testing.T) {
	f := start(t, Config{MaxBodyBytes: 4096, MaxTokens: 100, MaxN: 4, MaxPromptTokens: 60})
	chat := func(extra string) string {
		return `{"model":"tiny","messages":[{"role":"user","content":"hi"}]` + extra + `}`
	}
	long := strings.Repeat("word ", 200) // well past 60 tokens, under 4 KiB
	cases := []struct {
		name, method, path, body string
		status                   int
		typ, code, param         string
	}{
		{"bad JSON", "POST", "/v1/chat/completions", `{"model":"tiny","messages":[`, 400, typeInvalid, "invalid_json", ""},
		{"not an object", "POST", "/v1/chat/completions", `[1,2]`, 400, typeInvalid, "invalid_type", ""},
		{"wrong type", "POST", "/v1/chat/completions", chat(`,"temperature":"hot"`), 400, typeInvalid, "invalid_type", "temperature"},
		{"bad content", "POST", "/v1/chat/completions", `{"model":"tiny","messages":[{"role":"user","content":[{"type":"image_url"}]}]}`, 400, typeInvalid, "unsupported", "messages"},
		{"body too large", "POST", "/v1/chat/completions", chat(`,"stop":"` + strings.Repeat("x", 5000) + `"`), 413, typeInvalid, "request_too_large", ""},
		{"unknown model", "POST", "/v1/chat/completions", `{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}`, 404, typeInvalid, "model_not_found", "model"},
		{"unknown model (text)", "POST", "/v1/completions", `{"model":"gpt-9","prompt":"hi"}`, 404, typeInvalid, "model_not_found", "model"},
		{"unknown model (get)", "GET", "/v1/models/gpt-9", ``, 404, typeInvalid, "model_not_found", "model"},
		{"no model", "POST", "/v1/chat/completions", `{"messages":[{"role":"user","content":"hi"}]}`, 400, typeInvalid, "", "model"},
		{"no messages", "POST", "/v1/chat/completions", `{"model":"tiny","messages":[]}`, 400, typeInvalid, "", "messages"},
		{"bad role", "POST", "/v1/chat/completions", `{"model":"tiny","messages":[{"role":"tool","content":"x"}]}`, 400, typeInvalid, "", "messages[0].role"},
		{"only system", "POST", "/v1/chat/completions", `{"model":"tiny","messages":[{"role":"system","content":"x"}]}`, 400, typeInvalid, "", "messages"},
		{"temperature", "POST", "/v1/chat/completions", chat(`,"temperature":3`), 400, typeInvalid, "", "temperature"},
		{"top_p", "POST", "/v1/chat/completions", chat(`,"top_p":1.5`), 400, typeInvalid, "", "top_p"},
		{"max_tokens", "POST", "/v1/chat/completions", chat(`,"max_tokens":101`), 400, typeInvalid, "", "max_tokens"},
		{"max_tokens 0", "POST", "/v1/chat/completions", chat(`,"max_completion_tokens":0`), 400, typeInvalid, "", "max_tokens"},
		{"n", "POST", "/v1/chat/completions", chat(`,"n":5`), 400, typeInvalid, "", "n"},
		{"stop list", "POST", "/v1/chat/completions", chat(`,"stop":["a","b","c","d","e"]`), 400, typeInvalid, "", "stop"},
		{"stream_options alone", "POST", "/v1/chat/completions", chat(`,"stream_options":{"include_usage":true}`), 400, typeInvalid, "", "stream_options"},
		{"prompt too long", "POST", "/v1/chat/completions", `{"model":"tiny","messages":[{"role":"user","content":"` + long + `"}]}`, 400, typeInvalid, "context_length_exceeded", "messages"},
		{"prompt too long (text)", "POST", "/v1/completions", `{"model":"tiny","prompt":"` + long + `"}`, 400, typeInvalid, "context_length_exceeded", "prompt"},
		{"token prompt", "POST", "/v1/completions", `{"model":"tiny","prompt":[1,2,3]}`, 400, typeInvalid, "unsupported", "prompt"},
		{"token prompts", "POST", "/v1/completions", `{"model":"tiny","prompt":[[1,2],[3]]}`, 400, typeInvalid, "unsupported", "prompt"},
		{"prompt object", "POST", "/v1/completions", `{"model":"tiny","prompt":{"a":1}}`, 400, typeInvalid, "invalid_type", "prompt"},
		{"stop number", "POST", "/v1/chat/completions", chat(`,"stop":7`), 400, typeInvalid, "invalid_type", "stop"},
		// Fields that would otherwise be ignored silently.
		{"tools", "POST", "/v1/chat/completions", chat(`,"tools":[{"type":"function","function":{"name":"f"}}]`), 400, typeInvalid, "unsupported", "tools"},
		{"tool_choice", "POST", "/v1/chat/completions", chat(`,"tool_choice":"auto"`), 400, typeInvalid, "unsupported", "tool_choice"},
		{"functions", "POST", "/v1/chat/completions", chat(`,"functions":[{"name":"f"}]`), 400, typeInvalid, "unsupported", "functions"},
		{"response_format", "POST", "/v1/chat/completions", chat(`,"response_format":{"type":"json_object"}`), 400, typeInvalid, "unsupported", "response_format"},
		{"json_schema", "POST", "/v1/chat/completions", chat(`,"response_format":{"type":"json_schema","json_schema":{"name":"x"}}`), 400, typeInvalid, "unsupported", "response_format"},
		{"chat logprobs", "POST", "/v1/chat/completions", chat(`,"logprobs":true`), 400, typeInvalid, "unsupported", "logprobs"},
		{"top_logprobs", "POST", "/v1/chat/completions", chat(`,"top_logprobs":3`), 400, typeInvalid, "unsupported", "top_logprobs"},
		{"unknown field", "POST", "/v1/chat/completions", chat(`,"temprature":0`), 400, typeInvalid, "unknown_parameter", "temprature"},
		{"unknown field (text)", "POST", "/v1/completions", `{"model":"tiny","prompt":"hi","repetition_penalty":1.1}`, 400, typeInvalid, "unknown_parameter", "repetition_penalty"},
		{"chat field in text", "POST", "/v1/completions", `{"model":"tiny","prompt":"hi","tools":[]}`, 400, typeInvalid, "unknown_parameter", "tools"},
		{"logit_bias id", "POST", "/v1/chat/completions", chat(`,"logit_bias":{"99999":5}`), 400, typeInvalid, "", "logit_bias"},
		{"logit_bias key", "POST", "/v1/completions", `{"model":"tiny","prompt":"hi","logit_bias":{"a":5}}`, 400, typeInvalid, "", "logit_bias"},
		{"logit_bias value", "POST", "/v1/chat/completions", chat(`,"logit_bias":{"5":101}`), 400, typeInvalid, "", "logit_bias"},
		{"frequency_penalty", "POST", "/v1/chat/completions", chat(`,"frequency_penalty":2.5`), 400, typeInvalid, "", "frequency_penalty"},
		{"presence_penalty", "POST", "/v1/completions", `{"model":"tiny","prompt":"hi","presence_penalty":-3}`, 400, typeInvalid, "", "presence_penalty"},
		{"top_k", "POST", "/v1/chat/completions", chat(`,"top_k":-2`), 400, typeInvalid, "", "top_k"},
		{"no prompt", "POST", "/v1/completions", `{"model":"tiny"}`, 400, typeInvalid, "", "prompt"},
		{"echo", "POST", "/v1/completions", `{"model":"tiny","prompt":"hi","echo":true}`, 400, typeInvalid, "unsupported", "echo"},
		{"unknown endpoint", "POST", "/v1/embeddings", `{}`, 404, typeInvalid, "unknown_url", ""},
		{"wrong method", "GET", "/v1/chat/completions", ``, 405, typeInvalid, "method_not_allowed", ""},
		{"wrong method (models)", "DELETE", "/v1/models", ``, 405, typeInvalid, "method_not_allowed", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, f.url+c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var raw map[string]map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
				t.Fatalf("status %d, body not JSON: %v", resp.StatusCode, err)
			}
			e := raw["error"]
			for _, k := range []string{"message", "type", "param", "code"} {
				if _, ok := e[k]; !ok {
					t.Errorf("error object lacks %q: %v", k, e)
				}
			}
			str := func(v any) string { s, _ := v.(string); return s }
			if resp.StatusCode != c.status || str(e["type"]) != c.typ || str(e["code"]) != c.code || str(e["param"]) != c.param || str(e["message"]) == "" {
				t.Errorf("got %d %v, want %d type %q code %q param %q", resp.StatusCode, e, c.status, c.typ, c.code, c.param)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
		})
	}
	f.chat(t, "hi", 4) // the server still answers after all that
}

// The official client sees the errors as *openai.Error with the status.
func TestErrorsWithOfficialClient(t *testing.T) {
	f := start(t, Config{})
	_, err := f.official().Chat.Completions.New(context.Background(), oa.ChatCompletionNewParams{
		Model: "gpt-9", Messages: []oa.ChatCompletionMessageParamUnion{oa.UserMessage("hi")}})
	var apiErr *oa.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != "model_not_found" {
		t.Fatalf("error %v", err)
	}
}
