package vmath

// genericKernel is the portable fallback: the same formulas as the assembly,
// one element at a time in plain Go.
var genericKernel = &kernel{
	name:        "generic",
	geluFwd:     geluFwdGeneric,
	geluBwd:     geluBwdGeneric,
	expSubSum:   expSubSumGeneric,
	max:         maxGeneric,
	scale:       scaleGeneric,
	adamw:       adamwGeneric,
	lnFwdRow:    lnFwdRowGeneric,
	softmaxBwd:  softmaxBwdGeneric,
	lnBwdRow:    lnBwdRowGeneric,
	lnGradAccum: lnGradAccumGeneric,

	rmsFwdRow:    rmsFwdRowGeneric,
	rmsBwdRow:    rmsBwdRowGeneric,
	rmsGradAccum: rmsGradAccumGeneric,
	swiglu:       swigluGeneric,
	swigluBwd:    swigluBwdGeneric,
	rotateHalves: rotateHalvesGeneric,
}
