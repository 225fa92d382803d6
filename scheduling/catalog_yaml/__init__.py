"""The catalog as a YAML file an owner can read, edit and keep under version control.

`read.read_catalog(text)` gives a `Catalog` or one `CatalogFileError` naming every problem
by line and field; `write.write_catalog(catalog)` gives the text back. docs/catalog-yaml.md
describes the format. Pure: the caller reads and writes the file.
"""
