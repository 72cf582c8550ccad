"""The GraphQL API on FastAPI."""
