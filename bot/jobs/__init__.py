"""Scheduled jobs: collection, retraining with a quality gate and hot swap, digests.

``bot.jobs.scheduler.setup_scheduler`` wires them; ``jobrec worker`` (``bot.jobs.cli``) runs them.
"""
