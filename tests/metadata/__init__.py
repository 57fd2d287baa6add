"""The integration's metadata holds together, checked with Home Assistant's own code."""
