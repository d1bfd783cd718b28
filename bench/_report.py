"""Benchmark tables: each figure beside the baseline's, printed and written as Markdown+JSON."""
import datetime
import json
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import django

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    metric: str
    ours: object
    baseline: object
    lower_is_better: bool = True

    def ratio(self):
        if not isinstance(self.ours, (int, float)) or not isinstance(self.baseline, (int, float)):
            return ""
        if self.ours == self.baseline:
            return "1×"
        if not self.ours or not self.baseline:
            return "none" if not self.ours and self.lower_is_better else ""
        better = (self.ours < self.baseline) == self.lower_is_better
        factor = max(self.ours, self.baseline) / min(self.ours, self.baseline)
        word = "less" if self.ours < self.baseline else "more"
        return f"{factor:.1f}× {word} ({'better' if better else 'worse'})"


def _fmt(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows, ours_label="qrmap", baseline_label="baseline"):
    header = ["metric", ours_label, baseline_label, "qrmap vs. baseline"]
    body = [[r.metric, _fmt(r.ours), _fmt(r.baseline), r.ratio()] for r in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(4)]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(b) for b in body)])


def environment():
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(), "django": django.get_version(),
        "cpus": os.cpu_count(), "machine": platform.machine(),
    }


def write(name, result):
    """Write bench/results/<name>.md and .json; return the Markdown."""
    RESULTS.mkdir(exist_ok=True)
    env = environment()
    context = "\n".join(f"- {k}: {v}" for k, v in {**result.get("context", {}), **env}.items())
    rows = table(result["rows"], ours_label=result.get("ours_label", "qrmap"),
                 baseline_label=result.get("baseline_label", "baseline"))
    markdown = f"# {result['title']}\n\n{rows}\n\n{context}\n"
    if result.get("notes"):
        markdown += "\n" + result["notes"].strip() + "\n"
    (RESULTS / f"{name}.md").write_text(markdown, encoding="utf-8")
    data = {"title": result["title"], "environment": env, "context": result.get("context", {}),
            "rows": [{"metric": r.metric, "qrmap": r.ours, "baseline": r.baseline,
                      "lower_is_better": r.lower_is_better} for r in result["rows"]]}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return markdown


def medians_ms(*calls, repeats: int) -> list[float]:
    """The median time of each call in ms, the calls interleaved so that the machine's load
    weighs on each alike."""
    times = [[] for _ in calls]
    for _ in range(repeats):
        for call, spent in zip(calls, times, strict=True):
            started = time.perf_counter()
            call()
            spent.append((time.perf_counter() - started) * 1000)
    return [round(statistics.median(spent), 1) for spent in times]
