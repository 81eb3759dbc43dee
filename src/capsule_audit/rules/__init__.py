"""Rules: the contract (`base`), the families (one module each) and the explicit registry."""
