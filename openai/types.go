package openai

// Object names of the API.
const (
	ObjectChatCompletion      = "chat.completion"
	ObjectChatCompletionChunk = "chat.completion.chunk"
	ObjectTextCompletion      = "text_completion"
	ObjectModel               = "model"
	ObjectList                = "list"
)

// Finish reasons.
const (
	FinishStop   = "stop"   // a stop token or stop string ended the choice
	FinishLength = "length" // max_tokens or the context ended it
)

// ChatRequest is the body of POST /v1/chat/completions. Optional numbers
// are pointers so that an absent field (OpenAI's default: temperature 1,
// top_p 1, n 1) differs from an explicit 0.
type ChatRequest struct {
	Model               string         `json:"model"`
	Messages            []Message      `json:"messages"`
	Temperature         *float64       `json:"temperature,omitempty"`
	TopP                *float64       `json:"top_p,omitempty"`
	MaxTokens           *int           `json:"max_tokens,omitempty"`
	MaxCompletionTokens *int           `json:"max_completion_tokens,omitempty"`
	Stop                StopList       `json:"stop,omitempty"`
	Seed                *int64         `json:"seed,omitempty"`
	N                   *int           `json:"n,omitempty"`
	Stream              bool           `json:"stream,omitempty"`
	StreamOptions       *StreamOptions `json:"stream_options,omitempty"`
	Penalties
}

// Penalties are the logit adjustments both endpoints take: LogitBias adds
// a bias in [-100, 100] to the logits of token ids (keys are the ids as
// decimal strings); FrequencyPenalty and PresencePenalty, in [-2, 2],
// lower a token's logit by the penalty times the times it was generated
// so far, and once when it was.
type Penalties struct {
	LogitBias        map[string]float64 `json:"logit_bias,omitempty"`
	FrequencyPenalty *float64           `json:"frequency_penalty,omitempty"`
	PresencePenalty  *float64           `json:"presence_penalty,omitempty"`
	// TopK keeps the k most likely tokens (vLLM's and llama.cpp's
	// extension; 0 or -1: all).
	TopK *int `json:"top_k,omitempty"`
}

// Message is one chat turn. Content is a string on the wire, or in a
// request an array of {"type": "text", "text": ...} parts, which are joined.
type Message struct {
	Role    string  `json:"role"`
	Content Content `json:"content"`
}

// StreamOptions: IncludeUsage asks for a last chunk with the usage and no
// choices before [DONE].
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// ChatCompletion is the response of a non-streaming chat request.
type ChatCompletion struct {
	ID                string       `json:"id"`
	Object            string       `json:"object"`
	Created           int64        `json:"created"`
	Model             string       `json:"model"`
	SystemFingerprint string       `json:"system_fingerprint,omitempty"`
	Choices           []ChatChoice `json:"choices"`
	Usage             *Usage       `json:"usage,omitempty"`
}

// ChatChoice is one generated reply.
type ChatChoice struct {
	Index        int     `json:"index"`
	Message      Message `json:"message"`
	FinishReason string  `json:"finish_reason"`
}

// ChatChunk is one server-sent event of a streaming chat request.
type ChatChunk struct {
	ID                string        `json:"id"`
	Object            string        `json:"object"`
	Created           int64         `json:"created"`
	Model             string        `json:"model"`
	SystemFingerprint string        `json:"system_fingerprint,omitempty"`
	Choices           []ChunkChoice `json:"choices"`
	Usage             *Usage        `json:"usage,omitempty"`
}

// ChunkChoice carries one choice's new text. FinishReason is null (nil)
// until the choice's last chunk.
type ChunkChoice struct {
	Index        int     `json:"index"`
	Delta        Delta   `json:"delta"`
	FinishReason *string `json:"finish_reason"`
}

// Delta is the change to a choice's message: the role in the first chunk,
// then content.
type Delta struct {
	Role    string  `json:"role,omitempty"`
	Content *string `json:"content,omitempty"`
}

// Usage counts tokens. With n > 1 the prompt is counted once and the
// completion tokens of all choices together.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// CompletionRequest is the body of POST /v1/completions (the legacy text
// completion API, which sends the raw prompt: the exact eval path).
type CompletionRequest struct {
	Model         string         `json:"model"`
	Prompt        PromptList     `json:"prompt"`
	Temperature   *float64       `json:"temperature,omitempty"`
	TopP          *float64       `json:"top_p,omitempty"`
	MaxTokens     *int           `json:"max_tokens,omitempty"`
	Stop          StopList       `json:"stop,omitempty"`
	Seed          *int64         `json:"seed,omitempty"`
	N             *int           `json:"n,omitempty"`
	Stream        bool           `json:"stream,omitempty"`
	StreamOptions *StreamOptions `json:"stream_options,omitempty"`
	Penalties
	// Unsupported options, decoded only to be refused clearly.
	Echo     bool    `json:"echo,omitempty"`
	Logprobs *int    `json:"logprobs,omitempty"`
	BestOf   *int    `json:"best_of,omitempty"`
	Suffix   *string `json:"suffix,omitempty"`
}

// Completion is the response of /v1/completions, and with Object
// "text_completion" also each streamed chunk.
type Completion struct {
	ID                string             `json:"id"`
	Object            string             `json:"object"`
	Created           int64              `json:"created"`
	Model             string             `json:"model"`
	SystemFingerprint string             `json:"system_fingerprint,omitempty"`
	Choices           []CompletionChoice `json:"choices"`
	Usage             *Usage             `json:"usage,omitempty"`
}

// CompletionChoice is one continuation. Index is prompt·n + choice.
// FinishReason is null in streamed chunks before the last.
type CompletionChoice struct {
	Index        int     `json:"index"`
	Text         string  `json:"text"`
	Logprobs     any     `json:"logprobs"`
	FinishReason *string `json:"finish_reason"`
}

// Model describes one served model (GET /v1/models).
type Model struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
	// MaxModelLen is the context length, as vLLM reports it.
	MaxModelLen int `json:"max_model_len,omitempty"`
	// Parent is, for a LoRA adapter served beside its base, the base's
	// id (vLLM's field); empty for a base model.
	Parent string `json:"parent,omitempty"`
}

// ModelList is the response of GET /v1/models.
type ModelList struct {
	Object string  `json:"object"`
	Data   []Model `json:"data"`
}

// ErrorResponse is the body of every error: {"error": {...}}.
type ErrorResponse struct {
	Error APIError `json:"error"`
}

// APIError is OpenAI's error object. Param and Code are null when unset.
type APIError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}
