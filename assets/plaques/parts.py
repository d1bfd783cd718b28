"""A big print job on every core: its pages are cut into parts of a few hundred plaques, each
part is drawn into a file of its own and its QR codes decoded from that file, in a pool of
processes; pdfjoin then joins the files. No process holds more than a part in memory.

Why a process pool inside the job rather than one Celery task a part: the job stays one
row and one task, which a dead worker's successor runs again from the start (geodata.jobs),
as before; and the pool's processes die with the process that started them (Linux
PR_SET_PDEATHSIG), so a killed worker leaves no orphan drawing a part nobody will join.
The pool forks (the fonts are registered and the modules imported once, in the parent) and
its processes touch no database connection: a part carries plain strings.
"""
import concurrent.futures
import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assets.plaques.fonts import pdf_fonts_register
from assets.plaques.layout import PlaqueContent, layout_plaque
from assets.plaques.pdf import pdf_part_write
from assets.plaques.qr import qr_symbol
from assets.plaques.verify import DecodeFailure, pdf_verify

PR_SET_PDEATHSIG = 1
# Drawn and decoded plaques of the running job, shared with the pool (set before the fork).
_counters: tuple | None = None


@dataclass
class Part:
    """Consecutive pages of a job (pages_plan's) and what each plaque on them says."""

    path: Path
    pages: list
    contents: dict[int, PlaqueContent]


def parts_cut(pages: list, size: int) -> list[tuple[int, int]]:
    """(first page, end page) of each part: whole pages, about `size` plaques a part.

    >>> parts_cut([((1, 1), [0, 1]), ((1, 1), [2, 3]), ((1, 1), [4])], 3)
    [(0, 2), (2, 3)]
    """
    cuts, start, count = [], 0, 0
    for k, (_size, slots) in enumerate(pages):
        count += len(slots)
        if count >= size:
            cuts.append((start, k + 1))
            start, count = k + 1, 0
    if start < len(pages):
        cuts.append((start, len(pages)))
    return cuts


def part_render(part: Part, *, drawn: Callable[[int], None] | None = None,
                decoded: Callable[[int], None] | None = None) -> list[DecodeFailure]:
    """Draw the part into its file, then decode every QR of that file (read from disk)."""
    layouts = {i: layout_plaque(c, qr_symbol(c.payload)) for i, c in part.contents.items()}
    placements = pdf_part_write(part.path, pages=part.pages, layouts=layouts, progress=drawn)
    return pdf_verify(pdf=part.path, placements=placements,
                      expected={i: c.payload for i, c in part.contents.items()},
                      labels={i: c.label for i, c in part.contents.items()},
                      progress=decoded)


def _part_render_pooled(part: Part) -> list[DecodeFailure]:
    drawn, decoded = _counters
    return part_render(part, drawn=_adder(drawn), decoded=_adder(decoded))


def _adder(counter) -> Callable[[int], None]:
    """A progress callback (plaques done in this part) that adds to a shared counter."""
    last = [0]

    def report(done):
        with counter.get_lock():
            counter.value += done - last[0]
        last[0] = done
    return report


def _pool_start(counters, parent: int) -> None:
    """In each pool process: die with the parent, and leave stopping to the parent: a
    Ctrl-C or SIGTERM to the group starts a Celery worker's warm shutdown, which waits for
    the job, so its pool must go on drawing (a killed parent still takes it along)."""
    global _counters
    _counters = counters
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: a killed parent's pool finishes its part and exits
    if os.getppid() != parent:
        os._exit(1)  # the parent died before prctl took effect
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def parts_run(parts: Iterable[Part], *, processes: int,
              progress: Callable[[int, int], None],
              meanwhile: Callable[[], None] | None = None) -> list[DecodeFailure]:
    """Render every part in a pool of `processes`, at most two parts a process queued, so
    that the parent holds a few parts, not the job; `meanwhile` runs in the parent once
    every part is queued; `progress(drawn, decoded)` about twice a second. Returns every
    decode failure, in part order; a part's error (a plaque too small) is raised."""
    global _counters
    pdf_fonts_register()  # once, before the fork
    # The parent's garbage collector would otherwise write to every old object's header
    # during the job, copying the pages the pool shares with it (Python docs, gc.freeze).
    gc.freeze()
    context = multiprocessing.get_context("fork")
    _counters = (context.Value("q", 0), context.Value("q", 0))
    results: list[concurrent.futures.Future] = []
    try:
        with _children_allowed(), concurrent.futures.ProcessPoolExecutor(
                max_workers=processes, mp_context=context, initializer=_pool_start,
                initargs=(_counters, os.getpid())) as pool:
            pending: set = set()
            for part in parts:
                while len(pending) >= 2 * processes:
                    pending = _wait(pending, progress)
                results.append(pool.submit(_part_render_pooled, part))
                pending.add(results[-1])
            if meanwhile:
                meanwhile()
            while pending:
                pending = _wait(pending, progress)
        _tick(progress)
        return [failure for future in results for failure in future.result()]
    finally:
        _counters = None
        gc.unfreeze()


@contextlib.contextmanager
def _children_allowed():
    """A Celery prefork worker's process is "daemonic" to multiprocessing, which then
    refuses to start children, lest they outlive it as orphans. Ours cannot: they die with
    it (PR_SET_PDEATHSIG) and the pool is shut down before the task returns."""
    config = multiprocessing.current_process()._config
    daemon = config.pop("daemon", None)
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon


def _wait(pending: set, progress) -> set:
    done, pending = concurrent.futures.wait(pending, timeout=0.5,
                                            return_when=concurrent.futures.FIRST_COMPLETED)
    for future in done:
        future.result()  # raises the part's error, if any (the pool is then shut down)
    _tick(progress)
    return pending


def _tick(progress) -> None:
    drawn, decoded = _counters
    progress(drawn.value, decoded.value)


class _Sum:
    """Progress of the inline run: plaques of the finished parts plus the current one's."""

    def __init__(self, progress):
        self.progress, self.base, self.now = progress, [0, 0], [0, 0]

    def stage(self, k: int) -> Callable[[int], None]:
        def report(done):
            self.now[k] = done
            self.progress(self.base[0] + self.now[0], self.base[1] + self.now[1])
        return report

    def part_done(self):
        self.base = [self.base[0] + self.now[0], self.base[1] + self.now[1]]
        self.now = [0, 0]


def parts_run_inline(parts: Iterable[Part], *, progress: Callable[[int, int], None],
                     meanwhile: Callable[[], None] | None = None) -> list[DecodeFailure]:
    """The same as parts_run in this process (a job of one part is not worth a fork)."""
    failures, total = [], _Sum(progress)
    for part in parts:
        failures += part_render(part, drawn=total.stage(0), decoded=total.stage(1))
        total.part_done()
    if meanwhile:
        meanwhile()
    return failures
