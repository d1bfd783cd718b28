"""Run every benchmark module of this package (or those named): `python -m bench [name...]`.

A benchmark is a module here with a `run()` that returns {"title", "rows", "context"};
its table is printed and written to bench/results/<name>.md and .json.
"""
import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path

SKIP = {"settings", "urls", "wsgi", "baseline"}


def main(argv):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench import _report

    package = Path(__file__).resolve().parent
    names = [m.name for m in pkgutil.iter_modules([str(package)])
             if not m.name.startswith("_") and m.name not in SKIP]
    chosen = [n for n in names if not argv or n in argv]
    if argv and not chosen:
        sys.exit(f"No benchmark named {' '.join(argv)}; there are: {', '.join(names)}")
    failed = []
    for name in chosen:
        print(f"== {name} ==", flush=True)
        started = time.monotonic()
        try:  # one broken benchmark must not hide the others' figures
            module = importlib.import_module(f"bench.{name}")
            if not hasattr(module, "run"):
                continue
            result = module.run()
        except Exception:  # noqa: BLE001
            traceback.print_exc()
            failed.append(name)
            continue
        print(_report.write(name, result))
        print(f"({time.monotonic() - started:.0f} s; written to bench/results/{name}.md)\n")
    from bench import _national_table

    print(_national_table.write())  # issue 13's figures in one table, from the results above
    if failed:
        sys.exit(f"Benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
