"""Checkers for the notebooks' exercises: call one with your answer and read the feedback.

Checkers print specific feedback and return True or False; they never raise for a
wrong or unfinished answer, so an exercise cell left as ``...`` still runs.
"""
