"""`careerbot eval`: run YAML test prompts through the bot, check, score and report.

cases.py loads and validates files; checks.py and metrics.py are pure;
runner.py drives a Bot; report.py writes report.html, report.md and junit.xml;
baseline.py compares with an earlier run; command.py is the thin CLI adapter.
"""
