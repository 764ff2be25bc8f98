"""jobrec Telegram bot (aiogram 3)."""
