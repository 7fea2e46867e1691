package server

import (
	"html"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Reports of a results directory: DIR/report.html and DIR/<spec>/report.html
// (and deeper, up to reportDepth), with the results.json beside each.
// Only files with these names are served, read-only, through an os.Root,
// which refuses any path (or symbolic link) that leads out of the
// directory.
var servedReportFiles = []string{"report.html", "results.json"}

// reportDepth bounds the directory walk: a results directory holds a
// report per spec, and per-seed folders below hold checkpoints only.
const reportDepth = 3

// reportInfo is one report in GET /api/reports.
type reportInfo struct {
	Path     string    `json:"path"` // relative to the results directory, with "/"
	Title    string    `json:"title"`
	Modified time.Time `json:"modified"`
	Results  bool      `json:"results"` // a results.json lies beside it
}

var titlePattern = regexp.MustCompile(`(?is)<title>(.*?)</title>`)

// listReports finds the reports under dir.
func listReports(dir string) ([]reportInfo, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	var out []reportInfo
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable folder is skipped, not fatal
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "checkpoints" || strings.Count(p, "/") >= reportDepth) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Name() != "report.html" || !d.Type().IsRegular() { // no symbolic links
			return nil
		}
		info := reportInfo{Path: p, Title: p}
		if fi, err := d.Info(); err == nil {
			info.Modified = fi.ModTime().UTC()
		}
		if t := readTitle(root, p); t != "" {
			info.Title = t
		}
		if _, err := root.Stat(path.Join(path.Dir(p), "results.json")); err == nil {
			info.Results = true
		}
		out = append(out, info)
		return nil
	})
	slices.SortFunc(out, func(a, b reportInfo) int { return strings.Compare(a.Path, b.Path) })
	return out, err
}

// readTitle returns the <title> of an HTML file (from its first 4 KiB).
func readTitle(root *os.Root, p string) string {
	f, err := root.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 4096))
	if m := titlePattern.FindSubmatch(b); m != nil {
		return strings.TrimSpace(html.UnescapeString(string(m[1])))
	}
	return ""
}

// handleReports serves GET /api/reports. The results directory is named
// by its last element alone: where it lies on the server's disk (the
// user's name, the layout of their home) is not the page's business.
func (s *Server) handleReports(w http.ResponseWriter, r *http.Request) {
	if s.cfg.ResultsDir == "" {
		writeJSON(w, http.StatusOK, map[string]any{"dir": "", "reports": []reportInfo{}})
		return
	}
	list, err := listReports(s.cfg.ResultsDir)
	if err != nil {
		// The error names the absolute path: the log gets it, not the client.
		s.log.Error("listing reports", "err", err)
		writeError(w, &apiError{status: http.StatusInternalServerError, typ: typeServer, msg: "the reports cannot be listed (see the server's log)"})
		return
	}
	if list == nil {
		list = []reportInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"dir": resultsName(s.cfg.ResultsDir), "reports": list})
}

// resultsName is the name the page shows for the results directory.
func resultsName(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Base(dir)
}

// handleReportFile serves GET /reports/{path...}: a report.html or
// results.json inside the results directory, nothing else.
func (s *Server) handleReportFile(w http.ResponseWriter, r *http.Request) {
	notFound := func() {
		writeError(w, &apiError{status: http.StatusNotFound, typ: typeInvalid, code: "not_found", msg: "no such report"})
	}
	p := r.PathValue("path")
	if s.cfg.ResultsDir == "" || !fs.ValidPath(p) || !slices.Contains(servedReportFiles, path.Base(p)) {
		notFound()
		return
	}
	root, err := os.OpenRoot(s.cfg.ResultsDir)
	if err != nil {
		notFound()
		return
	}
	defer root.Close()
	f, err := root.Open(p)
	if err != nil {
		notFound()
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		notFound()
		return
	}
	if strings.HasSuffix(p, ".html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// A report is a static page: it may not run scripts or reach out.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
}
