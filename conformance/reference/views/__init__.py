"""The reference's HTTP endpoints, one module per side of the API (login, orders, supplier, provider states)."""
