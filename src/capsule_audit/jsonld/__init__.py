"""jsonld."""
