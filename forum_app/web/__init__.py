"""HTTP glue and file formats: caching, static files, Jinja, links, form base classes, who may do what, the dashboard's panels, CSV and calendar files."""
