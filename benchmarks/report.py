"""The printed result: the machine it ran on, then one aligned plain-text table per section."""

from dataclasses import dataclass

from benchmarks.latency import Timings
from benchmarks.load import Load


@dataclass(frozen=True)
class Failed:
    """A row that could not be measured; the reason is printed under the tables."""

    reason: str


Measure = Load | Timings | Failed


def header(facts: list[tuple[str, str]], load: str) -> str:
    width = max(len(label) for label, _ in facts)
    lines = [f"{label.ljust(width)}  {value}" for label, value in [*facts, ("load", load)]]
    return "\n".join(["Shop benchmark (figures, not pass/fail)", *lines])


def table(title: str, columns: list[str], rows: list[list[str]], notes=()) -> str:
    """Text left-aligned, figures right-aligned; a rule under the column names."""
    widths = [max(len(row[i]) for row in [columns, *rows]) for i in range(len(columns))]
    right = [all(is_figure(row[i]) for row in rows) for i in range(len(columns))]

    def line(row: list[str]) -> str:
        cells = zip(row, widths, right, strict=True)
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    notes = [f"  {note}" for note in notes]
    return "\n".join([f"\n{title}", line(columns), rule, *map(line, rows), *notes])


def is_figure(cell: str) -> bool:
    return cell.replace(",", "").replace(".", "").rstrip("×").isdigit() or cell in BLANKS


BLANKS = ("", "-", "failed")


def figure(value: float | None, decimals: int = 0) -> str:
    return "-" if value is None else f"{value:,.{decimals}f}"


def ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}×" if value >= 10 else f"{value:.2f}×"


def cells(measure: Measure) -> list[str]:
    """req/s, p50, p90 and p99 ms of a wrk row; a loop timed one request at a time has no
    throughput, and too few requests for a p99."""
    if isinstance(measure, Failed):
        return ["failed", "-", "-", "-"]
    if isinstance(measure, Load):
        latencies = (measure.p50_ms, measure.p90_ms, measure.p99_ms)
        rate = measure.requests_per_second
        return [figure(rate, 0 if rate >= 100 else 1), *(figure(ms, 1) for ms in latencies)]
    return ["-", figure(measure.median, 1), figure(measure.p90, 1), "-"]


def cost(measure: Measure, yardstick: Measure) -> float | None:
    """Time per request relative to the yardstick's: under wrk the inverse of throughput, one
    request at a time the median. None when either has no figure."""
    if isinstance(measure, Failed) or isinstance(yardstick, Failed):
        return None
    if isinstance(measure, Load):
        rate = measure.requests_per_second
        return yardstick.requests_per_second / rate if rate else None
    return measure.median / yardstick.median


def bad(measure: Measure) -> str:
    if isinstance(measure, Failed):
        return "-"
    return str(measure.bad_answers) if isinstance(measure, Load) else "0"


def throughput(rows: list[tuple[str, str, Measure, Measure]]) -> str:
    """rows: (database, request, measure, the bare endpoint's measure of the same kind)."""
    columns = ["database", "request", "req/s", "p50 ms", "p90 ms", "p99 ms", "× bare", "errors"]
    body = [[db, what, *cells(m), ratio(cost(m, bare)), bad(m)] for db, what, m, bare in rows]
    return table(
        "1. Throughput and latency (shop beside a bare Flask endpoint served the same way)",
        columns,
        body,
        [
            "* timed one request at a time from Python, not by wrk (a payment is verified first",
            "  only once): p50 is the median, p90 the 90th percentile of the fresh payments.",
            "× bare: time per request relative to the bare endpoint: its req/s ÷ the row's req/s",
            "  (for * rows: the row's median ÷ the bare endpoint's median, also one at a time).",
            "errors: non-2xx/3xx answers and timeouts wrk saw (every URL answered 200 before).",
        ],
    )


def scale(rows: list[tuple[str, str, str, Measure, Measure]]) -> str:
    """rows: (database, request, sizes, at the small size, at the large size)."""
    columns = ["database", "request", "sizes", "small req/s", "p50 ms", "large req/s", "p50 ms"]
    columns.append("large ÷ small")
    body = [
        [db, what, sizes, *cells(small)[:2], *cells(large)[:2], ratio(cost(large, small))]
        for db, what, sizes, small, large in rows
    ]
    return table(
        "3. Scale: the same requests on a small and on a large shop",
        columns,
        body,
        [
            "large ÷ small: time per request on the large shop relative to the small one.",
            "* timed one request at a time (fresh payments): the p50 column is their median.",
        ],
    )


def gateway(rows: list[tuple[str, object]]) -> str:
    """rows: (what, gateway_calls.Calls)."""
    columns = ["verification", "REST calls each", "over", "calls each, by endpoint"]
    body = [
        [what, f"{calls.per_verification:.2f}", str(calls.verifications), calls.breakdown()]
        for what, calls in rows
    ]
    return table(
        "2. Gateway (PortOne REST) calls per verification, counted where the sandbox answers",
        columns,
        body,
        [
            "The shop's token is cached per worker process (shop.payments.gateway); the guide's is not."
        ],
    )


def weight(resources: list) -> str:
    columns = [
        "pay page resource",
        "raw bytes",
        "gzip -6 bytes",
        "Content-Encoding",
        "Cache-Control",
    ]
    body = [
        [r.path, figure(r.raw_bytes), figure(r.gzip_bytes), r.encoding, r.cache_control]
        for r in resources
    ]
    raw, packed = sum(r.raw_bytes for r in resources), sum(r.gzip_bytes for r in resources)
    body.append(["total", figure(raw), figure(packed), "", ""])
    return table(
        "4. Front-end weight of the pay page (HTML + the CSS and JavaScript it loads)",
        columns,
        body,
        [
            "Content-Encoding and Cache-Control as served to a browser sending Accept-Encoding: gzip."
        ],
    )
