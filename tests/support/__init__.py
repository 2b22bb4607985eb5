"""Test support: a local AWS emulator (moto on 127.0.0.1) and live-resource checks."""
