// Package headless drives headless Chromium for the tests that look at a
// page as a browser lays it out: the server's web page and the report.
// Tests skip without Chromium, except under CI, which installs it
// (.ci/install-browser.sh) and must not pass by skipping.
package headless

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Find returns the path of Chromium (Debian's package: /usr/bin/chromium),
// or skips t when it is not installed (fails it under CI).
func Find(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; CI installs it with .ci/install-browser.sh")
	}
	t.Skip("chromium is not installed (apt-get install chromium, or .ci/install-browser.sh)")
	return ""
}

// run runs browser headless on url with extra flags and returns its
// standard output. Nothing is fetched from outside: the flags turn off
// Chromium's own background traffic.
func run(t testing.TB, browser, url string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.CommandContext(ctx, browser, append(args, url)...)
	cmd.WaitDelay = 5 * time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return string(out)
}

// DumpDOM loads url, lets its scripts run (virtual time: the page's
// requests finish before the budget is spent) and returns the DOM as the
// page then stands. flags add to Chromium's, e.g. "--window-size=1200,900"
// for the width the page is laid out at.
func DumpDOM(t testing.TB, browser, url string, flags ...string) string {
	t.Helper()
	return run(t, browser, url, append([]string{"--virtual-time-budget=5000", "--dump-dom"}, flags...)...)
}

// Screenshot writes a PNG of url's first width × height pixels to path.
func Screenshot(t testing.TB, browser, url, path string, width, height int) {
	t.Helper()
	run(t, browser, url, "--hide-scrollbars", "--virtual-time-budget=5000",
		"--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height), "--screenshot="+path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
}
