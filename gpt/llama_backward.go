package gpt

// llamaBackward propagates s.dln, the gradient of the final hidden states,
// back through the final RMSNorm, the blocks in reverse and the embedding,
// the mirror of llamaForward. s.dres carries the residual stream's gradient
// from block to block.
func (m *Model) llamaBackward() {
	cfg := m.Config
	a, p, g, in, s, lo := m.acts, m.Params, m.gradViews(), m.inputs, m.gradActs, m.lora
	B, T, C := a.B, a.T, cfg.NEmbd
	BT, QKV, I := B*T, cfg.QKVDim(), cfg.Inner()
	hd := headsOf(cfg)
	rp := m.rope()
	pos := func(i int) int { return i % T }
	clear(s.dres)
	rmsNormBackward(s.dres, g.LNFW, s.dln, a.residual(cfg.NLayer), p.LNFW, a.lnfRstd, BT, C)
	for l := cfg.NLayer - 1; l >= 0; l-- {
		la, lp, lg := &a.layers[l], &p.Layers[l], &g.Layers[l]
		residual := a.residual(l)
		// MLP: res3 = res2 + down(swiglu(gate_up(ln2))).
		linearNTBackward(m.compute, s.dhid, lg.FCProjW, nil, s.dres, la.fchGelu, m.weight(l, matDown), BT, I, C, 0)
		lo.backward(l, siteDown, la.fchGelu, s.dres, BT, s.dhid)
		swigluBackward(s.dfch, s.dhid, la.fch, BT, I)
		linearNTBackward(m.compute, s.dln, lg.FCW, nil, s.dfch, la.ln2, m.weight(l, matFC), BT, C, 2*I, 0)
		lo.backward(l, siteFC, la.ln2, s.dfch, BT, s.dln)
		rmsNormBackward(s.dres, lg.LN2W, s.dln, la.res2, lp.LN2W, la.ln2Rstd, BT, C)
		// Attention: res2 = residual + o_proj(attention(rope(qkv(ln1)))).
		linearNTBackward(m.compute, s.datty, lg.AttProjW, nil, s.dres, la.atty, m.weight(l, matAttO), BT, C, C, 0)
		lo.backward(l, siteAttO, la.atty, s.dres, BT, s.datty)
		attendBackward(m.compute, s.dqkv, s.datt, s.datty, la.qkv, la.att, B, T, hd)
		rp.apply(s.dqkv, BT, QKV, hd.NH+hd.NKV, pos, true)
		linearNTBackward(m.compute, s.dln, lg.QKVW, lg.QKVB, s.dqkv, la.ln1, m.weight(l, matQKV), BT, C, QKV, 0)
		lo.backward(l, siteQKV, la.ln1, s.dqkv, BT, s.dln)
		rmsNormBackward(s.dres, lg.LN1W, s.dln, residual, lp.LN1W, la.ln1Rstd, BT, C)
	}
	embedBackward(g.WTE, s.dres, in.tokens, C)
}
