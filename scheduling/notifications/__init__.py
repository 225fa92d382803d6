"""What is due when, and the bookkeeping that makes each message go out once.

Pure of vendors: the outbox lease and attempt records (`store`), the retry and staleness rules
(`policy`), reminder planning (`reminders`), SMS opt-outs (`optouts`) and the business alerts a
failed confirmation raises (`alerts`). Rendering and sending live in `assistant.notifications`.
"""
