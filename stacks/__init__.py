"""Stacks that compose the web-tier constructs into a deployable application."""
