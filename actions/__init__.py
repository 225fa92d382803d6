"""Rasa custom actions: dialogue state to scheduling service calls, results to words."""
