"""The Jinja environment: Flask's own, with one change that matters for speed.

Jinja gives every template its globals as a ``ChainMap`` over the environment's, and on every
``{% from "..." import ... %}`` (a page does five) compares the two templates' globals key by key
through that ``ChainMap``: seventy look-ups in two dicts each, about a tenth of rendering an
invitation page. A template that has no globals of its own (ours never pass any) can share the
environment's dict itself, which makes that comparison one set operation in C. (So never call
``get_template(name, globals=...)`` on this environment: Jinja would write those into the shared
dict. Flask and our templates never do.)
"""

from __future__ import annotations

from flask.templating import Environment as FlaskEnvironment


class Environment(FlaskEnvironment):
    def make_globals(self, d):  # noqa: ANN001, ANN201 - Jinja's signature
        if not d:
            return self.globals
        return super().make_globals(d)
