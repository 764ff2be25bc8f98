"""Dispatcher and request middlewares."""
