"""The Django app of the reference implementation."""

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """App config: models of organizations, users, tokens, orders and line items."""

    name = "conformance.reference"
    label = "reference"
    verbose_name = "CRUX TIMP reference"
    default_auto_field = "django.db.models.BigAutoField"
