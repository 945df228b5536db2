"""The scope policy: whether careerbot answers a question, from retrieval evidence and the corpus profile."""
