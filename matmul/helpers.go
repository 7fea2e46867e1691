package matmul

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Helpers are long-lived goroutines that join parallel jobs (a gemmJob, a
// ParallelFor), so that a parallel call neither spawns goroutines nor
// allocates once warm. A job is handed over a buffered channel to a helper
// known to be idle (or about to be: it counts itself idle just before it
// signals the end of its previous job, so back-to-back calls reuse it
// rather than spawning another). With no idle helper, a new one is started,
// up to maxHelpers; beyond that the offer is dropped. Jobs never wait for a
// particular participant (work is claimed dynamically), so a missing or
// late helper only costs speed, and concurrent calls cannot deadlock.
//
// An idle helper polls for its next job for up to spinWait before it
// sleeps on the channel. A training step is a chain of parallel calls a few
// microseconds apart; a helper asleep between them must be woken by the
// scheduler (on a virtual machine, an idle vCPU is halted and woken by an
// interrupt, tens of microseconds), and the caller, which starts at once,
// then waits that long at the end of the call. Polling is bounded so that
// a shared machine does not lose more than spinWait of CPU per idle spell.

const maxHelpers = 256

// spinWait is how long an idle helper, or a caller waiting for its
// helpers, polls before sleeping.
const spinWait = 50 * time.Microsecond

// job is what a helper runs: join counts a participant in (before it is
// handed the job), work claims and runs parts of the job until none are
// left, and finish counts the participant out.
type job interface {
	join()
	work()
	finish()
}

var (
	helperCh = make(chan job, maxHelpers)
	helpers  atomic.Int64 // started
	idle     atomic.Int64 // waiting (or about to wait) on helperCh, unclaimed
)

// startHelpers offers j to n helpers.
func startHelpers(j job, n int) {
	for range n {
		j.join()
		if idle.Add(-1) >= 0 {
			// We claimed an idle helper: it is polling, receiving or
			// about to. The channel is buffered, so the send never
			// waits for the helper to be scheduled.
			helperCh <- j
			continue
		}
		idle.Add(1)
		if helpers.Add(1) <= maxHelpers {
			go helper(j)
			continue
		}
		helpers.Add(-1)
		j.finish()
	}
}

func helper(j job) {
	for {
		j.work()
		idle.Add(1)
		j.finish()
		j = nextJob()
	}
}

// nextJob polls helperCh for up to spinWait, then sleeps on it.
func nextJob() job {
	var j job
	if spinUntil(func() bool {
		select {
		case j = <-helperCh:
			return true
		default:
			return false
		}
	}) {
		return j
	}
	return <-helperCh
}

// spinUntil polls done for up to spinWait and reports whether it became
// true; the caller then sleeps on its own condition if not.
func spinUntil(done func() bool) bool {
	start := time.Now()
	for !done() {
		if time.Since(start) > spinWait {
			return false
		}
		runtime.Gosched()
	}
	return true
}

// crew counts the helpers that joined a job (embedded in each kind of job:
// its join and finish) and lets the caller wait for them to leave.
type crew struct {
	joined int64 // written by the caller only, before it waits
	left   atomic.Int64
	wg     sync.WaitGroup
}

func (c *crew) reset() {
	c.joined = 0
	c.left.Store(0)
}

func (c *crew) join() {
	c.joined++
	c.wg.Add(1)
}

func (c *crew) finish() {
	c.left.Add(1)
	c.wg.Done()
}

// wait returns once every helper that joined has finished, polling for
// spinWait before it sleeps.
func (c *crew) wait() {
	spinUntil(func() bool { return c.left.Load() == c.joined })
	c.wg.Wait()
}
