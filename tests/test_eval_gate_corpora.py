"""The gates of the corpora beyond the guide (rows of tests/test_eval_gate.py's GATES): a file of their own, so
that under pytest-xdist they run beside the guide's gates."""

from __future__ import annotations

import pytest

from tests.test_eval_gate import GATES, Gate, check_gate

OTHER_GATES = [g for g in GATES if g.corpus != "guide"]


@pytest.mark.parametrize("gate", OTHER_GATES, ids=[g.file for g in OTHER_GATES])
def test_evaluation_set_gate(bot_for, gate: Gate) -> None:
    check_gate(bot_for, gate)
