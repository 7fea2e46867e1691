package vmath

// SoftmaxBackwardRow turns dp, the gradient with respect to one row of
// softmax probabilities p, into the gradient with respect to the scores
// the softmax was taken of, times scale:
//
//	dp[j] = p[j]·(dp[j] − Σ_k p[k]·dp[k])·scale
//
// The sum runs in an order fixed by len(p) and the kernel.
func SoftmaxBackwardRow(dp, p []float32, scale float32) {
	dp = dp[:len(p)]
	active.Load().softmaxBwd(dp, p, scale)
}

func softmaxBwdGeneric(dp, p []float32, scale float32) {
	var dot float32
	for j, pv := range p {
		dot += pv * dp[j]
	}
	for j, pv := range p {
		dp[j] = pv * (dp[j] - dot) * scale
	}
}
