"""The web chat: the Gradio layout, its handlers, the evidence panel, the library, votes and the waiting line."""
