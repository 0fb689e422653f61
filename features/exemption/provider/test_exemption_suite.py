"""Binds the exemption (RTEC) feature files in this folder to pytest (the step definitions live in steps/)."""

from pytest_bdd import scenarios

scenarios(".")
