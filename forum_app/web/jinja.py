"""The Jinja environment: Flask's own, except that a template with no globals of its own shares the
environment's dict instead of getting a ``ChainMap`` over it, because every ``{% from ... import ... %}``
compares two templates' globals key by key, which over a ``ChainMap`` is slow. (So never call
``get_template(name, globals=...)`` here: Jinja would write those into the shared dict.)
"""

from __future__ import annotations

from flask.templating import Environment as FlaskEnvironment


class Environment(FlaskEnvironment):
    def make_globals(self, d):  # noqa: ANN001, ANN201 - Jinja's signature
        if not d:
            return self.globals
        return super().make_globals(d)
