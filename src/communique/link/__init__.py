"""The link layer: all stored documents as one picture of the organization over time.

Per document (linear, incremental; :mod:`communique.link.build`): fact
candidates, entity mentions, evidence and commitments, read by the genre's
rules (:mod:`communique.link.rules`). Across documents, at query time:
entities (:mod:`communique.link.entities`), facts with validity periods and the
state at a date (:mod:`communique.link.timeline`), commitment follow-up
(:mod:`communique.link.followup`), positions and formula drift
(:mod:`communique.link.drift`). ``communique.link.cli.register(app)`` adds the
commands.
"""

from __future__ import annotations

from communique.link.build import BuildReport, ensure_built
from communique.link.drift import formulas, positions
from communique.link.entities import persons
from communique.link.followup import Followup, followups
from communique.link.timeline import Fact, facts, facts_about, state_at

__all__ = [
    "BuildReport",
    "Fact",
    "Followup",
    "ensure_built",
    "facts",
    "facts_about",
    "followups",
    "formulas",
    "persons",
    "positions",
    "state_at",
]
