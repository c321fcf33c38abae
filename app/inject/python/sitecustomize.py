# gaplens capture's start-up hook for Python programs.
#
# `gaplens capture -- python prog.py` puts this folder first on PYTHONPATH, so Python's site
# module imports this file at start-up, before the program's first line. It does three things:
#   1. takes this folder back out of sys.path, so the program sees the sys.path it would have had;
#   2. runs the sitecustomize module this one shadows, if there is one (Debian and Ubuntu ship one);
#   3. loads gaplens_framework.py beside it, which waits for `import torch` and does nothing at all
#      in a program that never imports torch.
# Nothing here may change what the program does: every failure is one line on stderr, never an
# exception into the program.
import os
import sys


def _gaplens_start():
    here = os.path.dirname(os.path.abspath(__file__))

    # 1. The PYTHONPATH entry that brought us here: remove that one entry, keep the order of the rest.
    for i, entry in enumerate(sys.path):
        try:
            if os.path.abspath(entry or os.curdir) == here:
                del sys.path[i]
                break
        except (TypeError, ValueError):
            continue

    import importlib.machinery
    import importlib.util

    # 2. The sitecustomize we shadow: the next one on the (restored) path.
    try:
        spec = importlib.machinery.PathFinder.find_spec("sitecustomize", sys.path)
        if spec is not None and spec.origin and os.path.abspath(spec.origin) != os.path.abspath(__file__):
            shadowed = importlib.util.module_from_spec(spec)
            sys.modules["sitecustomize"] = shadowed
            spec.loader.exec_module(shadowed)
    except Exception as error:  # the program would have seen this error itself, without gaplens
        print(f"gaplens: the program's own sitecustomize failed: {error!r}", file=sys.stderr)

    # 3. Framework context.
    if os.environ.get("GAPLENS_FRAMEWORK", "auto") == "none":
        return
    try:
        spec = importlib.util.spec_from_file_location("_gaplens_framework", os.path.join(here, "gaplens_framework.py"))
        framework = importlib.util.module_from_spec(spec)
        sys.modules["_gaplens_framework"] = framework
        spec.loader.exec_module(framework)
        framework.install()
    except Exception as error:
        print(f"gaplens: framework context off: {error!r}", file=sys.stderr)


_gaplens_start()
del _gaplens_start
