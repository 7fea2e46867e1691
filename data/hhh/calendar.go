package hhh

import (
	"fmt"
	"math/rand/v2"
	"time"
)

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

func genWeekdays(r *rand.Rand) Task {
	d := r.IntN(7)
	n := between(r, 1, 30)
	if r.IntN(3) == 0 {
		q := fmt.Sprintf("If today is %s, what day was it %d days ago?", weekdays[d], n)
		ans := weekdays[((d-n)%7+7)%7]
		return Task{
			Question: q,
			Key:      item(weekdays[d], n),
			Response: fmt.Sprintf("%d days before %s is %s.", n, weekdays[d], ans),
			Answer:   ans,
			Wrong:    fmt.Sprintf("%d days before %s is %s.", n, weekdays[d], weekdays[((d-n-1)%7+7)%7]),
		}
	}
	q := fmt.Sprintf(pick(r, []string{
		"If today is %[1]s, what day is it in %[2]d days?",
		"What day comes %[2]d days after %[1]s?",
	}), weekdays[d], n)
	ans := weekdays[(d+n)%7]
	return Task{
		Question: q,
		Key:      item(weekdays[d], n),
		Response: fmt.Sprintf("%d days after %s is %s.", n, weekdays[d], ans),
		Answer:   ans,
		Wrong:    fmt.Sprintf("%d days after %s is %s.", n, weekdays[d], weekdays[(d+n+1)%7]),
	}
}

// genDates asks for a date some days before or after another. Questions
// name no year, so a draw whose answer would differ between a leap year
// and a common year (it crosses the end of February) is drawn again.
func genDates(r *rand.Rand) Task {
	for {
		m := time.Month(between(r, 1, 12))
		day := between(r, 1, 28)
		n := between(r, 1, 20)
		after := r.IntN(2) == 0
		delta := n
		if !after {
			delta = -n
		}
		common := time.Date(2023, m, day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, delta)
		leap := time.Date(2024, m, day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, delta)
		if common.Month() != leap.Month() || common.Day() != leap.Day() {
			continue
		}
		start := fmt.Sprintf("%s %d", m, day)
		ans := fmt.Sprintf("%s %d", common.Month(), common.Day())
		wrongT := common.AddDate(0, 0, 1)
		wrong := fmt.Sprintf("%s %d", wrongT.Month(), wrongT.Day())
		rel := "after"
		if !after {
			rel = "before"
		}
		q := fmt.Sprintf(pick(r, []string{
			"What date is %[1]d days %[2]s %[3]s?",
			"Which date is %[1]d days %[2]s %[3]s?",
		}), n, rel, start)
		return Task{
			Question: q,
			Key:      item(m, min(day, n), max(day, n)), // unordered: a swap of day and offset reads alike
			Response: fmt.Sprintf("%d days %s %s is %s.", n, rel, start, ans),
			Answer:   ans,
			Wrong:    fmt.Sprintf("%d days %s %s is %s.", n, rel, start, wrong),
		}
	}
}

// clock formats minutes since midnight on a 12-hour dial without am/pm.
func clock(m int) string {
	h := (m / 60) % 12
	if h == 0 {
		h = 12
	}
	return fmt.Sprintf("%d:%02d", h, m%60)
}

func genClock(r *rand.Rand) Task {
	start := between(r, 12, 23)*60 + 5*r.IntN(12) // 12:00 to 11:55 on the dial
	add := 5 * between(r, 1, 30)                  // 5 minutes to 2.5 hours
	q := fmt.Sprintf(pick(r, []string{
		"What time is %[1]d minutes after %[2]s?",
		"It is %[2]s. What time will it be in %[1]d minutes?",
	}), add, clock(start))
	return Task{
		Question: q,
		Key:      item(clock(start), add),
		Response: fmt.Sprintf("%d minutes after %s is %s.", add, clock(start), clock(start+add)),
		Answer:   clock(start + add),
		Wrong:    fmt.Sprintf("%d minutes after %s is %s.", add, clock(start), clock(start+add+60)),
	}
}
