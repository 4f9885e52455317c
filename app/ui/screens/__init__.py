"""The screens: each module's `build(ui, **route_params)` makes one route's page (see routes)."""
