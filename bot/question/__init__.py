"""Understanding the question: its words and follow-ups, the terms and names it uses, the form of
answer it asks for, the sample questions each section answers."""
