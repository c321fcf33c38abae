# Framework context for `gaplens capture`: torch's ops and record_function ranges on the record.
#
# Loaded by sitecustomize.py beside it. It waits for the program to import torch (an import hook
# that removes itself once torch is in), then turns on torch's range emission on the importing
# thread: every op, autograd node and record_function opens a range, which the injection library
# records on the thread that ran it, in the same clock as the CUDA calls it launches (so a launch
# nests inside its op, and a kernel links to its op as in a torch.profiler trace).
#
# Two ways in, the cheaper first (docs/capture-overhead.md has the measurements):
# - ITT (torch's emit_itt mode): torch hands each op's own name to ittnotify, whose collector is
#   the injection library (gaplens capture names it in INTEL_LIBITTNOTIFY64): no string is built
#   per op. Used when torch has ITT and its ittnotify loaded gaplens (gaplens_framework_itt_ready).
# - NVTX (torch's emit_nvtx mode), otherwise: torch formats "name, seq = N, op_id = M" per op, and
#   gaplens' NVTX recorder splits it again.
#
# Why not torch.profiler's CPU recording: on a machine with a GPU, torch.profiler always goes
# through Kineto, which takes over CUPTI (it registers its own activity buffers and enables the
# runtime/driver API kinds) even for CPU-only recording, so it cannot run beside gaplens'
# collector; and it costs more.
#
# Neither carries torch's scope, so record_function ranges are told apart from ops by name: every
# name that a record_function was created with is handed to the injection library once
# (gaplens_framework_user_range), which writes those ranges as user_annotation, the rest as cpu_op.
#
# torch.profiler used by the program itself: only one profiler can be on per thread, so this
# context steps aside while the program's profiler runs on the same thread, and comes back after.
#
# A capture paused by the program (gaplens_capture_pause of the injection library) turns torch's
# range emission off too, and resume turns it on again: paused, torch's ops run as untraced.
import os
import sys
import threading

_state = {"thread": None, "on": False, "lib": None, "names": set(), "unsent": [], "warned": False, "via": None,
          "off_for_pause": False, "pause_listener": None}


def _warn(text):
    print(f"gaplens: {text}", file=sys.stderr)


def _injection_library(load=False):
    """The libgaplens_inject.so loaded into this process (the same handle), or None while nobody has
    loaded it yet: the CUDA driver loads it when CUDA starts, torch's ittnotify at `import torch` in
    the ITT way. load=True loads it if nobody has (_listen_to_pauses in the NVTX way: the driver
    then gets the same library, as it does after ittnotify); nothing else here loads it."""
    if not _state["lib"]:
        path = os.environ.get("CUDA_INJECTION64_PATH")
        if path and os.environ.get("GAPLENS_OUTPUT"):
            try:
                import ctypes

                _state["lib"] = ctypes.CDLL(path, mode=os.RTLD_LAZY if load else os.RTLD_NOLOAD | os.RTLD_LAZY)
            except (OSError, AttributeError):
                _state["lib"] = None
    return _state["lib"] or None


def _call_library(name, *args):
    lib = _injection_library()
    fn = getattr(lib, name, None) if lib is not None else None
    return fn(*args) if fn is not None else None


def _send_user_ranges():
    """Hands the record_function names not yet handed over to the injection library, once it is there."""
    if _state["unsent"] and _injection_library() is not None:
        unsent, _state["unsent"] = _state["unsent"], []
        for name in unsent:
            _call_library("gaplens_framework_user_range", name.encode("utf-8", "replace"))


def _note_user_range(name):
    if name in _state["names"] or not isinstance(name, str):
        return
    _state["names"].add(name)
    _state["unsent"].append(name)
    _send_user_ranges()


def _itt_ready(torch):
    """torch's ITT mode can reach gaplens: torch was built with ITT and its ittnotify loaded the
    injection library as its collector at `import torch` (INTEL_LIBITTNOTIFY64, set by gaplens
    capture), so the "PyTorch" domain is ours."""
    if os.environ.get("GAPLENS_FRAMEWORK_PROBE") == "nvtx":  # the NVTX path, to compare the two
        return False
    try:
        if not torch._C._itt.is_available():
            return False
        # ittnotify loads its collector at the first task, not at import: this mark is that task
        # (recorded by nobody: the capture starts with CUDA).
        torch._C._itt.mark("gaplens: ITT check")
    except (AttributeError, RuntimeError):
        return False
    lib = _injection_library()
    ready = getattr(lib, "gaplens_framework_itt_ready", None) if lib is not None else None
    return bool(ready is not None and ready())


def _config(autograd, state):
    from torch._C._profiler import _ExperimentalConfig

    return autograd.ProfilerConfig(state, False, False, False, False, False, _ExperimentalConfig())


def _kineto_cpu_on(autograd):
    # Probe only (GAPLENS_FRAMEWORK_PROBE=kineto-cpu): what torch.profiler's CPU recording does here.
    config = _config(autograd, autograd.ProfilerState.KINETO)
    acts = {autograd.ProfilerActivity.CPU}
    autograd._prepare_profiler(config, acts)
    autograd._enable_profiler(config, acts)


def _context_on(torch):
    import torch.autograd as autograd

    if os.environ.get("GAPLENS_FRAMEWORK_PROBE") == "kineto-cpu":
        _kineto_cpu_on(autograd)
    else:
        # ITT where it reaches gaplens (cheaper: IttCollector.h says why), else NVTX. Decided once:
        # the check's mark would be on the record if made again after CUDA started.
        if _state["via"] is None:
            _state["via"] = "itt" if _itt_ready(torch) else "nvtx"
        state = autograd.ProfilerState.ITT if _state["via"] == "itt" else autograd.ProfilerState.NVTX
        autograd._enable_profiler(_config(autograd, state), set())
    _state["on"] = True
    _state["thread"] = threading.get_ident()
    # What torch.profiler's own start does besides enabling: torch.compile adds its
    # "Torch-Compiled Region" ranges only while a profiler is on.
    profiler = sys.modules.get("torch.autograd.profiler")
    if profiler is not None and hasattr(profiler, "_set_is_profiler_enabled"):
        profiler._set_is_profiler_enabled(True)


def _context_off():
    import torch.autograd as autograd

    autograd._disable_profiler()
    _state["on"] = False


def _on_capture_pause(torch, paused):
    """The injection library's gaplens_capture_pause (paused=1) and resume (0): torch's range
    emission goes off while paused, so a paused capture costs torch's ops nothing. Only on the
    thread that turned it on (it is per thread); a pause from another thread leaves it on."""
    try:
        if threading.get_ident() != _state["thread"]:
            return
        if paused and _state["on"]:
            _context_off()
            _state["off_for_pause"] = True
        elif not paused and _state["off_for_pause"]:
            _state["off_for_pause"] = False
            _context_on(torch)
    except Exception as error:
        _warn(f"framework context at {'pause' if paused else 'resume'}: {error!r}")


def _listen_to_pauses(torch):
    """Registers _on_capture_pause with the injection library. In the ITT way torch's ittnotify has
    loaded it at `import torch`; in the NVTX way the driver would load it only when CUDA starts, too
    late for a listener registered at import, so it is loaded here."""
    if _state["pause_listener"] is not None:
        return
    lib = _injection_library(load=True)
    register = getattr(lib, "gaplens_framework_pause_listener", None) if lib is not None else None
    if register is None:
        return
    import ctypes

    listener = ctypes.CFUNCTYPE(None, ctypes.c_int)(lambda paused: _on_capture_pause(torch, paused))
    _state["pause_listener"] = listener  # kept alive: the library holds only the pointer
    register(listener)


def _wrap_profiler_switches(torch):
    """The program's own profiler (torch.profiler, emit_nvtx) on our thread: step aside, then back."""
    import torch.autograd.profiler as profiler

    real_enable, real_disable = profiler._enable_profiler, profiler._disable_profiler
    suspended = {"by_program": False}

    def enable(*args, **kwargs):
        # Kineto may take CUPTI: a pause of gaplens while it runs must leave CUPTI attached.
        _call_library("gaplens_framework_program_profiler", 1)
        if _state["on"] and threading.get_ident() == _state["thread"]:
            _context_off()
            suspended["by_program"] = True
            if not _state["warned"]:
                _state["warned"] = True
                _warn("the program starts torch.profiler: gaplens' framework context steps aside while it runs")
        return real_enable(*args, **kwargs)

    def disable(*args, **kwargs):
        result = real_disable(*args, **kwargs)
        _call_library("gaplens_framework_program_profiler", 0)
        if suspended["by_program"] and threading.get_ident() == _state["thread"]:
            suspended["by_program"] = False
            try:
                _context_on(torch)
            except Exception as error:
                _warn(f"framework context off after the program's profiler: {error!r}")
        return result

    profiler._enable_profiler = enable
    profiler._disable_profiler = disable


def _wrap_record_function(torch):
    import torch.autograd.profiler as profiler

    cls = profiler.record_function
    real_init = cls.__init__

    def init(self, name, *args, **kwargs):
        real_init(self, name, *args, **kwargs)
        _note_user_range(name)

    cls.__init__ = init


def _on_torch_imported(torch):
    try:
        _wrap_record_function(torch)
        _wrap_profiler_switches(torch)
        _context_on(torch)
        _listen_to_pauses(torch)
    except Exception as error:
        _warn(f"framework context off (torch {getattr(torch, '__version__', '?')}): {error!r}")


class _TorchImportHook:
    """A meta path finder that sees `import torch` once, lets the real finders find it, and runs
    _on_torch_imported after torch's own __init__ has run."""

    def find_spec(self, name, path=None, target=None):
        if name != "torch":
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader = spec.loader
        real_exec = loader.exec_module

        def exec_module(module):
            real_exec(module)
            _on_torch_imported(module)

        loader.exec_module = exec_module
        return spec


def _at_exit():
    _send_user_ranges()
    # Turned off again on the thread that turned it on, so torch does not warn of a leaked callback.
    if _state["pause_listener"] is not None:
        _call_library("gaplens_framework_pause_listener", None)  # no call into Python after this
    if _state["on"] and threading.get_ident() == _state["thread"]:
        try:
            _context_off()
        except Exception:
            pass


def install():
    import atexit

    atexit.register(_at_exit)  # Python's atexit runs before the injection library writes the trace
    if "torch" in sys.modules:  # imported by the shadowed sitecustomize already
        _on_torch_imported(sys.modules["torch"])
        return
    sys.meta_path.insert(0, _TorchImportHook())
