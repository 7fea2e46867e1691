package vulnscan

import "strings"

// CWE-502: loading data with a format that can construct arbitrary objects
// (pickle and its relatives, marshal, shelve, jsonpickle, YAML's full
// loaders). yaml.safe_load, yaml.load with a safe loader and json are safe.
// Every call is reported whatever the data's origin: a pickle file is as
// dangerous as the least trusted process that can write it.

var unsafeLoaders = map[string]bool{
	"pickle.loads": true, "pickle.load": true, "pickle.Unpickler": true,
	"cPickle.loads": true, "cPickle.load": true, "cPickle.Unpickler": true,
	"_pickle.loads": true, "_pickle.load": true, "dill.loads": true, "dill.load": true,
	"marshal.loads": true, "marshal.load": true, "shelve.open": true,
	"jsonpickle.decode": true, "jsonpickle.loads": true,
	"yaml.unsafe_load": true, "yaml.unsafe_load_all": true, "yaml.full_load": true, "yaml.full_load_all": true,
	"pandas.read_pickle": true, "joblib.load": true, "cloudpickle.loads": true, "cloudpickle.load": true,
}

func checkDeserialize(a *analysis, s *Stmt) {
	for _, c := range a.calls[s.Index] {
		q := a.qual(c.X, s)
		switch {
		case unsafeLoaders[q]:
			a.report("CWE-502", "unsafe-deserialization", c.Line, q+"() can run code embedded in the data it loads")
		case q == "yaml.load" || q == "yaml.load_all":
			if !a.safeYAMLLoader(c.arg(1, "Loader"), s) {
				a.report("CWE-502", "unsafe-deserialization", c.Line, q+"() without a safe Loader can construct arbitrary objects; use yaml.safe_load")
			}
		case q == "torch.load":
			if wo := c.kwarg("weights_only"); wo == nil || !isTrue(wo) {
				a.report("CWE-502", "unsafe-deserialization", c.Line, "torch.load() without weights_only=True unpickles arbitrary objects")
			}
		case q == "numpy.load":
			if ap := c.kwarg("allow_pickle"); isTrue(ap) {
				a.report("CWE-502", "unsafe-deserialization", c.Line, "numpy.load(allow_pickle=True) unpickles arbitrary objects")
			}
		}
	}
}

// safeYAMLLoader reports whether a Loader argument names SafeLoader,
// CSafeLoader or BaseLoader (through imports and one assignment).
func (a *analysis) safeYAMLLoader(l *Node, s *Stmt) bool {
	if l == nil {
		return false // PyYAML < 5.1 defaults to the full, unsafe loader
	}
	v, vs := a.value(l, s)
	name := a.qual(v, vs)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return strings.HasPrefix(name, "Safe") || strings.HasPrefix(name, "CSafe") || name == "BaseLoader" || name == "CBaseLoader" // not UnsafeLoader
}
