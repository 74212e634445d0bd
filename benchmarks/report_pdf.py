"""The annual report's PDF: the first request (made with WeasyPrint) against repeated ones (served from the
copy made for that version of the data), also with a random query string (issue 27 item 7).

    .venv/bin/python benchmarks/report_pdf.py            # SQLite in a temporary folder, the demo data

Prints a Markdown table of wall and CPU time per request through Flask's test client. Record the figures in
docs/benchmarks.md with the date and the machine. The goal: a repeated request costs at most 1/20 of the first.
"""

from __future__ import annotations

import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum_app import create_app  # noqa: E402
from forum_app.core.timeutil import city_today  # noqa: E402
from forum_app.demo import load_demo  # noqa: E402

REPEATS = 20


def _timed(client, path: str) -> tuple[float, float, int]:  # noqa: ANN001
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, len(response.data)


def main() -> None:
    from flask_migrate import upgrade

    folder = Path(tempfile.mkdtemp(prefix="report-pdf-bench-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "INSTANCE_PATH": str(folder),
                      "SECRET_KEY": "benchmark", "MAIL_OUTBOX": str(folder / "outbox"), "MAIL_SERVER": "",
                      "MAIL_AFTER_COMMIT": "off"})
    with app.app_context():
        upgrade()
        load_demo()
        year = city_today().year
    client = app.test_client()
    print("| request | wall ms | CPU ms | bytes |\n|---|---:|---:|---:|")
    for lang in ("sv", "ar", "ti"):
        path = f"/{lang}/impact/{year}/report.pdf"
        wall, cpu, size = _timed(client, path)
        print(f"| `{path}` first | {wall:.0f} | {cpu:.0f} | {size} |")
        repeated = [_timed(client, f"{path}?z={secrets.token_hex(4)}") for _ in range(REPEATS)]
        walls, cpus = [r[0] for r in repeated], [r[1] for r in repeated]
        print(f"| `{path}?z=<random>` median of {REPEATS} | {statistics.median(walls):.1f} | "
              f"{statistics.median(cpus):.1f} | {repeated[0][2]} |")
        print(f"| ratio first / repeated (wall) | {wall / statistics.median(walls):.0f}× | | |")


if __name__ == "__main__":
    main()
