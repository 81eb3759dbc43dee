"""The audit's DuckDB store: its tables, the rows filed into them, and the queries reading them back."""
