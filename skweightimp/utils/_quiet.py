"""Keep TensorFlow's start-up chatter off the user's terminal.

TensorFlow writes banners straight to file descriptor 2 from C++ (absl), before and
independently of Python's logging, so ``warnings`` filters and ``TF_CPP_MIN_LOG_LEVEL``
cannot stop all of it. We filter the known, harmless lines at the descriptor level while
TensorFlow starts, and let every other line through unchanged, so a real error still shows.

File descriptor 2 belongs to the whole process, so the filter runs once, while TensorFlow
starts, and only on the main thread: never per fit or predict, where threads would
interleave the swaps and leave the process's stderr pointed at a pipe nobody reads.
"""

import contextlib
import os
import re
import sys
import threading

# Lines TensorFlow prints on a machine without a GPU, or when its graph binary is newer than
# its op registry. None of them is actionable for a user of this library.
_NOISE = re.compile(
    r"All log messages before absl::InitializeLog\(\) is called"
    r"|cudart_stub\.cc.*Could not find cuda drivers"
    r"|cuda_platform\.cc.*failed call to cuInit"
    r"|cuda_executor\.cc|cuda_dnn\.cc|cuda_fft\.cc|cuda_blas\.cc"
    r"|Unable to register cu(DNN|FFT|BLAS) factory"
    r"|computation placer already registered"
    r"|node_def_util\.cc.*use_unbounded_threadpool"
    r"|oneDNN custom operations are on"
    r"|This TensorFlow binary is optimized to use available CPU instructions"
    r"|To enable the following instructions: .* rebuild TensorFlow"
    r"|TF-TRT Warning: Could not find TensorRT"
)


def is_noise(line):
    """Return True if ``line`` is one of TensorFlow's known start-up messages."""
    return bool(_NOISE.search(line))


@contextlib.contextmanager
def filtered_stderr():
    """Forward everything written to fd 2 inside the block, except TensorFlow noise.

    Lines are forwarded as they arrive (a thread drains a pipe), so nothing a user's own
    code writes is delayed until the block ends or lost. Off the main thread it does
    nothing: another thread may be swapping the same descriptor.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable fd 2 (some embedded interpreters)
        yield
        return
    read_fd, write_fd = os.pipe()
    os.dup2(write_fd, 2)
    os.close(write_fd)

    def pump():
        with os.fdopen(read_fd, "rb") as pipe:
            for raw in pipe:
                if not is_noise(raw.decode("utf-8", "replace")):
                    os.write(saved, raw)

    thread = threading.Thread(target=pump, name="skweightimp-stderr", daemon=True)
    thread.start()
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            sys.stderr.flush()
        os.dup2(saved, 2)  # closes the pipe's last write end, so the pump sees EOF
        thread.join(timeout=5)
        os.close(saved)
