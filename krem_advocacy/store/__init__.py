"""The database: connections, migrations, the one write path, settings, who may see and do what, first start."""
