// Package jinja renders the subset of Jinja2 that Hugging Face chat templates
// use, the way transformers sets Jinja2 up for apply_chat_template: an
// immutable sandbox with trim_blocks and lstrip_blocks, the loopcontrols
// extension, a raise_exception global, a strftime_now global, and a tojson
// filter that neither escapes HTML nor non-ASCII text.
//
// Values follow Python's semantics where a template can observe them: None
// prints as "None", floats print as Python's repr, lists and dicts print as
// their repr, dicts keep insertion order, undefined names print as "" but
// fail when used in arithmetic, and a for loop's body is a fresh scope each
// iteration (hence the namespace() idiom).
//
// Statements: if/elif/else, for (with else, a filter condition, tuple
// targets and loop.*), set (names, tuples, namespace attributes, set
// blocks), break/continue, and transformers' generation block. Anything
// else (macro, call, include, extends, block, with, filter, raw, do) is
// refused at parse time with its line, as are unknown filters and tests,
// like Jinja2 does.
//
// Rendering is bounded: output and every string or list a template builds
// are limited in size, loop iterations are counted, range() is limited as in
// Jinja2's sandbox, and parse nesting is limited, so that a hostile template
// cannot hang or exhaust memory.
package jinja
