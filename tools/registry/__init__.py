"""The registry builder (`tools/build_registry.py`), one module per source or step: countries (countryinfo,
ngec), the Phoenix dictionaries, people (names, offices, surnames, merging), armed groups, places, the curated
records, and the final records with their alias collisions resolved."""
