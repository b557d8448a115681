"""Ingesting documents: extract the text of files (PDF, HTML, DOCX, text) and split it into
passages and sentences with exact character spans."""
