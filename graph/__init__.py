"""The store contract, its implementations, the domain queries and analytics."""
