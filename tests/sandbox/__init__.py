"""Tests of the TextBoost sandbox server."""
