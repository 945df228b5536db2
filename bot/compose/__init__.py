"""Composing and checking the answer: quoted lines, or a chat model's text checked for grounding, with
its citations."""
