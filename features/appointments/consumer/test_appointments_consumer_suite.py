"""Binds the appointments consumer feature files in this folder to pytest (steps live in steps/)."""

from pytest_bdd import scenarios

scenarios(".")
