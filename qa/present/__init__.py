"""Presenting answers: the terminal output of `qa ask` and the chat UI of `qa chat`."""
