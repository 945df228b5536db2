"""The vote store (durable under kill -9 and concurrent writers), export to evaluation cases, and the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.eval.cases import load_files
from bot.eval.runner import run_cases
from bot.web.feedback import FeedbackStore, Vote, export_yaml, quoted_terms, vote_case

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys
from bot.web.feedback import FeedbackStore, Vote
store = FeedbackStore(sys.argv[1])
tag, size = sys.argv[2], int(sys.argv[3])
i = 0
while True:
    v = Vote(f"{tag}-{i}", "down" if i % 2 else "up", f"question {i}?", "x" * size, at=f"2026-01-01T00:00:{i:06d}")
    store.add(v)
    print(v.id, flush=True)  # printed only once add() returned: the vote is on disk
    i += 1
"""


def _writer(path: Path, tag: str, size: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, str(size)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)


def _read_ids(proc: subprocess.Popen, at_least: int) -> list[str]:
    ids = []
    while len(ids) < at_least:
        line = proc.stdout.readline()
        assert line, "the writer stopped"
        ids.append(line.strip())
    return ids


def test_votes_read_back_newest_first_and_the_last_line_of_an_id_wins(tmp_path):
    store = FeedbackStore(tmp_path / "home" / "feedback.jsonl")
    assert store.votes() == []
    store.add(Vote("a", "up", "q1", "answer 1", at="2026-01-01T00:00:01+00:00"))
    store.add(Vote("b", "down", "q2", "answer 2", at="2026-01-01T00:00:02+00:00"))
    store.add(Vote("a", "up", "q1", "answer 1", at="2026-01-01T00:00:01+00:00", comment="exactly right"))
    store.add(Vote("c", "withdrawn", "q3", "answer 3", at="2026-01-01T00:00:03+00:00"))
    votes = FeedbackStore(store.path).votes()  # a new reader, as after a restart
    assert [(v.id, v.comment) for v in votes] == [("b", ""), ("a", "exactly right")]
    with pytest.raises(ValueError):
        store.add(Vote("d", "maybe", "q", "a"))


def test_a_torn_last_line_loses_no_other_vote(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.add(Vote("a", "up", "q1", "a1", at="1"))
    with store.path.open("ab") as fh:  # a writer killed half-way through its line
        fh.write(b'{"id": "torn", "vote": "down", "question": "q2", "ans')
    assert [v.id for v in store.votes()] == ["a"]
    store.add(Vote("b", "down", "q3", "a3", at="3"))
    assert [v.id for v in store.votes()] == ["b", "a"]
    assert store.path.read_bytes().count(b"\n") == 3  # the new vote started on a line of its own


def test_kill_minus_9_while_writing_keeps_every_complete_vote(tmp_path):
    path = tmp_path / "feedback.jsonl"
    big = _writer(path, "big", 2_000_000)  # 2 MB a vote: the kill is likely to land inside a write
    small = _writer(path, "small", 50)
    try:
        saved = _read_ids(small, 200) + _read_ids(big, 3)
        time.sleep(0.05)
    finally:
        for p in (big, small):
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
    saved += [line.strip() for p in (big, small) for line in p.stdout.read().splitlines()]
    ids = {v.id for v in FeedbackStore(path).votes()}
    assert set(saved) <= ids  # every vote a writer reported saved is read back
    assert all(i.startswith(("big-", "small-")) for i in ids)
    FeedbackStore(path).add(Vote("after", "up", "q", "a", at="9999"))
    assert {v.id for v in FeedbackStore(path).votes()} >= set(saved) | {"after"}


def test_quoted_terms_take_figures_and_names_not_sentence_starts():
    answer = ("From the guide's section Salary Expectations > Entry Level (0-2 years):\n"
              "- Base: $100,000 - $140,000 [1]\n- Total compensation: $120,000 - $180,000 [1]")
    assert quoted_terms(answer, question="What base salary can an entry-level ML engineer expect?")[:4] == [
        "$100,000", "$140,000", "$120,000", "$180,000"]


def test_export_is_an_eval_file_eval_runs_and_a_thumbs_down_needs_a_check(tmp_path, guide_bot):
    q = "Which tool does the guide recommend for experiment tracking?"
    ans = guide_bot.answer(q)
    sources = [{"doc_id": s.doc_id, "title": s.title, "section": s.section, "score": s.score} for s in ans.sources]
    up = Vote("up1", "up", q, ans.text, at="2026-01-01T00:00:01+00:00", mode=ans.mode, sources=sources)
    down = Vote("down1", "down", "What base salary can an entry-level ML engineer expect?", "Base: $1",
                at="2026-01-01T00:00:02+00:00", comment="the salary is wrong")
    case = vote_case(up)
    assert "MLflow" in case["must_include"] and case["sources"] == [s["doc_id"] for s in sources][:1]
    out = tmp_path / "feedback.yaml"
    out.write_text(export_yaml([down, up]), encoding="utf-8")
    cases = load_files([out])
    assert [c.id for c in cases] == ["feedback-up1", "feedback-down1"]
    assert cases[1].needs_check and cases[1].comment == "the salary is wrong" and "feedback" in cases[1].tags
    result = run_cases(cases, guide_bot, progress=False)
    by_id = {c["id"]: c for c in result.cases}
    assert by_id["feedback-up1"]["passed"] and by_id["feedback-up1"]["status"] == "pass"
    assert by_id["feedback-down1"]["status"] == "needs_check" and not by_id["feedback-down1"]["passed"]
    s = result.summary
    assert (s["passed"], s["failed"], s["needs_check"], s["answer_pass_rate"]) == (1, 0, 1, 0.5)
    assert [c["id"] for c in result.to_check] == ["feedback-down1"] and result.failed == []


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAREERBOT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_feedback_cli_lists_and_exports(tmp_path):
    home = tmp_path / "home"
    r = _cli("feedback", "export", "--out", str(tmp_path / "x.yaml"), home=home)
    assert r.returncode == 1 and "no votes to export yet" in r.stderr and "Traceback" not in r.stderr
    store = FeedbackStore.in_home(home)
    store.add(Vote("v1", "down", "Is a master's degree worth it?", "It depends.", at="2026-01-01T00:00:01+00:00",
                   comment="it missed the point"))
    store.add(Vote("v2", "up", "Which language first?", "Start with Python [1]", at="2026-01-01T00:00:02+00:00",
                   sources=[{"doc_id": "guide"}]))
    r = _cli("feedback", "list", home=home)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert "feedback-v2" in lines[0] and "feedback-v1" in lines[1] and "it missed the point" in lines[1]
    r = _cli("feedback", "list", "--json", home=home)
    assert [v["id"] for v in json.loads(r.stdout)["votes"]] == ["v2", "v1"]
    out = tmp_path / "cases" / "feedback.yaml"
    r = _cli("feedback", "export", "--out", str(out), home=home)
    assert r.returncode == 0 and "wrote 2 cases" in r.stdout, r.stderr
    cases = {c.id: c for c in load_files([out])}
    assert cases["feedback-v2"].must_include == ("Python",) and cases["feedback-v2"].sources == ("guide",)
    assert cases["feedback-v1"].needs_check and cases["feedback-v1"].comment == "it missed the point"
