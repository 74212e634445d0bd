"""The year's figures as open data (``/api/v1/impact/<year>``): stable keys, no labels, no person."""

from __future__ import annotations

from .queries import Indicators


def indicators_json(data: Indicators) -> dict:
    return {
        "year": data.year,
        "figures": [{"key": f.key, "unit": f.unit, "value": f.value, "previous_year": f.previous,
                     "source": f.source} for f in data.figures],
        "indicators": [{"key": key, "figures": [f.key for f in figures]} for key, _label, figures in data.chapter()],
        "breakdowns": [{"key": b.key, "unit": b.unit,
                        "rows": [{"key": r.key, "label": r.label, "value": r.value, "previous_year": r.previous}
                                 for r in b.rows]}
                       for b in data.breakdowns],
    }
