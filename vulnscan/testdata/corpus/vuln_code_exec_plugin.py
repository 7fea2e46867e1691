# label: vulnerable CWE-94
# round: 1
def run_plugin(source_text, ctx):
    namespace = {"ctx": ctx}
    exec(source_text, namespace)
    return namespace.get("result")
