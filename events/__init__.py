"""/events/: upcoming sessions by day (今日・今週・今月 and a month calendar). No models."""
