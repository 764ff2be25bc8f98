"""The hh.ru collector: an API client, split searches, resumable collection and file import."""
