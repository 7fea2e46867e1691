#!/usr/bin/env python3
"""Reference chat-template renderer for the chat package's tests.

Jinja2 set up the way Hugging Face transformers sets it up for
apply_chat_template (written here from that description, not copied):

  * an ImmutableSandboxedEnvironment with trim_blocks=True,
    lstrip_blocks=True and the loopcontrols extension (plus a no-op
    "generation" block, which transformers' assistant-mask extension adds);
  * a tojson filter calling json.dumps with ensure_ascii=False (and the
    indent, separators and sort_keys arguments), so neither HTML nor
    non-ASCII text is escaped;
  * globals raise_exception(message), which raises, and strftime_now(format),
    which formats a fixed time given per case so that renders are
    deterministic;
  * the conversation passed as `messages` (a list of dicts), with
    add_generation_prompt, the special tokens, tools=None and documents=None
    unless given, and any extra variables.

Input (stdin): {"cases": [{"template": str, "messages": [...],
"add_generation_prompt": bool, "bos_token": str, "eos_token": str,
"vars": {...}, "now": "YYYY-MM-DD", "raw": bool}]}.  A raw case renders the
template with its vars only.  Output (stdout): a JSON list with
{"output": str} or {"error": str, "raised": bool} per case.
"""

import datetime
import json
import sys

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment


class TemplateRaised(Exception):
    """What raise_exception raises, told apart from other template errors."""


class GenerationBlock(jinja2.ext.Extension):
    """{% generation %}...{% endgeneration %} renders its body unchanged."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.Scope(body, lineno=lineno)


def make_env(now):
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[GenerationBlock, jinja2.ext.loopcontrols],
    )

    def tojson(value, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent,
                          separators=separators, sort_keys=sort_keys)

    def raise_exception(message):
        raise TemplateRaised(message)

    def strftime_now(fmt):
        return now.strftime(fmt)

    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(case):
    now = datetime.datetime.strptime(case.get("now", "2024-07-26"), "%Y-%m-%d")
    env = make_env(now)
    extra = dict(case.get("vars") or {})
    if case.get("raw"):
        ctx = extra
    else:
        ctx = {"tools": None, "documents": None}
        for name in ("bos_token", "eos_token", "unk_token", "pad_token"):
            if case.get(name) is not None:
                ctx[name] = case[name]
        ctx.update(extra)
        ctx["messages"] = case.get("messages", [])
        ctx["add_generation_prompt"] = bool(case.get("add_generation_prompt"))
    try:
        return {"output": env.from_string(case["template"]).render(**ctx)}
    except TemplateRaised as e:
        return {"error": str(e), "raised": True}
    except Exception as e:  # any other template error
        return {"error": "%s: %s" % (type(e).__name__, e), "raised": False}


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump([render(c) for c in cases], sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
