"""Indexes for the superviseur's journal: by agent, by action, by object (reference history)."""

from django.db import migrations

INDEXES = [
    ("core_audit_actor_time", "(actor_kind, actor_id, occurred_at)"),
    ("core_audit_action_time", "(action, occurred_at)"),
    ("core_audit_target", "(target_type, target_id, occurred_at)"),
]


class Migration(migrations.Migration):
    dependencies = [("core", "0002_scheduled_job")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {name} ON core_auditevent {columns}",
            reverse_sql=f"DROP INDEX {name}",
        )
        for name, columns in INDEXES
    ]
