"""Data access shared by every service: model mixins, engines per dialect, the unit of work."""
