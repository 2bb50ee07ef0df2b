"""Keystone's WSGI application for gunicorn.

Keystone parses sys.argv when it loads, and rejects the WSGI server's own arguments; clearing
them first is what lets gunicorn serve it.
"""
import sys

sys.argv = sys.argv[:1]

from keystone.wsgi.api import application  # noqa: E402,F401
