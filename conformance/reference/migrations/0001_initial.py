"""Initial schema of the reference: organizations, permissions, users, tokens, orders, line items."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Create every table of the reference app."""

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Organization",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=200)),
                (
                    "org_type",
                    models.CharField(choices=[("RETAILER", "Retailer"), ("SUPPLIER", "Supplier")], max_length=8),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Permission",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=64, unique=True)),
                ("display_name", models.CharField(max_length=100)),
                ("description", models.CharField(blank=True, max_length=200)),
                (
                    "visibility",
                    models.CharField(
                        choices=[("RETAILER", "Retailer"), ("SUPPLIER", "Supplier"), ("BOTH", "Both")], max_length=8
                    ),
                ),
                ("grouping", models.CharField(max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name="SeededCredential",
            fields=[
                ("role", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("secret", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AuthToken",
            fields=[
                ("key", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("created", models.DateTimeField()),
                ("expires", models.DateTimeField()),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="auth_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, unique=True)),
                ("po_number", models.CharField(max_length=100)),
                ("created_date", models.DateTimeField(auto_now_add=True)),
                ("address", models.JSONField(default=dict)),
                ("order_fee", models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                ("order_tax", models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                ("shipping_cost", models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                ("dropship_fee", models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                ("retailer_notes", models.TextField(blank=True, null=True)),
                ("retailer_attributes", models.JSONField(blank=True, null=True)),
                ("sent_to_supplier", models.BooleanField(default=False)),
                (
                    "cancellation",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("pending", "Pending"),
                            ("confirmed", "Confirmed"),
                            ("rejected", "Rejected"),
                        ],
                        default="none",
                        max_length=10,
                    ),
                ),
                (
                    "retailer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="orders", to="reference.organization"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="LineItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, unique=True)),
                ("sku_id", models.CharField(max_length=100)),
                ("quantity", models.PositiveIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("Unallocated", "Unallocated"),
                            ("Allocated", "Allocated"),
                            ("Rejected", "Rejected"),
                            ("HasTracking", "Has Tracking"),
                            ("Backordered", "Backordered"),
                            ("Cancelled", "Cancelled"),
                        ],
                        default="Unallocated",
                        max_length=12,
                    ),
                ),
                (
                    "cancellation",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("pending", "Pending"),
                            ("confirmed", "Confirmed"),
                            ("rejected", "Rejected"),
                        ],
                        default="none",
                        max_length=10,
                    ),
                ),
                ("sku_cost", models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                ("shipping_carrier", models.CharField(blank=True, max_length=100, null=True)),
                ("shipping_method", models.CharField(blank=True, max_length=100, null=True)),
                ("instructions", models.TextField(blank=True, null=True)),
                ("retailer_attributes", models.JSONField(blank=True, null=True)),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="line_items", to="reference.order"
                    ),
                ),
                (
                    "supplier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="line_items",
                        to="reference.organization",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="OrgUser",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="members", to="reference.organization"
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="org_user",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("permissions", models.ManyToManyField(blank=True, related_name="holders", to="reference.permission")),
            ],
        ),
        migrations.AddField(
            model_name="order",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to="reference.orguser"
            ),
        ),
    ]
